// Exact sums and products of finite dyadic values.

import { finite, type FiniteValue, type Sign } from './value.ts';

export function dyadicMul(a: FiniteValue, b: FiniteValue): FiniteValue {
  return finite((a.sign ^ b.sign) as Sign, a.sig * b.sig, a.exp + b.exp);
}

/** a + b; an exact zero sum takes the sign given (IEEE: +0, or -0 when rounding toward -inf). */
export function dyadicAdd(a: FiniteValue, b: FiniteValue, zeroSign: Sign = 0): FiniteValue {
  if (a.sig === 0n && b.sig === 0n) return finite(a.sign === b.sign ? a.sign : zeroSign, 0n, 0);
  if (a.sig === 0n) return b;
  if (b.sig === 0n) return a;
  const exp = Math.min(a.exp, b.exp);
  const x = a.sig << BigInt(a.exp - exp);
  const y = b.sig << BigInt(b.exp - exp);
  const sum = (a.sign ? -x : x) + (b.sign ? -y : y);
  if (sum === 0n) return finite(zeroSign, 0n, 0);
  return sum < 0n ? finite(1, -sum, exp) : finite(0, sum, exp);
}

/** (a + b) / 2. */
export function dyadicMidpoint(a: FiniteValue, b: FiniteValue): FiniteValue {
  const sum = dyadicAdd(a, b);
  return finite(sum.sign, sum.sig, sum.exp - 1);
}
