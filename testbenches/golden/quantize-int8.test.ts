// The int8 group quantizer's golden model against the formats library's exact quotient encoder
// (encodeQuotient: the FP16 scale amax / 127, then each int8 element x / scale), a second
// implementation; and its own rules.
import { describe, expect, it } from 'vitest';
import {
  decode,
  encodeQuotient,
  formatByName,
  integer,
  type ExactValue,
  type FiniteValue,
} from '../../generators/formats/index.ts';
import { Random } from '../vectors/random.ts';
import { INT8_SCALE_NAN, quantizeInt8Golden } from './quantize-int8.ts';
import type { QuantizeRounding, QuantizeSpec } from './quantize.ts';

const spec = (inFormat: string, rounding: QuantizeRounding = 'rne'): QuantizeSpec => ({
  format: 'int8',
  inFormat,
  rounding,
  inputSubnormals: 'keep',
});

function magnitude(v: FiniteValue): FiniteValue {
  return { ...v, sign: 0 };
}

describe('int8 quantize golden model', () => {
  it.each(
    ['fp32', 'fp16', 'bf16'].flatMap((i) => (['rne', 'rna', 'rnz'] as const).map((r) => [i, r] as const)),
  )('from %s (%s): groups as the library encoder makes them', (inFormat, rounding) => {
    const input = formatByName(inFormat);
    const bits = inFormat === 'fp32' ? 32 : 16;
    const fp16 = formatByName('fp16');
    const rng = new Random(3);
    for (let b = 0; b < 200; b++) {
      const level = rng.below(bits === 32 ? 250 : inFormat === 'fp16' ? 30 : 250);
      const mant = inFormat === 'fp32' ? 23 : inFormat === 'fp16' ? 10 : 7;
      const codes = Array.from({ length: 32 }, () => {
        const field = Math.max(0, level - rng.below(8));
        return rng.below(2) * 2 ** (bits - 1) + field * 2 ** mant + Number(rng.bits(mant));
      });
      const values = codes.map((c) => decode(input, c) as FiniteValue);
      const amax = values.map(magnitude).reduce((a, v) => (compare(a, v) < 0 ? v : a));
      let scale = encodeQuotient(fp16, amax, integer(127), { rounding: 'rne', overflow: 'saturate' }).code;
      if (scale === 0) scale = 1;
      const s = decode(fp16, scale) as ExactValue;
      const elements = values.map((v) => {
        const code = encodeQuotient(formatByName('int8'), v, s, { rounding, overflow: 'saturate' }).code;
        // The library's int8 saturates to −128; the quantizer's range is symmetric (±127).
        return code === 0x80 ? 0x81 : code;
      });
      expect(quantizeInt8Golden(spec(inFormat, rounding), codes), `group ${b}`).toEqual({ scale, elements });
    }
  });

  it('follows its rules: zeros, specials, ties, saturation, a scale that rounds to 0', () => {
    const f32 = (x: number) => {
      const view = new DataView(new ArrayBuffer(4));
      view.setFloat32(0, x);
      return view.getUint32(0);
    };
    const g = (xs: number[], rounding: QuantizeRounding = 'rne') =>
      quantizeInt8Golden(spec('fp32', rounding), xs.map(f32));
    const zeros = Array<number>(8).fill(0);
    expect(g(zeros)).toEqual({ scale: 0x0001, elements: zeros });
    expect(g([1, Infinity, ...zeros.slice(2)])).toEqual({ scale: INT8_SCALE_NAN, elements: zeros });
    expect(g([NaN, ...zeros.slice(1)])).toEqual({ scale: INT8_SCALE_NAN, elements: zeros });
    // amax 127: scale 1 (0x3C00); 2.5 → 2 (RNE) or 3 (RNA) or 2 (RNZ); −3.5 → −4 (RNE), −4 (RNA), −3 (RNZ).
    const ties = [127, 2.5, -3.5, 0.5, ...zeros.slice(4)];
    expect(g(ties)).toEqual({ scale: 0x3c00, elements: [127, 2, 0xfc, 0, ...zeros.slice(4)] });
    expect(g(ties, 'rna').elements.slice(1, 4)).toEqual([3, 0xfc, 1]);
    expect(g(ties, 'rnz').elements.slice(1, 4)).toEqual([2, 0xfd, 0]);
    // amax / 127 beyond 65504: the scale saturates and the largest elements clamp to ±127.
    expect(g([1e9, -1e9, ...zeros.slice(2)])).toEqual({
      scale: 0x7bff,
      elements: [127, 0x81, ...zeros.slice(2)],
    });
    // amax / 127 below half of 2^−24: raised to 2^−24; the element 2^−26 / 2^−24 = 1/4 rounds to 0.
    expect(g([2 ** -26, ...zeros.slice(1)])).toEqual({ scale: 0x0001, elements: zeros });
    expect(g([2 ** -20, ...zeros.slice(1)])).toEqual({ scale: 0x0001, elements: [16, ...zeros.slice(1)] });
  });
});

function compare(a: FiniteValue, b: FiniteValue): number {
  const e = Math.min(a.exp, b.exp);
  const [x, y] = [a.sig << BigInt(a.exp - e), b.sig << BigInt(b.exp - e)];
  return x < y ? -1 : x > y ? 1 : 0;
}
