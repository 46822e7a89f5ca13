// The fp_mac plans discriminate between the semantics: an exact sum rounded once, a sum rounded after
// every step, and a sum truncated to an msb/lsb window are different answers on the plans' vectors,
// so a unit built for one of them fails the plan of another.

import { describe, expect, it } from 'vitest';
import { parseParams } from '../../generators/generator.ts';
import { runVectors } from '../../generators/hdl/evaluate.ts';
import { fpMac } from '../../generators/mac/fp_mac.ts';
import { fpMacPlan } from './fp_mac.ts';

const vectors = (raw: Record<string, unknown>, count = 3000) =>
  fpMacPlan.vectors(parseParams(fpMac, raw), { kind: 'random', count }, 5);

/** Rows whose expected result codes differ between two plans. */
function differing(x: bigint[][], y: bigint[][]): number {
  return x.filter((row, i) => row[0] !== y[i]![0]).length;
}

describe('fp_mac plans tell the semantics apart', () => {
  it('an exact sum rounded once differs from a sum rounded every step on many vectors', () => {
    const exact = vectors({ accumulator: 'kulisch', k: 4096 });
    const perStep = vectors({ accumulator: 'float' });
    expect(exact.stimulus).toEqual(perStep.stimulus);
    expect(differing(exact.expected, perStep.expected)).toBeGreaterThan(50);
  });

  it('a unit that rounds every step (the mutant) fails the exact-sum plan', () => {
    const exact = vectors({ accumulator: 'kulisch', k: 4096 });
    const mutant = fpMac.build(parseParams(fpMac, { accumulator: 'float', latency: 1 }));
    const got = runVectors(mutant, exact.stimulus);
    expect(got.findIndex((row, i) => row[0] !== exact.expected[i]![0])).toBeGreaterThan(-1);
  });

  it('partial sums (combined in index order) differ from one accumulator, and a unit with one fails their plan', () => {
    const one = vectors({ accumulator: 'float', accFormat: 'bf16' });
    const four = vectors({ accumulator: 'float', accFormat: 'bf16', partialSums: 4 });
    expect(four.stimulus).toEqual(one.stimulus);
    expect(differing(one.expected, four.expected)).toBeGreaterThan(50);
    const mutant = fpMac.build(parseParams(fpMac, { accumulator: 'float', accFormat: 'bf16', latency: 1 }));
    const got = runVectors(mutant, four.stimulus);
    expect(got.findIndex((row, i) => row[0] !== four.expected[i]![0])).toBeGreaterThan(-1);
  });

  it('a window truncates products and flags those beyond its top', () => {
    const exact = vectors({ accumulator: 'kulisch', k: 32 });
    const window = vectors({ accumulator: 'kulisch', msb: 8, lsb: -4 });
    expect(differing(exact.expected, window.expected)).toBeGreaterThan(100);
    const flagged = window.expected.filter((row) => row[1] === 1n).length;
    expect(flagged).toBeGreaterThan(10);
    expect(flagged).toBeLessThan(window.expected.length);
  });

  it('an exact window (lsb at the products LSB, msb above any sum) gives the exact sum', () => {
    // e4m3fn × e4m3fn: products are multiples of 2^-18 below 2^18; k = 32 of them stay below 2^23.
    const exact = vectors({ accumulator: 'kulisch', k: 32 });
    const window = vectors({ accumulator: 'kulisch', msb: 23, lsb: -18 });
    expect(differing(exact.expected, window.expected)).toBe(0);
    expect(window.expected.every((row) => row[1] === 0n)).toBe(true);
  });
});

describe('fp_mac accumulator widths', () => {
  it('refuses an accumulator wider than 4,096 bits, naming the formats, the window and the width', () => {
    expect(() => parseParams(fpMac, { accumulator: 'kulisch', msb: 3000, lsb: -2000 })).toThrow(
      /'msb' = 3000 is not allowed: the accumulator for e4m3fn × e4m3fn products in the window msb = 3000, lsb = -2000 would be 5001 bits wide; at most 4096 are allowed/,
    );
  });

  it('refuses k where it does not apply and a window without both ends', () => {
    expect(() => parseParams(fpMac, { accumulator: 'float', k: 32 })).toThrow(
      /'k' = 32 is not allowed: applies to the kulisch accumulator only/,
    );
    expect(() => parseParams(fpMac, { accumulator: 'kulisch', k: 32, msb: 8, lsb: -4 })).toThrow(
      /'k' = 32 is not allowed: applies without an msb\/lsb window only/,
    );
    expect(() => parseParams(fpMac, { accumulator: 'kulisch', msb: 8 })).toThrow(
      /'lsb' = \(default\) is not allowed: msb and lsb set a window together: give both/,
    );
  });
});
