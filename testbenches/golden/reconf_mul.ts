// Golden model of the reconfigurable multiplier: per mode, operands are reduced to m mantissa bits
// (conversion to an E/m format whose exponent cannot overflow), then multiplied exactly and rounded
// once (exact modes) or L-Mul'ed (docs/lmul.md, lmul modes).
import {
  decode,
  encode,
  formatByName,
  mul,
  parseFormat,
  type ExactValue,
  type FloatFormat,
  type Policy,
} from '../../generators/formats/index.ts';
import { variantIs, variantPolicy } from './variant.ts';
import { lmulGolden } from './lmul.ts';

export interface ReconfMulSpec {
  format: string;
  outFormat: string;
  modes: { m: number; kind: 'exact' | 'lmul' }[];
  operandRounding: 'rne' | 'truncate';
  policy: Policy;
}

/** The operand rounded (or truncated) to m mantissa bits, keeping subnormal quanta and an unbounded top. */
export function reduceOperand(
  format: FloatFormat,
  code: number,
  m: number,
  rounding: 'rne' | 'truncate',
): ExactValue {
  const value = decode(format, code);
  // With m at least the format's own mantissa bits every value is already on the reduced grid (same
  // subnormal quantum or finer, wider exponent): nothing to round, and no 33-bit fp32 variant to build.
  if (value.kind !== 'finite' || m >= format.mantBits) return value;
  const reduced = parseFormat({
    kind: 'float',
    name: `${format.name}_m${m}`,
    expBits: format.expBits + 1,
    mantBits: m,
    bias: format.bias,
    signed: true,
    subnormals: true,
    specials: 'none',
  });
  const encoded = encode(reduced, value, { rounding: rounding === 'rne' ? 'rne' : 'rtz' });
  return decode(reduced, encoded.code);
}

export function reconfMulGolden(spec: ReconfMulSpec, mode: number, a: number, b: number): number {
  const { m, kind } = spec.modes[Math.min(mode, spec.modes.length - 1)]!;
  // Mutation 'reconf_mul.operand-rounding': the other reduction of the operands (RNE ↔ truncation).
  const operandRounding = variantIs('reconf_mul.operand-rounding')
    ? spec.operandRounding === 'rne'
      ? 'truncate'
      : 'rne'
    : spec.operandRounding;
  // Mutation 'reconf_mul.lmul-exact': L-Mul modes multiply exactly.
  if (kind === 'lmul' && !variantIs('reconf_mul.lmul-exact')) {
    return lmulGolden(
      {
        format: spec.format,
        outFormat: spec.format,
        m,
        variant: 'integer-add',
        operandRounding,
        overflow: 'saturate',
      },
      a,
      b,
    );
  }
  const format = formatByName(spec.format) as FloatFormat;
  const x = reduceOperand(format, a, m, operandRounding);
  const y = reduceOperand(format, b, m, operandRounding);
  return mul(formatByName(spec.outFormat), x, y, variantPolicy(spec.policy)).code;
}
