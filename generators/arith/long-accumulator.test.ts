import { describe, expect, it } from 'vitest';
import { Random } from '../../testbenches/vectors/random.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { UInt } from '../hdl/types.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';
import {
  longAccumulator,
  type LongAccumulatorCut,
  type LongAccumulatorLayout,
  type LongAccumulatorOptions,
} from './long-accumulator.ts';

const CUTS: LongAccumulatorCut[] = [
  'place',
  'accumulate',
  'carry',
  'resolve',
  'complement',
  'magnitude',
  'top',
  'window',
  'flags',
];

/** A unit around the block: one term per vector, the window of the running sum out. */
function unit(
  layout: LongAccumulatorLayout,
  sigBits: number,
  positionBits: number,
  precision: number,
  latency: number,
  options: LongAccumulatorOptions = {},
) {
  const m = new ModuleBuilder('long_acc', { generator: 'test', params: {} });
  const cut = pipelineCuts(m, latency, CUTS);
  const raw = longAccumulator(
    {
      sig: m.input('sig', UInt(sigBits)),
      position: m.input('position', UInt(positionBits)),
      negative: m.input('negative', UInt(1)),
      zero: m.input('zero', UInt(1)),
    },
    m.input('clear', UInt(1)),
    layout,
    precision,
    (point) => cut.at(point),
    'acc',
    options,
  );
  m.output('sign', raw.sign);
  m.output('exp', raw.exp.asUnsigned());
  m.output('window', raw.sig);
  m.output('sticky', raw.sticky!);
  m.output('is_zero', raw.isZero);
  return m.build();
}

/**
 * Random terms (long runs of one sign, so carries ripple through many segments, and runs near the top
 * so the sum wraps), checked against the exact running sum modulo 2^width: the window holds |sum|
 * truncated at a segment boundary at least `precision` bits below its leading one, leading one on
 * top; the sticky bit says whether anything was cut off.
 */
function check(
  layout: LongAccumulatorLayout,
  sigBits: number,
  precision: number,
  latency: number,
  seed: number,
  options: LongAccumulatorOptions = {},
) {
  const positionBits = Math.ceil(Math.log2(layout.width));
  const module = unit(layout, sigBits, positionBits, precision, latency, options);
  const rng = new Random(seed);
  const rows: bigint[][] = [];
  const sums: bigint[] = [];
  let sum = 0n;
  let runSign = 0n;
  for (let i = 0; i < 3000; i++) {
    const clear = i === 0 || rng.chance(0.01);
    if (rng.chance(0.05)) runSign = 1n - runSign;
    const sig = rng.chance(0.1) ? (1n << BigInt(sigBits)) - 1n : rng.bits(sigBits);
    const position = BigInt(
      rng.chance(0.3) ? layout.width - 1 - rng.below(sigBits + 4) : rng.below(layout.width),
    );
    const negative = rng.chance(0.9) ? runSign : 1n - runSign;
    const zero = rng.chance(0.05) ? 1n : 0n;
    const term = zero ? 0n : (negative ? -sig : sig) << position;
    sum = BigInt.asIntN(layout.width, (clear ? 0n : sum) + term);
    rows.push([sig, BigInt.asUintN(positionBits, position), negative, zero, clear ? 1n : 0n]);
    sums.push(sum);
  }
  const got = runVectors(module, rows);
  got.forEach(([sign, expBits, window, sticky, isZero], i) => {
    const s = sums[i]!;
    const magnitude = s < 0n ? -s : s;
    const windowBits = module.ports.find((p) => p.name === 'window')!.type.width;
    const expWidth = module.ports.find((p) => p.name === 'exp')!.type.width;
    const context = `step ${i}: sum ${s}`;
    expect(isZero, context).toBe(s === 0n ? 1n : 0n);
    if (s === 0n) return;
    expect(sign, context).toBe(s < 0n ? 1n : 0n);
    // The exponent is that of the leading one; the bits kept end at a segment boundary, `precision`
    // bits or more below the leading one (or at the LSB); the window holds them, leading one on top.
    const top = magnitude.toString(2).length - 1;
    expect(Number(BigInt.asIntN(expWidth, expBits!)), context).toBe(top + layout.lsbExp);
    const segment = layout.segment;
    const cutAt = Math.max(0, (Math.floor(top / segment) - Math.ceil(precision / segment)) * segment);
    const kept = magnitude >> BigInt(cutAt);
    expect(window, context).toBe(kept << BigInt(windowBits - kept.toString(2).length));
    expect(sticky, context).toBe(magnitude % (1n << BigInt(cutAt)) !== 0n ? 1n : 0n);
    expect(top - cutAt >= precision || cutAt === 0, context).toBe(true);
  });
}

describe('long accumulator: carry-save segments, read out as the top window of |sum|', () => {
  it.each([
    // width, segment, precision, latency
    [42, 16, 27, 0],
    [42, 16, 27, 8],
    [14, 16, 27, 2],
    [100, 8, 11, 3],
    [130, 32, 27, 5],
    [64, 4, 24, 1],
  ])('%i bits in %i-bit segments, %i bits of precision, latency %i', (width, segment, precision, latency) => {
    check({ width, segment, lsbExp: -7 }, 8, precision, latency, width + latency);
  });

  // The segments' flags from the segments directly and the sticky bit after 'top': a last segment of 1 bit and of 10, every cut.
  it.each([
    [97, 8, 11, 0],
    [97, 8, 11, 8],
    [42, 16, 27, 3],
    [130, 32, 27, 9],
  ])(
    'flagsFromSegments, stickyAfterTop: %i bits in %i-bit segments, %i bits of precision, latency %i',
    (width, segment, precision, latency) => {
      check({ width, segment, lsbExp: -7 }, 8, precision, latency, width + latency, {
        flagsFromSegments: true,
        stickyAfterTop: true,
      });
    },
  );

  // The segments' nonzero flags beside the absolute value's additions (from the one's complement and
  // its increment), with either way of deciding the all-ones segments: a last segment of 1 bit and of 10.
  it.each([
    [97, 8, 11, 0, false],
    [97, 8, 11, 9, true],
    [42, 16, 27, 8, false],
    [267, 16, 27, 9, true],
    [130, 32, 27, 7, true],
  ])(
    'nonzeroBesideMagnitude: %i bits in %i-bit segments, %i bits of precision, latency %i, flagsFromSegments %s',
    (width, segment, precision, latency, flagsFromSegments) => {
      check({ width, segment, lsbExp: -7 }, 8, precision, latency, width + latency, {
        flagsFromSegments,
        stickyAfterTop: true,
        nonzeroBesideMagnitude: true,
      });
    },
  );

  // The absolute value's increments from the segments' zero flags, the sign applied last; the zero
  // flags from the resolved sum or beside the additions of the pending carries (and then the segment
  // index decoded before the 'place' cut).
  it.each([
    [97, 8, 11, 0, false, false],
    [97, 8, 11, 9, true, true],
    [42, 16, 27, 5, false, true],
    [267, 16, 27, 9, true, false],
    [267, 16, 27, 8, true, true],
    [130, 32, 27, 4, false, true],
  ])(
    'incrementsFromZeros: %i bits in %i-bit segments, %i bits of precision, latency %i, nonzeroBesideMagnitude %s, zerosBesideCarries %s',
    (width, segment, precision, latency, nonzeroBesideMagnitude, zerosBesideCarries) => {
      check({ width, segment, lsbExp: -7 }, 8, precision, latency, width + latency, {
        flagsFromSegments: nonzeroBesideMagnitude,
        stickyAfterTop: true,
        nonzeroBesideMagnitude,
        incrementsFromZeros: true,
        zerosBesideCarries,
        decodeBeforePlace: zerosBesideCarries,
      });
    },
  );

  it('refuses a width beyond 4,096 bits and a segment that is no power of two', () => {
    expect(() => unit({ width: 4097, segment: 16, lsbExp: 0 }, 8, 13, 24, 0)).toThrow(
      /acc: a 4097-bit accumulator exceeds 4096 bits/,
    );
    expect(() => unit({ width: 64, segment: 12, lsbExp: 0 }, 8, 6, 24, 0)).toThrow(
      /acc: segment 12 must be a power of two of 2 or more/,
    );
  });
});
