// Golden model of the floating-point adder: decode both operands to exact values, negate b for a
// subtraction, add exactly and round once into the output format (the formats library's exact
// arithmetic; IEEE 754-2019 §6.3 for the sign of an exact zero sum). Shares no code with the datapath.
import {
  add,
  classify,
  decode,
  formatByName,
  negate,
  testFloatFlagByte,
  zero,
  type Policy,
} from '../../generators/formats/index.ts';
import type { FloatResult } from './fp_mul.ts';

export interface FpAddSpec {
  aFormat: string;
  bFormat: string;
  outFormat: string;
  policy: Policy;
  /** 'flush': subnormal operands read as zero of their sign. */
  inputSubnormals: 'keep' | 'flush';
}

/** round(a + b), or round(a − b) with `subtract`, with TestFloat's flag byte. */
export function fpAddGolden(spec: FpAddSpec, a: number, b: number, subtract = false): FloatResult {
  const operand = (formatName: string, code: number) => {
    const format = formatByName(formatName);
    const value = decode(format, code);
    return spec.inputSubnormals === 'flush' && classify(format, code) === 'subnormal'
      ? zero(value.sign)
      : value;
  };
  const y = operand(spec.bFormat, b);
  const result = add(
    formatByName(spec.outFormat),
    operand(spec.aFormat, a),
    subtract ? negate(y) : y,
    spec.policy,
  );
  return { code: result.code, flags: testFloatFlagByte(result.flags) };
}
