// INT-n codecs: two's complement or unsigned, optionally a fixed-point scale 2^-fracBits.

import { INEXACT_FLAGS, INVALID_FLAGS, NO_FLAGS, OVERFLOW_FLAGS, type Encoded } from './flags.ts';
import type { IntFormat } from './format.ts';
import type { ResolvedPolicy } from './policy.ts';
import { magnitudeRule, type Magnitude } from './rounding.ts';
import { finite, type ExactValue, type Sign } from './value.ts';

/** Smallest and largest integer a format encodes to (the symmetric range skips the most negative code). */
export function intRange(format: IntFormat): { min: number; max: number } {
  if (!format.signed) return { min: 0, max: 2 ** format.bits - 1 };
  const half = 2 ** (format.bits - 1);
  return { min: format.symmetric ? 1 - half : -half, max: half - 1 };
}

/** The integer a code holds (before the 2^-fracBits scale). */
export function intOfCode(format: IntFormat, code: number): number {
  return format.signed && code >= 2 ** (format.bits - 1) ? code - 2 ** format.bits : code;
}

export function decodeInt(format: IntFormat, code: number): ExactValue {
  const n = intOfCode(format, code);
  return finite(n < 0 ? 1 : 0, BigInt(Math.abs(n)), -format.fracBits);
}

function codeOfInt(format: IntFormat, n: number): number {
  return n < 0 ? n + 2 ** format.bits : n;
}

/** NaN and Inf inputs: integers have neither, so these are invalid. */
export function encodeIntSpecial(
  format: IntFormat,
  kind: 'nan' | 'inf',
  sign: Sign,
  policy: ResolvedPolicy,
): Encoded {
  const { min, max } = intRange(format);
  if (kind === 'nan' && policy.nan === 'zero') return { code: 0, flags: INVALID_FLAGS };
  return { code: codeOfInt(format, sign === 1 ? min : max), flags: INVALID_FLAGS };
}

/** Encodes (-1)^sign · mag: one rounding at 2^-fracBits, then saturate or wrap. */
export function encodeIntMagnitude(
  format: IntFormat,
  sign: Sign,
  mag: Magnitude,
  policy: ResolvedPolicy,
): Encoded {
  const { min, max } = intRange(format);
  const limit = sign === 1 ? -min : max;
  const rule = magnitudeRule(policy.rounding, sign);
  const q = -format.fracBits;
  // Far outside the range the rounded integer need not be formed (it may exceed 2^53).
  const far = mag.log2Floor - q > format.bits + 1;
  if (policy.overflow === 'wrap') {
    const { units, inexact } = mag.roundAt(q, rule, format.bits);
    const outside = far || mag.roundAt(q, rule).units > limit;
    const code = sign === 1 && units !== 0 ? 2 ** format.bits - units : units;
    return { code, flags: outside ? OVERFLOW_FLAGS : inexact ? INEXACT_FLAGS : NO_FLAGS };
  }
  const rounded = far ? undefined : mag.roundAt(q, rule);
  if (!rounded || rounded.units > limit)
    return { code: codeOfInt(format, sign === 1 ? min : max), flags: OVERFLOW_FLAGS };
  const n = sign === 1 ? -rounded.units : rounded.units;
  return { code: codeOfInt(format, n === 0 ? 0 : n), flags: rounded.inexact ? INEXACT_FLAGS : NO_FLAGS };
}
