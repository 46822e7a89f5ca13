// The quantizer's golden model against two independent references: ml_dtypes' saturating RNE casts
// (carried fixtures) for its element rounding, and the formats library's explore quantizer
// (quantizeMxBlock, which rounds with the library's encoder) for whole blocks.
import { describe, expect, it } from 'vitest';
import { readCsv, parseHex } from '../../generators/formats/conformance/fixtures.ts';
import { decode, formatByName, MX_FORMATS, quantizeMxBlock } from '../../generators/formats/index.ts';
import { Random } from '../vectors/random.ts';
import { quantizeGolden, roundToElement, type QuantizeSpec } from './quantize.ts';

const CASTS: [string, string][] = [
  ['mxfp8_e4m3', 'float8_e4m3fn'],
  ['mxfp8_e5m2', 'float8_e5m2'],
  ['mxfp6_e3m2', 'float6_e3m2fn'],
  ['mxfp6_e2m3', 'float6_e2m3fn'],
  ['mxfp4', 'float4_e2m1fn'],
];

describe('quantize golden model', () => {
  it.each(CASTS)(
    '%s elements round as ml_dtypes casts to %s (RNE, saturating) on 20,000 inputs',
    (format, file) => {
      const fp32 = formatByName('fp32');
      let checked = 0;
      for (const row of readCsv(`mldtypes/convert_${file}.csv`)) {
        const v = decode(fp32, parseHex(row.in_f32!));
        if (v.kind !== 'finite') continue;
        expect(roundToElement(format, v.sign, v.sig, v.exp, 'rne'), `input ${row.in_f32}`).toBe(
          parseHex(row.code_sat!),
        );
        checked++;
      }
      expect(checked).toBeGreaterThan(19_000);
    },
  );

  const spec = (format: string, inFormat: string, rounding: 'rne' | 'rna'): QuantizeSpec => ({
    format,
    inFormat,
    rounding,
    inputSubnormals: 'keep',
  });

  it.each(
    MX_FORMATS.flatMap((f) =>
      ['fp32', 'fp16', 'bf16'].flatMap((i) => ['rne', 'rna'].map((r) => [f.name, i, r])),
    ),
  )('%s from %s (%s): whole blocks as the explore quantizer makes them', (format, inFormat, rounding) => {
    const input = formatByName(inFormat);
    const bits = inFormat === 'fp32' ? 32 : 16;
    const rng = new Random(7);
    const mx = MX_FORMATS.find((f) => f.name === format)!;
    for (let b = 0; b < 300; b++) {
      const level = rng.below(bits === 32 ? 254 : inFormat === 'fp16' ? 31 : 254);
      const codes = Array.from({ length: 32 }, () => {
        const raw = Number(rng.bits(bits));
        // A block level and a spread below it, as activations have; one block in ten is raw bit patterns.
        if (b % 10 === 9) return raw;
        const expBits = bits === 32 || inFormat === 'bf16' ? 8 : 5;
        const mant = bits - 1 - expBits;
        const field = Math.max(0, level - rng.below(10));
        const sign = Math.floor(raw / 2 ** (bits - 1));
        return sign * 2 ** (bits - 1) + (raw % 2 ** mant) + field * 2 ** mant;
      });
      const values = codes.map((c) => decode(input, c));
      const ours = quantizeGolden(spec(format, inFormat, rounding as 'rne' | 'rna'), codes);
      const theirs = quantizeMxBlock(mx, values, { rounding: rounding as 'rne' | 'rna' });
      expect(ours.scale, `block ${b}`).toBe(theirs.scaleCode);
      // The explore quantizer gives every element of an all-zero block +0; ours keeps each zero's sign.
      const allZero = values.every((v) => v.kind === 'finite' && v.sig === 0n);
      if (!allZero) expect(ours.elements, `block ${b}`).toEqual(theirs.elementCodes);
    }
  });

  it('reproduces the worked example of docs/mx-nvfp4.md (MXFP4, amax 7)', () => {
    const values = [7, 5, -2.5, 0.25, 0.2, ...Array<number>(27).fill(0)];
    const codes = values.map((v) => {
      const buf = new DataView(new ArrayBuffer(4));
      buf.setFloat32(0, v);
      return buf.getUint32(0);
    });
    const q = quantizeGolden(spec('mxfp4', 'fp32', 'rne'), codes);
    expect(q.scale).toBe(127);
    expect(q.elements.slice(0, 5)).toEqual([0x7, 0x6, 0xc, 0x0, 0x0]);
    expect(quantizeGolden(spec('mxfp4', 'fp32', 'rna'), codes).elements.slice(0, 5)).toEqual([
      0x7, 0x7, 0xd, 0x1, 0x0,
    ]);
  });

  it('gives a block with a NaN or an infinity the NaN scale, a zero block scale code 0', () => {
    const s = spec('mxfp8_e4m3', 'bf16', 'rne');
    const zeros = Array<number>(32).fill(0);
    expect(quantizeGolden(s, zeros)).toEqual({ scale: 0, elements: zeros });
    expect(
      quantizeGolden(
        s,
        zeros.map((_, i) => (i === 3 ? 0x7f80 : 0x3f80)),
      ).scale,
    ).toBe(0xff);
    expect(
      quantizeGolden(
        s,
        zeros.map((_, i) => (i === 3 ? 0xffc1 : 0x3f80)),
      ).scale,
    ).toBe(0xff);
    // amax subnormal (bf16 2^-133 at most 2^-127): the scale is raised to 2^-127, elements are v · 2^127.
    const tiny = quantizeGolden(
      s,
      zeros.map((_, i) => (i === 0 ? 0x0040 : 0)),
    ); // 2^-127
    expect(tiny.scale).toBe(0);
    expect(tiny.elements[0]).toBe(0x38); // 1.0 in e4m3fn
  });
});
