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
