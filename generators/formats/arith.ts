// Exact arithmetic for golden models: a·b, a+b and a·b+c computed exactly, then rounded once into a
// format with the encode policy. IEEE 754 special cases as SoftFloat implements them: any NaN operand
// gives NaN (invalid if one is signalling), Inf·0 and Inf-Inf are invalid, and fma(Inf, 0, c) is invalid
// even when c is a quiet NaN.

import { encode } from './codec.ts';
import { dyadicAdd, dyadicMul } from './dyadic.ts';
import { INVALID_FLAGS, orFlags, type Encoded } from './flags.ts';
import type { Format } from './format.ts';
import { resolvePolicy, type Policy } from './policy.ts';
import { inf, isZero, nan, type ExactValue, type Sign } from './value.ts';

/** An exact result, and whether computing it was an invalid operation. */
export interface ExactResult {
  readonly value: ExactValue;
  readonly invalid: boolean;
}

const QUIET_NAN = nan(0, true);

function isSignalling(v: ExactValue): boolean {
  return v.kind === 'nan' && !v.quiet;
}

function nanResult(...operands: ExactValue[]): ExactResult {
  return { value: QUIET_NAN, invalid: operands.some(isSignalling) };
}

export function exactMul(a: ExactValue, b: ExactValue): ExactResult {
  if (a.kind === 'nan' || b.kind === 'nan') return nanResult(a, b);
  const sign = (a.sign ^ b.sign) as Sign;
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (isZero(a) || isZero(b)) return { value: QUIET_NAN, invalid: true };
    return { value: inf(sign), invalid: false };
  }
  return { value: dyadicMul(a, b), invalid: false };
}

/** a + b; zeroSign is the sign of an exact zero sum of opposite-signed terms (1 when rounding toward -inf). */
export function exactAdd(a: ExactValue, b: ExactValue, zeroSign: Sign = 0): ExactResult {
  if (a.kind === 'nan' || b.kind === 'nan') return nanResult(a, b);
  if (a.kind === 'inf' && b.kind === 'inf') {
    return a.sign === b.sign ? { value: a, invalid: false } : { value: QUIET_NAN, invalid: true };
  }
  if (a.kind === 'inf') return { value: a, invalid: false };
  if (b.kind === 'inf') return { value: b, invalid: false };
  return { value: dyadicAdd(a, b, zeroSign), invalid: false };
}

/** a·b + c without intermediate rounding. */
export function exactFma(a: ExactValue, b: ExactValue, c: ExactValue, zeroSign: Sign = 0): ExactResult {
  if (a.kind === 'nan' || b.kind === 'nan') return nanResult(a, b, c);
  const product = exactMul(a, b);
  if (product.invalid) return { value: QUIET_NAN, invalid: true };
  if (c.kind === 'nan') return nanResult(c);
  return exactAdd(product.value, c, zeroSign);
}

function zeroSignFor(format: Format, policy?: Policy): Sign {
  return resolvePolicy(format, policy).rounding === 'rdown' ? 1 : 0;
}

function rounded(format: Format, result: ExactResult, policy?: Policy): Encoded {
  const encoded = encode(format, result.value, policy);
  return result.invalid ? { code: encoded.code, flags: orFlags(encoded.flags, INVALID_FLAGS) } : encoded;
}

/** round(a·b) into format, with flags. */
export function mul(format: Format, a: ExactValue, b: ExactValue, policy?: Policy): Encoded {
  return rounded(format, exactMul(a, b), policy);
}

/** round(a+b) into format, with flags. */
export function add(format: Format, a: ExactValue, b: ExactValue, policy?: Policy): Encoded {
  return rounded(format, exactAdd(a, b, zeroSignFor(format, policy)), policy);
}

/** round(a·b + c) into format with a single rounding, with flags. */
export function fma(format: Format, a: ExactValue, b: ExactValue, c: ExactValue, policy?: Policy): Encoded {
  return rounded(format, exactFma(a, b, c, zeroSignFor(format, policy)), policy);
}
