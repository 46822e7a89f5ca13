import { describe, expect, it } from 'vitest';
import { fpMacPlan } from '../../testbenches/plans/fp_mac.ts';
import { parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { fpMac } from './fp_mac.ts';

/** The evaluated unit against its plan's golden vectors: the first mismatching row, or -1. */
function firstMismatch(raw: Record<string, unknown>, count = 4000): number {
  const p = parseParams(fpMac, raw);
  const v = fpMacPlan.vectors(p, { kind: 'random', count }, 11);
  const got = runVectors(fpMac.build(p), v.stimulus, { idle: (c) => c % 7 === 3 });
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
    { accumulator: 'none', aFormat: 'fp16', bFormat: 'fp16', accFormat: 'fp16', flags: true, latency: 11 },
    { accumulator: 'none', aFormat: 'bf16', bFormat: 'bf16', product: 'lmul', accFormat: 'fp32', latency: 2 },
  ]) {
    it(JSON.stringify(raw), () => {
      expect(firstMismatch(raw)).toBe(-1);
    });
  }
});

describe('fp_mac latency', () => {
  it.each([
    ['kulisch', 13, {}],
    ['kulisch', 15, { msb: 20, lsb: -20 }],
    ['float', 3, {}],
    ['none', 11, {}],
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
