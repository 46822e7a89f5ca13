// Exact values to and from JavaScript numbers (binary64): every finite double is a dyadic rational.

import { exactMagnitude } from './exact-magnitude.ts';
import { doubleExponent } from './number-magnitude.ts';
import { pow2, scaleByPow2 } from './pow2.ts';
import { finite, inf, nan, zero, type ExactValue } from './value.ts';

/** The exact value of a double. A JavaScript NaN carries no usable sign: it becomes a positive quiet NaN. */
export function fromNumber(x: number): ExactValue {
  if (Number.isNaN(x)) return nan(0, true);
  if (x === Infinity) return inf(0);
  if (x === -Infinity) return inf(1);
  if (x === 0) return zero(Object.is(x, -0) ? 1 : 0);
  const a = Math.abs(x);
  const e = doubleExponent(a);
  // a = integer significand (< 2^53) · 2^(e - 52), exactly.
  const exp = Math.max(e, -1022) - 52;
  return finite(x < 0 ? 1 : 0, BigInt(scaleByPow2(a, -exp)), exp);
}

/** The nearest double (ties to even), ±Infinity beyond its range; NaN for NaN. */
export function toNumber(v: ExactValue): number {
  if (v.kind === 'nan') return NaN;
  if (v.kind === 'inf') return v.sign ? -Infinity : Infinity;
  if (v.sig === 0n) return v.sign ? -0 : 0;
  const mag = exactMagnitude(v.sig, 1n, v.exp);
  const q = Math.max(mag.log2Floor, -1022) - 52;
  const { units } = mag.roundAt(q, 'nearest-even');
  const magnitude = q > 1023 - 52 ? Infinity : units * pow2(q);
  return v.sign ? -magnitude : magnitude;
}

/** Whether a value is exactly a double (NaN and ±Inf included). */
export function isExactDouble(v: ExactValue): boolean {
  if (v.kind !== 'finite' || v.sig === 0n) return true;
  const x = toNumber(v);
  if (!Number.isFinite(x)) return false;
  const back = fromNumber(x) as typeof v;
  return back.sig === v.sig && back.exp === v.exp;
}
