import { describe, expect, it } from 'vitest';
import { Evaluator, runVectors } from '../hdl/evaluate.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { UInt } from '../hdl/types.ts';
import { leadingZeros } from './lzc.ts';

describe('leadingZeros', () => {
  for (const width of [1, 2, 3, 5, 8, 11, 16, 24]) {
    it(`counts every ${width}-bit value`, () => {
      const m = new ModuleBuilder('lzc', { generator: 'test', params: {} });
      m.output('n', leadingZeros(m.input('x', UInt(width))));
      const ev = new Evaluator(m.build());
      const step = width > 16 ? 997n : 1n;
      for (let x = 0n; x < 1n << BigInt(width); x += step) {
        ev.set('x', x);
        const expected = width - (x === 0n ? 0 : x.toString(2).length);
        expect(Number(ev.get('n'))).toBe(expected);
      }
    });
  }

  // Split by a stage cut: the same counts one cycle later (every value up to 12 bits, a sample of 75).
  for (const width of [1, 2, 3, 7, 12, 75]) {
    it(`split by a cut: ${width}-bit values, one cycle later`, () => {
      const m = new ModuleBuilder('lzc_split', { generator: 'test', params: {} });
      m.output(
        'n',
        leadingZeros(m.input('x', UInt(width)), () => m.stage()),
      );
      const module = m.build();
      expect(module.timing).toMatchObject({ kind: 'pipelined', latency: 1 });
      const xs: bigint[] = [];
      if (width <= 12) for (let x = 0n; x < 1n << BigInt(width); x++) xs.push(x);
      else for (let k = 0; k <= width; k++) xs.push(k === width ? 0n : (1n << BigInt(k)) | BigInt(k * 12345));
      const got = runVectors(
        module,
        xs.map((x) => [x]),
      ).map(([n]) => Number(n));
      expect(got).toEqual(xs.map((x) => width - (x === 0n ? 0 : x.toString(2).length)));
    });
  }
});
