// The reference rounder: a positive rational num/den · 2^exp rounded exactly with BigInt arithmetic.

import { bitLength, compareScaled } from './bigint-bits.ts';
import { roundsUp, type Magnitude, type MagnitudeRule, type RoundedUnits } from './rounding.ts';

/** floor(log2(num/den)) for positive num, den. */
function floorLog2Ratio(num: bigint, den: bigint): number {
  const guess = bitLength(num) - bitLength(den);
  const below = guess >= 0 ? num < den << BigInt(guess) : num << BigInt(-guess) < den;
  return below ? guess - 1 : guess;
}

/** The magnitude num/den · 2^exp (num, den > 0); a class for the reason given in number-magnitude.ts. */
class ExactMagnitude implements Magnitude {
  readonly log2Floor: number;

  constructor(
    private readonly num: bigint,
    private readonly den: bigint,
    private readonly exp: number,
  ) {
    this.log2Floor = floorLog2Ratio(num, den) + exp;
  }

  roundAt(q: number, rule: MagnitudeRule, moduloBits?: number): RoundedUnits {
    return roundRatio(this.num, this.den, this.exp - q, rule, moduloBits);
  }

  compareTo(sig: bigint, sigExp: number): -1 | 0 | 1 {
    return compareScaled(this.num, this.exp, sig * this.den, sigExp);
  }
}

export function exactMagnitude(num: bigint, den: bigint, exp: number): Magnitude {
  return new ExactMagnitude(num, den, exp);
}

/** num/den · 2^shift rounded to an integer. */
function roundRatio(
  num: bigint,
  den: bigint,
  shift: number,
  rule: MagnitudeRule,
  moduloBits?: number,
): RoundedUnits {
  let truncated: bigint;
  let versusHalf: number;
  let inexact: boolean;
  if (den === 1n && shift >= 0) {
    truncated = num << BigInt(shift);
    versusHalf = -1;
    inexact = false;
  } else if (den === 1n) {
    const drop = BigInt(-shift);
    truncated = num >> drop;
    const rest = num - (truncated << drop);
    const half = 1n << (drop - 1n);
    inexact = rest !== 0n;
    versusHalf = rest < half ? -1 : rest > half ? 1 : 0;
  } else {
    const n = shift >= 0 ? num << BigInt(shift) : num;
    const d = shift >= 0 ? den : den << BigInt(-shift);
    truncated = n / d;
    const twiceRest = (n - truncated * d) * 2n;
    inexact = twiceRest !== 0n;
    versusHalf = twiceRest < d ? -1 : twiceRest > d ? 1 : 0;
  }
  const up = roundsUp(rule, (truncated & 1n) === 1n, versusHalf, inexact);
  let units = up ? truncated + 1n : truncated;
  if (moduloBits !== undefined) units &= (1n << BigInt(moduloBits)) - 1n;
  return { units: Number(units), inexact };
}
