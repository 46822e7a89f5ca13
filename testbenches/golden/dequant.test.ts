// The golden model on the anchors of docs/: AWQ's packed order (w4a16.md#packing), the RaZeR GEMV kernel's
// decode table (razer.md#kernel-layout), MX and NVFP4 scaling (mx-nvfp4.md), and the W4A16 operation
// orders that are not bit-identical (w4a16.md#zero-point).

import { describe, expect, it } from 'vitest';
import { dequantGolden, wordCodes, type DequantSpec } from './dequant.ts';

const base: DequantSpec = {
  format: 'uint4',
  lanes: 8,
  slotBits: 4,
  packing: 'sequential',
  scale: 'fp16',
  tensorScale: false,
  zeroPoint: 'none',
  order: 'sub-mul',
  specialValues: [5, 8, -5, -8],
  outFormat: 'fp16',
  policy: {},
};
const inputs = { word: 0n, scale: 0x3c00, tensorScale: 0, zero: 0, select: 0 };
const lanesOf = (packed: bigint, lanes: number, bits = 16) =>
  Array.from({ length: lanes }, (_, j) => Number(BigInt.asUintN(bits, packed >> BigInt(bits * j))));

describe('dequant golden model', () => {
  it('unpacks AWQ words: 0x75316420 holds 0..7, GPTQ words 0x76543210', () => {
    expect(wordCodes({ ...base, packing: 'awq' }, 0x75316420n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(wordCodes(base, 0x76543210n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(wordCodes({ ...base, packing: 'awq', lanes: 16 }, 0x7531642075316420n)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7,
    ]);
  });

  it('decodes the RaZeR kernel layout as docs/razer.md#kernel-layout tabulates it (FP16 analogue: 0x4500 = +5, …)', () => {
    const spec: DequantSpec = { ...base, format: 'razer_kernel', lanes: 16 };
    const golden = dequantGolden(spec);
    const word = 0xfedcba9876543210n; // codes 0..15 in lanes 0..15
    const sv = [0x4500, 0x4800, 0xc500, 0xc800];
    for (let mod = 0; mod < 4; mod++) {
      expect(lanesOf(golden({ ...inputs, word, select: mod }), 16)).toEqual([
        0x3800,
        0xb800,
        0x0000,
        sv[mod],
        0x3c00,
        0xbc00,
        0x3e00,
        0xbe00,
        0x4000,
        0xc000,
        0x4200,
        0xc200,
        0x4400,
        0xc400,
        0x4600,
        0xc600,
      ]);
    }
  });

  it('computes (q − z)·s for W4A16 (Marlin: zero 8 gives q − 8)', () => {
    const golden = dequantGolden({ ...base, zeroPoint: 'uint4' });
    const out = lanesOf(golden({ ...inputs, word: 0x76543210n, zero: 8 }), 8);
    expect(out).toEqual([0xc800, 0xc700, 0xc600, 0xc500, 0xc400, 0xc200, 0xc000, 0xbc00]); // -8..-1
  });

  it('rounds q·s + round(−s·z) differently from (q − z)·s for some groups (docs/w4a16.md#zero-point)', () => {
    const orders = (['sub-mul', 'fma', 'mul-add'] as const).map((order) =>
      dequantGolden({ ...base, zeroPoint: 'uint4', order }),
    );
    let differ = 0;
    for (let scale = 0x2c01; scale < 0x2c01 + 200; scale += 7)
      for (let zero = 1; zero < 16; zero++) {
        const [a, b, c] = orders.map((g) => g({ ...inputs, word: 0xfedcba98n, scale, zero }));
        if (a !== b || b !== c) differ++;
      }
    expect(differ).toBeGreaterThan(0);
  });

  it('scales MX elements by 2^(X−127); the E8M0 NaN scale makes every element NaN', () => {
    const golden = dequantGolden({ ...base, format: 'mxfp4', scale: 'e8m0fnu', lanes: 2 });
    expect(lanesOf(golden({ ...inputs, word: 0xf7n, scale: 130 }), 2)).toEqual([0x5200, 0xd200]); // ±6·8
    expect(lanesOf(golden({ ...inputs, word: 0x10n, scale: 0xff }), 2)).toEqual([0x7e00, 0x7e00]);
    const int8 = dequantGolden({ ...base, format: 'mxint8', scale: 'e8m0fnu', lanes: 1, slotBits: 8 });
    expect(lanesOf(int8({ ...inputs, word: 0x80n, scale: 127 }), 1)).toEqual([0xc000]); // -128/64 = -2
  });

  it('multiplies NVFP4 elements by the E4M3 block scale and the FP32 tensor scale, rounding once', () => {
    const golden = dequantGolden({ ...base, format: 'nvfp4', scale: 'e4m3fn', tensorScale: true, lanes: 1 });
    // 6 · 448 · 2^-10 = 2.625
    expect(lanesOf(golden({ ...inputs, word: 0x7n, scale: 0x7e, tensorScale: 0x3a800000 }), 1)).toEqual([
      0x4140,
    ]);
    // 0 · Inf is NaN; a NaN block scale too
    expect(lanesOf(golden({ ...inputs, word: 0x0n, scale: 0x38, tensorScale: 0x7f800000 }), 1)).toEqual([
      0x7e00,
    ]);
    expect(lanesOf(golden({ ...inputs, word: 0x2n, scale: 0x7f, tensorScale: 0x3f800000 }), 1)).toEqual([
      0x7e00,
    ]);
  });
});
