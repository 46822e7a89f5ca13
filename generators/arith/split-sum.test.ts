import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runVectors } from '../hdl/evaluate.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { UInt } from '../hdl/types.ts';
import { splitSum } from './split-sum.ts';

describe('splitSum', () => {
  for (const width of [2, 7, 32]) {
    it(`adds ${width}-bit words with a carry-in, modulo 2^${width}, across a pipeline cut`, () => {
      const m = new ModuleBuilder(`split_sum_${width}`, { generator: 'test', params: {} });
      const a = m.input('a', UInt(width));
      const b = m.input('b', UInt(width));
      const c = m.input('c', UInt(1));
      m.output(
        'y',
        splitSum(a, b, c, () => m.stage(), 'sum'),
      );
      const module = m.build();
      expect(module.timing).toMatchObject({ latency: 1 });
      const word = fc.bigInt({ min: 0n, max: (1n << BigInt(width)) - 1n });
      const rows = fc.sample(fc.tuple(word, word, fc.bigInt({ min: 0n, max: 1n })), 300);
      // Carries through the whole width: all ones plus one.
      rows.push([(1n << BigInt(width)) - 1n, 0n, 1n], [(1n << BigInt(width)) - 1n, 1n, 1n]);
      const got = runVectors(module, rows, { idle: (cycle) => cycle % 3 === 1 });
      expect(got.map((r) => r[0])).toEqual(rows.map(([x, y, z]) => (x + y + z) % (1n << BigInt(width))));
    });
  }
});
