// Exact values: dyadic rationals (-1)^sign · sig · 2^exp, plus signed infinities and NaN.
// Finite values are kept normalized (sig odd, or sig = 0n with exp = 0), so equal values are equal records.

import { compareScaled, trailingZeros } from './bigint-bits.ts';

export type Sign = 0 | 1;

export interface FiniteValue {
  readonly kind: 'finite';
  readonly sign: Sign;
  /** Non-negative significand; odd unless the value is zero. */
  readonly sig: bigint;
  readonly exp: number;
}

export interface InfValue {
  readonly kind: 'inf';
  readonly sign: Sign;
}

export interface NaNValue {
  readonly kind: 'nan';
  readonly sign: Sign;
  /** False for a signalling NaN (an IEEE NaN whose top mantissa bit is clear). */
  readonly quiet: boolean;
}

export type ExactValue = FiniteValue | InfValue | NaNValue;

/** (-1)^sign · sig · 2^exp, normalized. */
export function finite(sign: Sign, sig: bigint, exp: number): FiniteValue {
  if (sig < 0n) throw new Error(`finite(): significand must be non-negative, got ${sig}`);
  if (sig === 0n) return { kind: 'finite', sign, sig: 0n, exp: 0 };
  const shift = (sig & 1n) === 1n ? 0 : trailingZeros(sig);
  return { kind: 'finite', sign, sig: sig >> BigInt(shift), exp: exp + shift };
}

export function zero(sign: Sign = 0): FiniteValue {
  return { kind: 'finite', sign, sig: 0n, exp: 0 };
}

export function inf(sign: Sign = 0): InfValue {
  return { kind: 'inf', sign };
}

export function nan(sign: Sign = 0, quiet = true): NaNValue {
  return { kind: 'nan', sign, quiet };
}

/** The integer n as an exact value. */
export function integer(n: bigint | number): FiniteValue {
  const big = BigInt(n);
  return big < 0n ? finite(1, -big, 0) : finite(0, big, 0);
}

export function isZero(v: ExactValue): boolean {
  return v.kind === 'finite' && v.sig === 0n;
}

export function isFiniteValue(v: ExactValue): v is FiniteValue {
  return v.kind === 'finite';
}

export function negate(v: ExactValue): ExactValue {
  const sign: Sign = v.sign === 0 ? 1 : 0;
  return { ...v, sign };
}

/** Same value, same sign of zero, NaN equal to NaN of the same sign and quietness. */
export function sameValue(a: ExactValue, b: ExactValue): boolean {
  if (a.kind !== b.kind || a.sign !== b.sign) return false;
  if (a.kind === 'finite') return a.sig === (b as FiniteValue).sig && a.exp === (b as FiniteValue).exp;
  if (a.kind === 'nan') return a.quiet === (b as NaNValue).quiet;
  return true;
}

/** Compares two finite values numerically (+0 equals -0). */
export function compareFinite(a: FiniteValue, b: FiniteValue): -1 | 0 | 1 {
  const sa = a.sig === 0n ? 0 : a.sign === 0 ? 1 : -1;
  const sb = b.sig === 0n ? 0 : b.sign === 0 ? 1 : -1;
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  const magnitude = compareMagnitudes(a, b);
  return (sa > 0 ? magnitude : -magnitude) as -1 | 0 | 1;
}

/** Compares |a| and |b|. */
export function compareMagnitudes(a: FiniteValue, b: FiniteValue): -1 | 0 | 1 {
  return compareScaled(a.sig, a.exp, b.sig, b.exp);
}

/** Readable form for messages and tests, e.g. "-3·2^-2", "+inf", "qnan". */
export function describeValue(v: ExactValue): string {
  const sign = v.sign === 1 ? '-' : '+';
  if (v.kind === 'nan') return `${sign}${v.quiet ? 'q' : 's'}nan`;
  if (v.kind === 'inf') return `${sign}inf`;
  return `${sign}${v.sig}·2^${v.exp}`;
}
