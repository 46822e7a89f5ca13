import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode } from '../codec.ts';
import { formatBits } from '../format.ts';
import { intOfCode, intRange } from '../int-codec.ts';
import { finite, integer, nan, type FiniteValue } from '../value.ts';
import { toNumber } from '../value-number.ts';
import { blockFormatByName } from './block-presets.ts';
import {
  dequantizeMxBlock,
  elementEmax,
  MX_FORMATS,
  packMxBlock,
  quantizeMx,
  quantizeMxBlock,
  unpackMxBlock,
  type MxFormat,
} from './mx.ts';

const mxfp4 = blockFormatByName('mxfp4') as MxFormat;
const mxint8 = blockFormatByName('mxint8') as MxFormat;

function block(first: number[]): number[] {
  return [...first, ...Array<number>(32 - first.length).fill(0)];
}

describe('MX quantization (docs/mx-nvfp4.md#conversion-to-mx)', () => {
  it('knows emax of every element format', () => {
    expect(MX_FORMATS.map((f) => [f.name, elementEmax(f)])).toEqual([
      ['mxfp8_e4m3', 8],
      ['mxfp8_e5m2', 15],
      ['mxfp6_e3m2', 4],
      ['mxfp6_e2m3', 2],
      ['mxfp4', 2],
      ['mxint8', 0],
    ]);
  });

  it('uses floor(log2 amax) - emax and clamps elements beyond max', () => {
    const q = quantizeMxBlock(mxfp4, block([7, 0.5, -1.25, 3.5]));
    expect(q.scaleCode).toBe(127); // 2^0: floor(log2 7) = 2 = emax
    expect(q.elementCodes.slice(0, 4)).toEqual([0x7, 0x1, 0xa, 0x6]); // 7 -> 6 (clamped), 0.5, -1.25 -> -1 (tie even), 3.5 -> 4
    expect(toNumber(dequantizeMxBlock(mxfp4, q)[0]!)).toBe(6);
  });

  it('offers ceil and nearest scale rules', () => {
    const values = block([7, 1]);
    expect(quantizeMxBlock(mxfp4, values, { scaleRule: 'ceil' }).scaleCode).toBe(128); // 7/6 -> 2
    expect(quantizeMxBlock(mxfp4, values, { scaleRule: 'nearest' }).scaleCode).toBe(127);
    expect(quantizeMxBlock(mxfp4, block([9, 1]), { scaleRule: 'nearest' }).scaleCode).toBe(128); // 9/6 = 1.5 ties up
    expect(quantizeMxBlock(mxfp4, block([7]), { scaleRule: 'ceil' }).elementCodes[0]).toBe(0x6); // 3.5 -> 4
  });

  it('gives the NaN scale for NaN or Inf and huge blocks, clamps tiny ones at 2^-127', () => {
    const withNaN = [nan(), ...Array.from({ length: 31 }, () => integer(1))];
    const q = quantizeMxBlock(mxfp4, withNaN);
    expect(q.scaleCode).toBe(0xff);
    expect(dequantizeMxBlock(mxfp4, q).every((v) => v.kind === 'nan')).toBe(true);
    expect(quantizeMxBlock(mxfp4, block([])).scaleCode).toBe(0);
    expect(quantizeMxBlock(mxfp4, [finite(0, 1n, 200), ...block([]).slice(1)]).scaleCode).toBe(0xff);
    expect(quantizeMxBlock(mxfp4, [finite(0, 1n, -140), ...block([]).slice(1)]).scaleCode).toBe(0);
  });

  it('MXINT8 elements clamp to ±127/64', () => {
    const q = quantizeMxBlock(mxint8, block([1.999, -1.999, 1]));
    expect(q.scaleCode).toBe(127);
    expect(q.elementCodes.slice(0, 3)).toEqual([0x7f, 0x81, 0x40]); // 127.9/64 clamps to 127/64; -2 (0x80) is never produced
  });

  it.each(MX_FORMATS.map((f) => [f.name, f] as const))(
    '%s: a block built from codes quantizes back to itself',
    (_, format) => {
      const element = format.element;
      const size = 2 ** formatBits(element);
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: size - 1 }), { minLength: 32, maxLength: 32 }),
          fc.integer({ min: -120, max: 120 }),
          (codes, shift) => {
            fc.pre(codes.every((c) => decode(element, c).kind === 'finite'));
            // MXINT8 never produces its most negative code.
            if (element.kind === 'int')
              fc.pre(codes.every((c) => intOfCode(element, c) >= intRange(element).min));
            const values = codes.map((c) => decode(element, c) as FiniteValue);
            // The block's largest element must lie in the element's top binade for the floor rule to pick the same scale.
            const top = Math.max(
              ...values.map((v) => (v.sig === 0n ? -Infinity : v.exp + v.sig.toString(2).length - 1)),
            );
            fc.pre(top === elementEmax(format));
            const original = { scaleCode: 127 + shift, elementCodes: codes };
            const again = quantizeMxBlock(format, dequantizeMxBlock(format, original));
            expect(again).toEqual(original);
          },
        ),
        { numRuns: 150 },
      );
    },
  );

  it('packs a block: scale byte then elements (136, 200, 264 bits)', () => {
    const sizes = MX_FORMATS.map((f) => packMxBlock(f, quantizeMxBlock(f, block([1, -2, 3]))).length * 8);
    expect(sizes).toEqual([264, 264, 200, 200, 136, 264]);
    const q = quantizeMxBlock(mxfp4, block([1, -2, 3, 0.5]));
    expect(unpackMxBlock(mxfp4, packMxBlock(mxfp4, q))).toEqual(q);
    expect(quantizeMx(mxfp4, [1, 2, 3])).toHaveLength(1);
  });
});
