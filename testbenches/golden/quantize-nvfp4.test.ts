// The NVFP4 quantizer's golden model against two independent references: ml_dtypes' saturating RNE
// casts to E2M1 and E4M3 (carried fixtures) for its quotient rounding, and the formats library's
// quantizeNvfp4 (which rounds with the library's encoder) for whole blocks; and its own rules.
import { describe, expect, it } from 'vitest';
import { parseHex, readCsv } from '../../generators/formats/conformance/fixtures.ts';
import {
  decode,
  decodeNumber,
  formatByName,
  quantizeNvfp4,
  type FiniteValue,
} from '../../generators/formats/index.ts';
import { Random } from '../vectors/random.ts';
import { NVFP4_SCALE_NAN, quantizeNvfp4Golden } from './quantize-nvfp4.ts';
import { roundQuotientToElement, type QuantizeRounding, type QuantizeSpec } from './quantize.ts';

const spec = (
  inFormat: string,
  rounding: QuantizeRounding = 'rne',
  scaleRounding: 'rne' | 'up' = 'rne',
): QuantizeSpec => ({ format: 'nvfp4', inFormat, rounding, inputSubnormals: 'keep', scaleRounding });

function f32(x: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x);
  return view.getUint32(0);
}

describe('NVFP4 quantize golden model', () => {
  it.each([
    ['mxfp4', 'float4_e2m1fn'],
    ['mxfp8_e4m3', 'float8_e4m3fn'],
  ])(
    '%s quotients round as ml_dtypes casts to %s (RNE, saturating), over denominators 1, 3 and 7',
    (format, file) => {
      let checked = 0;
      for (const row of readCsv(`mldtypes/convert_${file}.csv`)) {
        const v = decode(formatByName('fp32'), parseHex(row.in_f32!));
        if (v.kind !== 'finite') continue;
        // v = num / den with num = v.sig · 2^(v.exp) · den.
        for (const den of [1n, 3n, 7n]) {
          const shift = BigInt(Math.max(-v.exp, 0));
          const num = (v.sig * den) << BigInt(Math.max(v.exp, 0));
          expect(
            roundQuotientToElement(format, v.sign, num, den << shift, 'rne'),
            `input ${row.in_f32}, den ${den}`,
          ).toBe(parseHex(row.code_sat!));
        }
        checked++;
      }
      expect(checked).toBeGreaterThan(19_000);
    },
  );

  it.each(
    ['fp32', 'fp16', 'bf16'].flatMap((i) => (['rne', 'rna', 'rnz'] as const).map((r) => [i, r] as const)),
  )('from %s (%s): whole blocks as the library quantizer makes them', (inFormat, rounding) => {
    const input = formatByName(inFormat);
    const bits = inFormat === 'fp32' ? 32 : 16;
    const rng = new Random(11);
    for (let b = 0; b < 300; b++) {
      const codes = Array.from({ length: 16 }, () => {
        const raw = Number(rng.bits(bits));
        const exp =
          (raw >>> (bits === 32 ? 23 : inFormat === 'fp16' ? 10 : 7)) & (inFormat === 'fp16' ? 31 : 255);
        // Finite inputs only (the library takes no specials): an all-ones exponent is cleared.
        return exp === (inFormat === 'fp16' ? 31 : 255) ? (raw ^ (1 << (bits - 2))) >>> 0 : raw;
      });
      const values = codes.map((c) => decode(input, c) as FiniteValue);
      const amax = Math.max(...values.map((v) => Math.abs(decodeNumber(input, codes[values.indexOf(v)]!))));
      // A tensor scale near the reference one (amax / 2688), or far from it either way.
      const scale =
        (amax === 0 ? 1 : amax / 2688) * 2 ** [0, 0, 0, -30, 40, 3][b % 6]! * (1 + rng.below(1000) / 997);
      const tensor = f32(Math.min(Math.max(scale, 2 ** -149), 2 ** 127));
      const ours = quantizeNvfp4Golden(spec(inFormat, rounding), codes, tensor);
      const theirs = quantizeNvfp4(values, { rounding, tensorScaleCode: tensor }).blocks[0]!;
      expect(ours.scale, `block ${b}`).toBe(theirs.scaleCode);
      // The library gives every zero +0 (code 0); ours keeps each input's sign.
      expect(
        ours.elements.map((c, i) => (c === 8 && theirs.elementCodes[i] === 0 ? 0 : c)),
        `block ${b}`,
      ).toEqual(theirs.elementCodes);
    }
  });

  it('rounds the block scale up with scaleRounding up: the least E4M3 value at least amax / (6 · s_tensor)', () => {
    const rng = new Random(5);
    const e4m3 = formatByName('e4m3fn');
    for (let b = 0; b < 500; b++) {
      const xs = Array.from({ length: 16 }, () => (rng.below(2000) - 1000) * 2 ** (rng.below(40) - 20));
      const tensor = 2 ** (rng.below(30) - 20) * (1 + rng.below(100) / 101);
      const q = quantizeNvfp4Golden(spec('fp32', 'rne', 'up'), xs.map(f32), f32(tensor));
      const sTensor = decodeNumber(formatByName('fp32'), f32(tensor));
      const amax = Math.max(...xs.map((x) => Math.abs(Math.fround(x))));
      const target = amax / (6 * sTensor);
      const scale = decodeNumber(e4m3, q.scale);
      if (target <= 448 && target >= 2 ** -9) {
        expect(scale, `block ${b}`).toBeGreaterThanOrEqual(target);
        expect(decodeNumber(e4m3, q.scale - 1), `block ${b}`).toBeLessThan(target);
        // Nothing clips: every element within ±6 before rounding.
        expect(amax / (scale * sTensor)).toBeLessThanOrEqual(6);
      }
    }
  });

  it('reproduces the worked examples of docs/mx-nvfp4.md (NVFP4 quantization)', () => {
    const block = [6, 0.75, 2.5, 5, -1.3, ...Array<number>(11).fill(0)].map(f32);
    const rne = quantizeNvfp4Golden(spec('fp32'), block, f32(2 ** -8));
    expect(rne.scale).toBe(0x78);
    expect(rne.elements.slice(0, 5)).toEqual([0x7, 0x2, 0x4, 0x6, 0xb]);
    expect(quantizeNvfp4Golden(spec('fp32', 'rnz'), block, f32(2 ** -8)).elements.slice(1, 4)).toEqual([
      0x1, 0x4, 0x6,
    ]);
    // amax / (6 · s_tensor) = 1.0625: to 1 (0x38) and the largest value clips to 6; up: 1.125 (0x39).
    const tie = [6.375, 6, ...Array<number>(14).fill(0)].map(f32);
    expect(quantizeNvfp4Golden(spec('fp32'), tie, f32(1))).toMatchObject({ scale: 0x38 });
    expect(quantizeNvfp4Golden(spec('fp32'), tie, f32(1)).elements.slice(0, 2)).toEqual([0x7, 0x7]);
    expect(quantizeNvfp4Golden(spec('fp32', 'rne', 'up'), tie, f32(1)).scale).toBe(0x39);
  });

  it('follows its rules for zeros, specials, the tensor scale and the scale edges', () => {
    const zeros = Array<number>(16).fill(0);
    const g = (xs: number[], tensor: number, s = spec('fp32')) =>
      quantizeNvfp4Golden(s, xs.map(f32), f32(tensor));
    // A zero block: the smallest scale 2^−9 (code 1), zero elements.
    expect(g(zeros, 1)).toEqual({ scale: 1, elements: zeros });
    // NaN or infinity in the block, or a tensor scale that is zero, negative, infinite or NaN.
    const nanBlock = { scale: NVFP4_SCALE_NAN, elements: zeros };
    expect(g([1, Infinity, ...zeros.slice(2)], 1)).toEqual(nanBlock);
    expect(g([NaN, ...zeros.slice(1)], 1)).toEqual(nanBlock);
    for (const t of [0, -1, Infinity, NaN]) expect(g([1, ...zeros.slice(1)], t)).toEqual(nanBlock);
    // amax 6 · 448 · s_tensor: scale 448 (0x7E), element 6 (0x7); beyond it saturates, elements clamp.
    expect(g([2688, -1344, ...zeros.slice(2)], 1)).toEqual({
      scale: 0x7e,
      elements: [7, 0xd, ...zeros.slice(2)],
    });
    expect(g([1e6, ...zeros.slice(1)], 1).scale).toBe(0x7e);
    expect(g([1e6, ...zeros.slice(1)], 1).elements[0]).toBe(7);
    // amax / 6 = 2^−10, half the smallest scale: RNE gives 0, raised to 2^−9; the element 3 · 2^−9 / 2^−9 → 3.
    expect(g([6 * 2 ** -10, ...zeros.slice(1)], 1)).toEqual({ scale: 1, elements: [5, ...zeros.slice(1)] });
    expect(g([6 * 2 ** -10, ...zeros.slice(1)], 1, spec('fp32', 'rne', 'up')).scale).toBe(1);
    // E2M1 ties at scale 1 (amax 6): 0.25 → 0, 0.75 → 1, 2.5 → 2, 5 → 4 (RNE); → 0.5, 1, 3, 6 (RNA); → 0, 0.5, 2, 4 (RNZ).
    const ties = [6, 0.25, 0.75, 2.5, 5, ...zeros.slice(5)];
    const tensor = 2 ** -8; // amax / (6 · s_tensor) = 256, an E4M3 value: s_block = 256, step 1
    expect(g(ties, tensor).elements.slice(0, 5)).toEqual([7, 0, 2, 4, 6]);
    expect(g(ties, tensor, spec('fp32', 'rna')).elements.slice(0, 5)).toEqual([7, 1, 2, 5, 7]);
    expect(g(ties, tensor, spec('fp32', 'rnz')).elements.slice(0, 5)).toEqual([7, 0, 1, 4, 6]);
  });
});
