import { describe, expect, it } from 'vitest';
import { runVectors } from '../hdl/evaluate.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { UInt } from '../hdl/types.ts';
import { splitProduct } from './split-product.ts';

/** A module p = a×b with the multiplier split into `parts` partial products and one stage cut. */
function splitMultiplier(aWidth: number, bWidth: number, parts: number, aParts = 1) {
  const m = new ModuleBuilder(`split_mul_${aWidth}_${bWidth}_${parts}_${aParts}`, {
    generator: 'test',
    params: {},
  });
  const p = splitProduct(
    m.input('a', UInt(aWidth)),
    m.input('b', UInt(bWidth)),
    parts,
    () => m.stage(),
    'p',
    undefined,
    aParts,
  );
  m.output('p', p);
  return m.build();
}

describe('splitProduct', () => {
  // Every pair, against the integer product: slices of equal and unequal widths, one to five parts.
  for (const [aWidth, bWidth, parts] of [
    [5, 6, 2],
    [6, 5, 2],
    [4, 7, 3],
    [5, 5, 5],
    [3, 4, 1],
  ] as const) {
    it(`${aWidth}×${bWidth} bits in ${parts} parts: every pair, one cycle later`, () => {
      const module = splitMultiplier(aWidth, bWidth, parts);
      expect(module.timing).toMatchObject({ kind: 'pipelined', latency: 1 });
      const pairs: bigint[][] = [];
      for (let a = 0n; a < 1n << BigInt(aWidth); a++)
        for (let b = 0n; b < 1n << BigInt(bWidth); b++) pairs.push([a, b]);
      const got = runVectors(module, pairs).map(([p]) => p);
      expect(got).toEqual(pairs.map(([a, b]) => a! * b!));
    });
  }

  // Both operands sliced (a grid of partial products): every pair, against the integer product.
  for (const [aWidth, bWidth, parts, aParts] of [
    [6, 6, 2, 2],
    [5, 7, 3, 2],
    [7, 4, 2, 3],
    [4, 4, 4, 4],
  ] as const) {
    it(`${aWidth}×${bWidth} bits, a in ${aParts} and b in ${parts} slices: every pair, one cycle later`, () => {
      const module = splitMultiplier(aWidth, bWidth, parts, aParts);
      expect(module.timing).toMatchObject({ kind: 'pipelined', latency: 1 });
      const pairs: bigint[][] = [];
      for (let a = 0n; a < 1n << BigInt(aWidth); a++)
        for (let b = 0n; b < 1n << BigInt(bWidth); b++) pairs.push([a, b]);
      const got = runVectors(module, pairs).map(([p]) => p);
      expect(got).toEqual(pairs.map(([a, b]) => a! * b!));
    });
  }

  for (const aParts of [1, 2])
    it(`24×24 bits in 2 parts (a in ${aParts}): the largest operands and a seeded sample`, () => {
      const module = splitMultiplier(24, 24, 2, aParts);
      const max = (1n << 24n) - 1n;
      let s = 12345n;
      const next = () => (s = (s * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n)) >> 40n;
      const pairs = [
        [max, max],
        [max, 1n],
        [1n << 23n, 1n << 23n],
        ...Array.from({ length: 500 }, () => [next(), next()]),
      ];
      const got = runVectors(module, pairs).map(([p]) => p);
      expect(got).toEqual(pairs.map(([a, b]) => a! * b!));
    });
});
