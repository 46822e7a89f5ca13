// Power-of-two exponents of exact values, for shared block scales.

import { bitLength } from '../bigint-bits.ts';
import { exactMagnitude } from '../exact-magnitude.ts';
import type { FiniteValue } from '../value.ts';

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
