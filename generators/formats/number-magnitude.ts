// The fast rounder: a positive finite double rounded with double arithmetic only. Every step is exact
// (scaling by a power of two, floor, subtracting the floor), so it decides exactly as exact-magnitude.ts.

import { compareScaled } from './bigint-bits.ts';
import { pow2, scaleByPow2 } from './pow2.ts';
import { roundsUp, type Magnitude, type MagnitudeRule, type RoundedUnits } from './rounding.ts';

const bitsView = new Float64Array(1);
const words = new Uint32Array(bitsView.buffer);
bitsView[0] = 1;
const HIGH_WORD = words[1] === 0x3ff00000 ? 1 : 0;

/** floor(log2 a) for a positive finite double, read from its exponent field. */
export function doubleExponent(a: number): number {
  bitsView[0] = a;
  const field = (words[HIGH_WORD]! >>> 20) & 0x7ff;
  if (field !== 0) return field - 1023;
  bitsView[0] = a * pow2(64);
  return ((words[HIGH_WORD]! >>> 20) & 0x7ff) - 1023 - 64;
}

/**
 * The magnitude of a positive finite double. A class rather than an object of closures: tools that keep
 * function names (tsx, esbuild --keep-names) would otherwise rename two closures on every encode.
 */
class NumberMagnitude implements Magnitude {
  readonly log2Floor: number;

  constructor(private readonly a: number) {
    this.log2Floor = doubleExponent(a);
  }

  roundAt(q: number, rule: MagnitudeRule, moduloBits?: number): RoundedUnits {
    return roundScaled(this.a, this.log2Floor, q, rule, moduloBits);
  }

  compareTo(sig: bigint, exp: number): -1 | 0 | 1 {
    // a = its 53-bit integer significand · 2^(log2Floor - 52), exactly.
    const aSig = BigInt(scaleByPow2(this.a, 52 - this.log2Floor));
    return compareScaled(aSig, this.log2Floor - 52, sig, exp);
  }
}

export function numberMagnitude(a: number): Magnitude {
  return new NumberMagnitude(a);
}

function roundScaled(
  a: number,
  log2Floor: number,
  q: number,
  rule: MagnitudeRule,
  moduloBits?: number,
): RoundedUnits {
  // Below a quarter unit: nothing to scale (the scaled value could leave the double range).
  if (log2Floor - q < -2) return { units: rule === 'away' ? 1 : 0, inexact: true };
  const scaled = scaleByPow2(a, -q);
  const truncated = Math.floor(scaled);
  const rest = scaled - truncated;
  const inexact = rest !== 0;
  const versusHalf = rest < 0.5 ? -1 : rest > 0.5 ? 1 : 0;
  let units = roundsUp(rule, truncated % 2 === 1, versusHalf, inexact) ? truncated + 1 : truncated;
  if (moduloBits !== undefined) units %= pow2(moduloBits);
  return { units, inexact };
}
