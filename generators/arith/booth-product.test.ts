import { describe, expect, it } from 'vitest';
import { runVectors } from '../hdl/evaluate.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { fromBits, SInt, UInt } from '../hdl/types.ts';
import { boothProduct } from './booth-product.ts';

/** Every value of a type, as integers. */
function values(width: number, signed: boolean): bigint[] {
  const count = 1n << BigInt(width);
  return Array.from({ length: Number(count) }, (_, i) => (signed ? BigInt(i) - count / 2n : BigInt(i)));
}

const tag = (w: number, s: boolean) => `${s ? 's' : 'u'}${w}`;

describe('boothProduct', () => {
  // Every pair of every signedness against integer multiplication: 8×8 (all 65,536 pairs), odd and
  // even widths of b (an odd signed b's top digit reads its sign twice; an even unsigned b needs an
  // extra digit), and one-bit operands.
  const shapes = [
    [8, 8],
    [5, 4],
    [4, 5],
    [3, 7],
    [1, 3],
    [3, 1],
    [2, 2],
  ] as const;
  for (const [aWidth, bWidth] of shapes)
    for (const aSigned of [false, true])
      for (const bSigned of [false, true]) {
        const name = `${tag(aWidth, aSigned)} × ${tag(bWidth, bSigned)}`;
        it(`${name}: every pair, the type of a multiplier's product`, () => {
          const m = new ModuleBuilder(`booth_${name.replace(' × ', '_')}`, { generator: 'test', params: {} });
          const type = (w: number, s: boolean) => (s ? SInt(w) : UInt(w));
          const a = m.input('a', type(aWidth, aSigned));
          const b = m.input('b', type(bWidth, bSigned));
          const product = boothProduct(a, b, 'p');
          expect(product.type).toEqual(a.mul(b).type);
          m.output('p', product);
          const pairs = values(aWidth, aSigned).flatMap((x) => values(bWidth, bSigned).map((y) => [x, y]));
          const got = runVectors(m.build(), pairs).map(([p]) => fromBits(p!, product.type));
          // The first wrong pair only: a diff of 65,536 products would take minutes to print.
          const wrong = pairs.findIndex(([x, y], i) => got[i] !== x! * y!);
          expect(wrong < 0 ? 'all exact' : `${pairs[wrong]!.join(' × ')} gave ${got[wrong]}`).toBe(
            'all exact',
          );
        });
      }

  // Half as many rows as b has bits: a recoding that fell back to one row per bit would still be exact.
  it('makes one partial product per radix-4 digit', () => {
    const m = new ModuleBuilder('booth_rows', { generator: 'test', params: {} });
    const product = boothProduct(m.input('a', SInt(8)), m.input('b', SInt(8)), 'p');
    m.output('p', product);
    const names = m
      .build()
      .nodes.map((n) => n.name)
      .filter((n): n is string => /^p_pp\d+$/.test(n ?? ''));
    expect(names.sort()).toEqual(['p_pp0', 'p_pp1', 'p_pp2', 'p_pp3']);
  });
});
