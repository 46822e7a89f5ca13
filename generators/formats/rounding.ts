// Rounding modes, and the one decision every rounder shares: given the truncated integer, is the
// discarded part below, at or above one half, and which way does the mode go.

export const ROUNDING_MODES = ['rne', 'rna', 'rnz', 'rnd', 'rtz', 'rup', 'rdown'] as const;

/**
 * rne: nearest, ties to even (IEEE default). rna: nearest, ties away from zero (microxcaling "nearest").
 * rnz: nearest, ties toward zero (midpoint quantizers on |x|, e.g. NVFP4-RaZeR). rnd: nearest, ties toward
 * -inf (midpoint quantizers on signed x: BitMoD, RaZeR, NF4). rtz: toward zero (truncation).
 * rup: toward +inf. rdown: toward -inf.
 */
export type RoundingMode = (typeof ROUNDING_MODES)[number];

/** A rounding mode seen from the magnitude once the sign is known. */
export type MagnitudeRule = 'nearest-even' | 'nearest-away' | 'nearest-zero' | 'toward-zero' | 'away';

export function magnitudeRule(mode: RoundingMode, sign: 0 | 1): MagnitudeRule {
  switch (mode) {
    case 'rne':
      return 'nearest-even';
    case 'rna':
      return 'nearest-away';
    case 'rnz':
      return 'nearest-zero';
    case 'rnd':
      return sign === 1 ? 'nearest-away' : 'nearest-zero';
    case 'rtz':
      return 'toward-zero';
    case 'rup':
      return sign === 1 ? 'toward-zero' : 'away';
    case 'rdown':
      return sign === 1 ? 'away' : 'toward-zero';
  }
}

/** True when a rounding mode picks the nearest value (the IEEE overflow rule sends those to infinity). */
export function isNearestRule(rule: MagnitudeRule): boolean {
  return rule.startsWith('nearest');
}

/**
 * Whether to add one to the truncated integer.
 * @param versusHalf sign of (discarded fraction - 1/2); only meaningful when inexact
 */
export function roundsUp(
  rule: MagnitudeRule,
  truncatedIsOdd: boolean,
  versusHalf: number,
  inexact: boolean,
): boolean {
  if (!inexact) return false;
  switch (rule) {
    case 'toward-zero':
      return false;
    case 'away':
      return true;
    case 'nearest-even':
      return versusHalf > 0 || (versusHalf === 0 && truncatedIsOdd);
    case 'nearest-away':
      return versusHalf >= 0;
    case 'nearest-zero':
      return versusHalf > 0;
  }
}

/** An integer multiple of 2^q: the result of rounding a magnitude at quantum exponent q. */
export interface RoundedUnits {
  units: number;
  inexact: boolean;
}

/** A positive magnitude that can be rounded to a multiple of any power of two. */
export interface Magnitude {
  /** floor(log2 m). */
  readonly log2Floor: number;
  /**
   * m / 2^q rounded to an integer by rule. The caller keeps the result below 2^53 unless it asks
   * for it modulo 2^moduloBits (two's-complement wrapping).
   */
  roundAt(q: number, rule: MagnitudeRule, moduloBits?: number): RoundedUnits;
  /** Sign of m - sig · 2^exp. */
  compareTo(sig: bigint, exp: number): -1 | 0 | 1;
}
