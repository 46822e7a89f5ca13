import { describe, expect, it } from 'vitest';
import { Evaluator } from '../hdl/evaluate.ts';
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
});
