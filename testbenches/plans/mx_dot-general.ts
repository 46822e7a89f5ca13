// DotGeneral sequences for mx_dot with exact accumulation (docs/mx-nvfp4.md#dotgeneral): runs of
// block pairs, each started by a clear, chosen so that a sum rounded block by block, or kept in the
// output format, differs from the exact sum rounded once.
import type { Random } from '../vectors/random.ts';

export interface SequencePair {
  a: number[];
  sa: number;
  b: number[];
  sb: number;
  clear?: boolean;
}

/** What the plan's block builders offer the sequences. */
export interface BlockMaker {
  rng: Random;
  lanes: number;
  nvfp4: boolean;
  /** Output precision p (significand bits), largest and smallest normal exponents. */
  precision: number;
  emax: number;
  emin: number;
  randomPair(): SequencePair;
  /** Exponents e from which `power` can build ±2^e. */
  powers: { min: number; max: number };
  /** A pair whose exact Dot is +2^e (or −2^e), if one can be built. */
  power(e: number, negative?: boolean): SequencePair | undefined;
  /** The pair with every element of a negated (lanes that cannot be negated cleared in both). */
  negated(v: SequencePair): { value: SequencePair; negation: SequencePair };
  /** Codes: a NaN scale, and for formats with infinities a block pair whose Dot is ±Inf. */
  nanScale: number;
  infinite(negative: boolean): SequencePair | undefined;
}

const first = (v: SequencePair): SequencePair => ({ ...v, clear: true });
const next = (v: SequencePair): SequencePair => ({ ...v, clear: false });

/** A run: its first pair clears, the others continue; undefined if a pair could not be built. */
function run(pairs: (SequencePair | undefined)[]): SequencePair[] {
  if (pairs.some((v) => v === undefined)) return [];
  return pairs.map((v, i) => (i === 0 ? first(v!) : next(v!)));
}

/**
 * Runs whose exact sum tells: small Dots absorbed by a large one (five quarter-ulps round the sum up;
 * one at a time they vanish), a large Dot and its negation around a small one, sums past the
 * overflow threshold and back, NaN scales and infinite Dots inside runs.
 */
export function edgeRuns(make: BlockMaker): SequencePair[] {
  const { rng, precision } = make;
  const runs: SequencePair[] = [];
  const exponents = (count: number, low: number, high: number) =>
    Array.from({ length: count }, () => low + rng.below(high - low + 1));
  const low = Math.max(make.emin, make.powers.min) + precision + 2;
  for (const h of exponents(40, low, Math.min(make.emax - 1, make.powers.max))) {
    const small = make.power(h - precision - 1, rng.chance(0.25));
    runs.push(...run([make.power(h), small, small, small, small, small]));
  }
  for (let i = 0; i < 60; i++) {
    const { value, negation } = make.negated(make.randomPair());
    const h = make.powers.min + rng.below(make.powers.max - make.powers.min + 1);
    runs.push(...run([value, make.power(h, rng.chance(0.5)), negation]));
  }
  for (const negative of [false, true]) {
    const big = make.power(make.emax, negative);
    const back = make.power(make.emax, !negative);
    runs.push(...run([big, big, back, back]), ...run([big, big, big, back, back, make.power(0)]));
  }
  for (let i = 0; i < 8; i++) {
    const nan = { ...make.randomPair(), sa: make.nanScale };
    runs.push(...run([make.randomPair(), nan, make.randomPair(), make.randomPair()]));
    runs.push(first(make.randomPair()));
  }
  const [posInf, negInf] = [make.infinite(false), make.infinite(true)];
  if (posInf !== undefined && negInf !== undefined) {
    runs.push(...run([make.randomPair(), posInf, make.randomPair()]), ...run([negInf, make.randomPair()]));
    runs.push(...run([posInf, make.randomPair(), negInf, make.randomPair()]), first(make.randomPair()));
  }
  return runs;
}

/** `count` pairs in runs of 1 to 64, scales as the plan's random pairs have them. */
export function randomRuns(make: BlockMaker, count: number): SequencePair[] {
  const pairs: SequencePair[] = [];
  while (pairs.length < count) {
    const length = Math.min(count - pairs.length, 1 + make.rng.below(64));
    pairs.push(...run(Array.from({ length }, () => make.randomPair())));
  }
  return pairs;
}
