// Arithmetic on codes of one format (the CLI and TestFloat-style checks): decode, compute exactly,
// round once. With policy.subnormals = 'flush', subnormal operands are read as zero (DAZ) as well.

import { fma, add, mul } from './arith.ts';
import { classify, decode } from './codec.ts';
import type { Encoded } from './flags.ts';
import type { Format } from './format.ts';
import { resolvePolicy, type Policy } from './policy.ts';
import { zero, type ExactValue } from './value.ts';

function operand(format: Format, code: number, policy?: Policy): ExactValue {
  const value = decode(format, code);
  const flush = resolvePolicy(format, policy).subnormals === 'flush';
  return flush && classify(format, code) === 'subnormal' ? zero(value.sign) : value;
}

export function mulCodes(format: Format, a: number, b: number, policy?: Policy): Encoded {
  return mul(format, operand(format, a, policy), operand(format, b, policy), policy);
}

export function addCodes(format: Format, a: number, b: number, policy?: Policy): Encoded {
  return add(format, operand(format, a, policy), operand(format, b, policy), policy);
}

export function fmaCodes(format: Format, a: number, b: number, c: number, policy?: Policy): Encoded {
  return fma(
    format,
    operand(format, a, policy),
    operand(format, b, policy),
    operand(format, c, policy),
    policy,
  );
}
