import { describe, expect, it } from 'vitest';
import { mxDotGolden, type MxDotSpec } from './mx_dot.ts';

const E4M3_ONE = 0x38;
const E4M3_SIXTEEN = 0x58;

function spec(over: Partial<MxDotSpec> = {}): MxDotSpec {
  return { aFormat: 'mxfp8_e4m3', bFormat: 'mxfp8_e4m3', outFormat: 'fp32', policy: {}, ...over };
}

/** A block of 32 zero codes with the given codes in its first lanes. */
function block(...codes: number[]): number[] {
  return Array.from({ length: 32 }, (_, i) => codes[i] ?? 0);
}

describe('mx_dot golden model, by hand (OCP MX v1.0 §6 Dot)', () => {
  const ones = Array<number>(32).fill(E4M3_ONE);
  it('sums the products and applies both scales', () => {
    expect(mxDotGolden(spec(), ones, 127, ones, 127)).toBe(0x42000000); // 32
    expect(mxDotGolden(spec(), ones, 130, ones, 120)).toBe(0x40000000); // 32 · 2^3 · 2^-7 = 2
  });
  it('gives NaN for a NaN scale on either side', () => {
    expect(mxDotGolden(spec(), ones, 255, ones, 127)).toBe(0x7fc00000);
    expect(mxDotGolden(spec(), ones, 0, ones, 255)).toBe(0x7fc00000);
  });
  it('reads MXINT8 0x80 as −2 and 0x40 as 1', () => {
    const s = spec({ aFormat: 'mxint8', bFormat: 'mxint8' });
    expect(mxDotGolden(s, block(0x40), 127, block(0x80), 127)).toBe(0xc0000000);
  });
  it('rounds once: 256 + 1 is a bf16 tie', () => {
    const a = block(E4M3_SIXTEEN, E4M3_ONE);
    expect(mxDotGolden(spec({ outFormat: 'bf16' }), a, 127, a, 127)).toBe(0x4380); // 256, even
    expect(mxDotGolden(spec({ outFormat: 'bf16', policy: { rounding: 'rna' } }), a, 127, a, 127)).toBe(
      0x4381,
    );
  });
  it('overflows fp32 to Inf and underflows to the subnormal grid', () => {
    expect(mxDotGolden(spec(), ones, 254, ones, 254)).toBe(0x7f800000);
    // 32 · 2^-127 · 2^-127 = 2^-249: below half the smallest subnormal, +0.
    expect(mxDotGolden(spec(), ones, 0, ones, 0)).toBe(0);
    // 1 · 2^-149: the smallest subnormal.
    expect(mxDotGolden(spec(), block(E4M3_ONE), 0, block(E4M3_ONE), 105)).toBe(1);
  });
  it('NVFP4: the E4M3 scales multiply the exact sum as values, signs included', () => {
    const s = spec({ aFormat: 'nvfp4', bFormat: 'nvfp4' });
    const six = (n: number) => Array.from({ length: 16 }, (_, i) => (i < n ? 0x7 : 0));
    expect(mxDotGolden(s, six(1), 0x3c, six(1), 0xc0)).toBe(0xc2d80000); // 36 · 1.5 · −2 = −108
    expect(mxDotGolden(s, six(0), 0x38, six(0), 0xb8)).toBe(0x80000000); // +0 · 1 · −1 = −0
    expect(mxDotGolden(s, six(2), 0x7f, six(2), 0x38)).toBe(0x7fc00000); // NaN scale
  });
});
