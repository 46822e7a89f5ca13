// Exact helpers shared by the block quantizers: reading inputs, a block's largest magnitude, and
// power-of-two exponents of ratios for shared scales.

import { bitLength } from '../bigint-bits.ts';
import { exactMagnitude } from '../exact-magnitude.ts';
import { compareMagnitudes, finite, type ExactValue, type FiniteValue } from '../value.ts';
import { fromNumber } from '../value-number.ts';

/** Quantizer inputs may be exact values or doubles (taken exactly). */
export function toExactValues(values: readonly (ExactValue | number)[]): ExactValue[] {
  return values.map((v) => (typeof v === 'number' ? fromNumber(v) : v));
}

/** The values as finite ones, or an error naming the first that is not. */
export function requireFinite(values: readonly (ExactValue | number)[], who: string): FiniteValue[] {
  const exact = toExactValues(values);
  const bad = exact.findIndex((v) => v.kind !== 'finite');
  if (bad >= 0) throw new Error(`${who}: value ${bad} is not finite (NaN and Inf have no encoding here)`);
  return exact as FiniteValue[];
}

/** max |v| as a non-negative value (+0 for an empty or all-zero block). */
export function largestMagnitude(values: readonly FiniteValue[]): FiniteValue {
  const amax = values.reduce((m, v) => (compareMagnitudes(v, m) > 0 ? v : m), finite(0, 0n, 0));
  return finite(0, amax.sig, amax.exp);
}

/** floor(log2 |x|) for a nonzero finite x. */
export function floorLog2(x: FiniteValue): number {
  return x.exp + bitLength(x.sig) - 1;
}

/** The power-of-two exponent of |a| / |b| (both nonzero) rounded: down, up, or to nearest with ties up. */
export function log2OfRatio(a: FiniteValue, b: FiniteValue, rounding: 'floor' | 'ceil' | 'nearest'): number {
  const ratio = exactMagnitude(a.sig, b.sig, a.exp - b.exp);
  const floor = ratio.log2Floor;
  if (rounding === 'floor') return floor;
  if (rounding === 'ceil') return ratio.compareTo(1n, floor) === 0 ? floor : floor + 1;
  // One significant bit, ties to even: 1.5·2^k → 2^(k+1), as E8M0 rounding to nearest does.
  return floor + (ratio.roundAt(floor, 'nearest-even').units === 2 ? 1 : 0);
}
