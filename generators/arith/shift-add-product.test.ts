import { describe, expect, it } from 'vitest';
import { runVectors } from '../hdl/evaluate.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { fromBits, SInt, UInt } from '../hdl/types.ts';
import { shiftAddProduct } from './shift-add-product.ts';

/** Every value of a type, as integers. */
function values(width: number, signed: boolean): bigint[] {
  const count = 1n << BigInt(width);
  return Array.from({ length: Number(count) }, (_, i) => (signed ? BigInt(i) - count / 2n : BigInt(i)));
}

describe('shiftAddProduct', () => {
  // Every pair of every signedness, against integer multiplication; the narrow operand on either side
  // of the wide one's width, down to one bit.
  const shapes = [
    [6, 4],
    [5, 1],
    [4, 5],
    [1, 3],
    [7, 2],
  ] as const;
  for (const [wideWidth, narrowWidth] of shapes)
    for (const wideSigned of [false, true])
      for (const narrowSigned of [false, true]) {
        const tag = (w: number, s: boolean) => `${s ? 's' : 'u'}${w}`;
        const name = `${tag(wideWidth, wideSigned)} × ${tag(narrowWidth, narrowSigned)}`;
        it(`${name}: every pair, the type of a multiplier's product`, () => {
          const m = new ModuleBuilder(`sap_${name.replace(' × ', '_')}`, { generator: 'test', params: {} });
          const type = (w: number, s: boolean) => (s ? SInt(w) : UInt(w));
          const wide = m.input('a', type(wideWidth, wideSigned));
          const narrow = m.input('b', type(narrowWidth, narrowSigned));
          const product = shiftAddProduct(wide, narrow, 'p');
          expect(product.type).toEqual(wide.mul(narrow).type);
          m.output('p', product);
          const module = m.build();
          const pairs = values(wideWidth, wideSigned).flatMap((a) =>
            values(narrowWidth, narrowSigned).map((b) => [a, b]),
          );
          const got = runVectors(module, pairs).map(([p]) => fromBits(p!, product.type));
          expect(got).toEqual(pairs.map(([a, b]) => a! * b!));
        });
      }

  // With a cut after the first level of adders, the product comes one cycle later, still exact.
  for (const [wideWidth, narrowWidth, narrowSigned] of [
    [6, 4, false],
    [5, 3, true],
    [4, 1, false],
    [4, 2, true],
  ] as const) {
    it(`s${wideWidth} × ${narrowSigned ? 's' : 'u'}${narrowWidth} with a cut inside the tree: every pair, one cycle later`, () => {
      const m = new ModuleBuilder(`sap_cut_${wideWidth}_${narrowWidth}`, { generator: 'test', params: {} });
      const wide = m.input('a', SInt(wideWidth));
      const narrow = m.input('b', narrowSigned ? SInt(narrowWidth) : UInt(narrowWidth));
      let cuts = 0;
      const product = shiftAddProduct(wide, narrow, 'p', () => {
        cuts++;
        m.stage();
      });
      expect(cuts).toBe(1);
      m.output('p', product);
      const module = m.build();
      expect(module.timing).toMatchObject({ latency: 1 });
      const pairs = values(wideWidth, true).flatMap((a) =>
        values(narrowWidth, narrowSigned).map((b) => [a, b]),
      );
      const got = runVectors(module, pairs).map(([p]) => fromBits(p!, product.type));
      expect(got).toEqual(pairs.map(([a, b]) => a! * b!));
    });
  }

  it('names each gated copy and the product', () => {
    const m = new ModuleBuilder('sap_names', { generator: 'test', params: {} });
    m.output('p', shiftAddProduct(m.input('a', SInt(8)), m.input('b', SInt(3)), 'w0'));
    const names = m
      .build()
      .nodes.map((n) => n.name)
      .filter((n) => n !== undefined);
    expect(names).toEqual(expect.arrayContaining(['w0_pp0', 'w0_pp1', 'w0_pp2', 'w0_product']));
  });
});
