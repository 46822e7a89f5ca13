import { describe, expect, it } from 'vitest';
import { runVectors } from '../hdl/evaluate.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { UInt } from '../hdl/types.ts';
import { tiledProduct } from './tiled-product.ts';

/** A module p = a×b from tiles of at most `tile` bits, with one stage cut between the tiles and their sum. */
function tiledMultiplier(aWidth: number, bWidth: number, tile: number) {
  const m = new ModuleBuilder(`tiled_mul_${aWidth}_${bWidth}_${tile}`, { generator: 'test', params: {} });
  const p = tiledProduct(m.input('a', UInt(aWidth)), m.input('b', UInt(bWidth)), tile, () => m.stage(), 'p');
  m.output('p', p);
  return { module: m.build(), width: p.width };
}

/** A seeded sample of `bits`-bit values (a 64-bit LCG's top bits) with 0, 1 and the largest value first. */
function sample(bits: number, count: number, seed: bigint): bigint[] {
  const max = (1n << BigInt(bits)) - 1n;
  let s = seed;
  const next = () => {
    s = (s * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
    return ((s >> 11n) * (s | 1n)) & max;
  };
  return [0n, 1n, max, 1n << BigInt(bits - 1), ...Array.from({ length: count }, next)];
}

describe('tiledProduct', () => {
  // Every pair, against the integer product: one tile, a row of two, overlapping tiles in three rows.
  for (const [aWidth, bWidth, tile] of [
    [5, 6, 6],
    [7, 3, 3],
    [6, 6, 3],
    [7, 5, 2],
  ] as const) {
    it(`${aWidth}×${bWidth} bits in tiles of ${tile}: every pair, one cycle later`, () => {
      const { module, width } = tiledMultiplier(aWidth, bWidth, tile);
      expect(width).toBe(aWidth + bWidth);
      expect(module.timing).toMatchObject({ kind: 'pipelined', latency: 1 });
      const pairs: bigint[][] = [];
      for (let a = 0n; a < 1n << BigInt(aWidth); a++)
        for (let b = 0n; b < 1n << BigInt(bWidth); b++) pairs.push([a, b]);
      expect(runVectors(module, pairs).map(([p]) => p)).toEqual(pairs.map(([a, b]) => a! * b!));
    });
  }

  // The shapes the MACs use: fp32 significands (24×24) and a W4A16 group magnitude times an fp16 one (57×11).
  for (const [aWidth, bWidth] of [
    [24, 24],
    [57, 11],
    [11, 57],
    [40, 30],
  ] as const) {
    it(`${aWidth}×${bWidth} bits in 18-bit tiles: extremes and a seeded sample`, () => {
      const { module } = tiledMultiplier(aWidth, bWidth, 18);
      const as = sample(aWidth, 300, 7n);
      const bs = sample(bWidth, 300, 11n);
      const pairs = as.map((a, i) => [a, bs[i]!]);
      expect(runVectors(module, pairs).map(([p]) => p)).toEqual(pairs.map(([a, b]) => a! * b!));
    });
  }
});
