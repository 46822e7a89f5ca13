import { describe, expect, it } from 'vitest';
import { Evaluator } from '../hdl/evaluate.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { fromBits, SInt, UInt, type HdlType } from '../hdl/types.ts';
import { atMostConstant } from './compare-constant.ts';

// Every value of every 1- to 5-bit type against every constant from below its range to above it.
describe('atMostConstant: x ≤ c as logic on the bits', () => {
  for (const signed of [false, true]) {
    for (let width = 1; width <= 5; width++) {
      const type: HdlType = signed ? SInt(width) : UInt(width);
      const [min, max] = signed ? [-(2 ** (width - 1)), 2 ** (width - 1) - 1] : [0, 2 ** width - 1];
      it(`${signed ? 'signed' : 'unsigned'} ${width}-bit x, every x and c from ${min - 2} to ${max + 2}`, () => {
        const m = new ModuleBuilder('at_most', { generator: 'test', params: {} });
        const x = m.input('x', type);
        const constants = Array.from({ length: max - min + 5 }, (_, i) => min - 2 + i);
        constants.forEach((c, i) => m.output(`le${i}`, atMostConstant(x, c)));
        const ev = new Evaluator(m.build());
        for (let bits = 0n; bits < 1n << BigInt(width); bits++) {
          ev.set('x', bits);
          const value = Number(fromBits(bits, type));
          constants.forEach((c, i) => expect(ev.get(`le${i}`), `${value} ≤ ${c}`).toBe(value <= c ? 1n : 0n));
        }
      });
    }
  }
});
