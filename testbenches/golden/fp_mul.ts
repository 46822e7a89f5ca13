// Golden model of the floating-point multiplier: decode both operands to exact values, multiply
// exactly, round once into the output format (the formats library's exact arithmetic). Shares no
// code with the datapath.
import {
  classify,
  decode,
  formatByName,
  mul,
  testFloatFlagByte,
  zero,
  type Policy,
} from '../../generators/formats/index.ts';
import { variantIs, variantPolicy } from './variant.ts';

export interface FpMulSpec {
  aFormat: string;
  bFormat: string;
  outFormat: string;
  policy: Policy;
  /** 'flush': subnormal operands read as zero. */
  inputSubnormals: 'keep' | 'flush';
}

export interface FloatResult {
  code: number;
  /** TestFloat's flag byte: invalid 0x10, overflow 0x04, underflow 0x02, inexact 0x01. */
  flags: number;
}

export function fpMulGolden(spec: FpMulSpec, a: number, b: number): FloatResult {
  // Mutation 'fp_mul.input-subnormals': subnormal operands read the other way (kept ↔ flushed).
  const flush = (spec.inputSubnormals === 'flush') !== variantIs('fp_mul.input-subnormals');
  const operand = (formatName: string, code: number) => {
    const format = formatByName(formatName);
    const value = decode(format, code);
    return flush && classify(format, code) === 'subnormal' ? zero(value.sign) : value;
  };
  const result = mul(
    formatByName(spec.outFormat),
    operand(spec.aFormat, a),
    operand(spec.bFormat, b),
    variantPolicy(spec.policy),
  );
  return { code: result.code, flags: testFloatFlagByte(result.flags) };
}
