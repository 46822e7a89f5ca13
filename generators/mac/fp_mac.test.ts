import { describe, expect, it } from 'vitest';
import { alignToUnit } from '../../testbenches/align-vectors.ts';
import { fpMacGolden } from '../../testbenches/golden/fp_mac.ts';
import { fpMacPlan, fpMacSpec } from '../../testbenches/plans/fp_mac.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { add, decode, formatByName } from '../formats/index.ts';
import { parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { fpMac } from './fp_mac.ts';

/** The evaluated unit against its plan's golden vectors: the first mismatching row, or -1. */
function firstMismatch(raw: Record<string, unknown>, count = 4000): number {
  const p = parseParams(fpMac, raw);
  const module = fpMac.build(p);
  const v = alignToUnit(fpMacPlan.vectors(p, { kind: 'random', count }, 11), unitUnderTest(module, []));
  const got = runVectors(module, v.stimulus, { idle: (c) => c % 7 === 3 });
  return got.findIndex((row, i) => row.some((x, j) => x !== v.expected[i]![j]));
}

describe('fp_mac in the IR evaluator matches its golden model', () => {
  for (const raw of [
    { accumulator: 'kulisch', k: 32, latency: 0 },
    { accumulator: 'kulisch', k: 32, latency: 10 },
    { aFormat: 'fp16', bFormat: 'fp16', accumulator: 'kulisch', msb: 20, lsb: -20, latency: 15 },
    { accumulator: 'kulisch', k: 4096, segment: '8', latency: 4, ready: true },
    { aFormat: 'e2m1fn', bFormat: 'e2m1fn', accumulator: 'kulisch', k: 32, latency: 3 },
    {
      aFormat: 'e5m2',
      bFormat: 'e4m3fn',
      accumulator: 'kulisch',
      accFormat: 'bf16',
      rounding: 'rtz',
      latency: 6,
    },
    { aFormat: 'bf16', bFormat: 'bf16', product: 'lmul', accumulator: 'kulisch', k: 32, latency: 8 },
    {
      aFormat: 'fp16',
      bFormat: 'fp16',
      accumulator: 'kulisch',
      accFormat: 'fp16',
      segment: '32',
      latency: 5,
    },
    { accumulator: 'kulisch', msb: 8, lsb: -4, latency: 5 },
    { aFormat: 'fp16', bFormat: 'fp16', accumulator: 'kulisch', msb: 15, lsb: -16, segment: '8', latency: 7 },
    { accumulator: 'float', latency: 2 },
    { accumulator: 'float', latency: 0 },
    { accumulator: 'float', addendInput: true, flags: true, latency: 2 },
    { accumulator: 'float', partialSums: 2, latency: 4 },
    { accumulator: 'float', partialSums: 4, latency: 6 },
    { accumulator: 'float', partialSums: 4, latency: 33 },
    { accumulator: 'float', partialSums: 3, accFormat: 'bf16', latency: 5, ready: true },
    { accumulator: 'none', aFormat: 'fp16', bFormat: 'fp16', accFormat: 'fp16', flags: true, latency: 11 },
    // fp32: the product in DSP-sized tiles ('partial'), the split leading-zero count ('count') and alignment ('shift').
    { accumulator: 'none', aFormat: 'fp32', bFormat: 'fp32', accFormat: 'fp32', flags: true, latency: 16 },
    // The long accumulator's segment flags from the segments, the 'flags', 'carry' and 'top' cuts.
    { aFormat: 'bf16', bFormat: 'bf16', product: 'lmul', accumulator: 'kulisch', k: 32, latency: 17 },
    { accumulator: 'none', aFormat: 'bf16', bFormat: 'bf16', product: 'lmul', accFormat: 'fp32', latency: 2 },
  ]) {
    it(JSON.stringify(raw), () => {
      expect(firstMismatch(raw)).toBe(-1);
    });
  }
});

describe('fp_mac latency', () => {
  it.each([
    ['kulisch', 17, {}],
    ['kulisch', 19, { msb: 20, lsb: -20 }],
    ['kulisch', 17, { aFormat: 'bf16', bFormat: 'bf16', product: 'lmul' }],
    ['kulisch', 15, { aFormat: 'e2m1fn', bFormat: 'e2m1fn' }],
    ['float', 3, {}],
    ['float', 33, { partialSums: 4 }],
    ['none', 16, {}],
  ])(
    'the %s accumulator takes every cut point: latency up to %i, each one a stage',
    (accumulator, max, more) => {
      for (let latency = 0; latency <= max; latency++) {
        const unit = fpMac.build(parseParams(fpMac, { accumulator, latency, ...more }));
        expect(unit.timing.kind === 'comb' ? 0 : (unit.timing as { latency: number }).latency).toBe(latency);
      }
      expect(() => parseParams(fpMac, { accumulator, latency: max + 1, ...more })).toThrow(
        new RegExp(
          `'latency' = ${max + 1} is not allowed: must be at most ${max} for the ${accumulator} accumulator`,
        ),
      );
    },
  );
});

describe('fp_mac partial sums', () => {
  // e4m3fn 1·1 = 1 and 2^-4 · 2^-4 = 2^-8, half an ulp of 1 in bf16: (1 + 2^-8) + 2^-8 ties to 1
  // twice, 1 + (2^-8 + 2^-8) = 1 + 2^-7 is exact.
  const p = parseParams(fpMac, { accumulator: 'float', accFormat: 'bf16', partialSums: 3, latency: 4 });
  const [one, sixteenth] = [0x38, 0x18];
  const steps = [
    { a: one, b: one, clear: true },
    { a: sixteenth, b: sixteenth, clear: false },
    { a: sixteenth, b: sixteenth, clear: false },
  ];
  const golden = fpMacGolden(fpMacSpec(p), steps).map((r) => r.code);

  it('combine in index order, each addition rounded: ((s0 + s1) + s2), not s0 + (s1 + s2)', () => {
    const bf16 = formatByName('bf16');
    const [s0, s1] = [decode(bf16, 0x3f80), decode(bf16, 0x3b80)];
    const otherOrder = add(bf16, s0, decode(bf16, add(bf16, s1, s1).code)).code;
    expect(golden).toEqual([0x3f80, 0x3f80, 0x3f80]);
    expect(otherOrder).toBe(0x3f81);
    const got = runVectors(
      fpMac.build(p),
      steps.map((s) => [BigInt(s.a), BigInt(s.b), s.clear ? 1n : 0n]),
    );
    expect(got.map((row) => Number(row[0]))).toEqual(golden);
  });

  it('refuses partial sums beyond the bound, off the float accumulator, or with flags', () => {
    expect(() => parseParams(fpMac, { accumulator: 'float', partialSums: 9 })).toThrow(
      /'partialSums' = 9 is not allowed: must be an integer from 1 to 8/,
    );
    expect(() => parseParams(fpMac, { accumulator: 'float', partialSums: 0 })).toThrow(/'partialSums'/);
    expect(() => parseParams(fpMac, { accumulator: 'kulisch', partialSums: 2 })).toThrow(
      /'partialSums' = 2 is not allowed: applies to the float accumulator only/,
    );
    expect(() => parseParams(fpMac, { accumulator: 'float', partialSums: 2, flags: true })).toThrow(
      /'partialSums' = 2 is not allowed: must be 1 with flags/,
    );
  });
});
