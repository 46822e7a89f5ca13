import { describe, expect, it } from 'vitest';
import { add, exactAdd, fma, mul } from './arith.ts';
import { addCodes, fmaCodes, mulCodes } from './code-arith.ts';
import { decode } from './codec.ts';
import { describeFlags } from './flags.ts';
import { formatByName } from './presets.ts';
import { finite, inf, integer, nan, zero } from './value.ts';

const fp16 = formatByName('fp16');
const bf16 = formatByName('bf16');
const e4m3fn = formatByName('e4m3fn');

describe('exact arithmetic with one rounding', () => {
  it('fma rounds once where mul-then-add would lose the result', () => {
    const a = finite(0, 1025n, -10); // 1 + 2^-10, exact in fp16
    const c = finite(1, 513n, -9); // -(1 + 2^-9)
    // a·a + c = 2^-20 exactly; a·a rounded to fp16 first is 1 + 2^-9, and the sum would be 0.
    expect(fma(fp16, a, a, c)).toEqual({ code: 0x0010, flags: expect.objectContaining({ inexact: false }) });
    const product = decode(fp16, mul(fp16, a, a).code);
    expect(add(fp16, product, c).code).toBe(0x0000);
  });

  it('multiplies narrow formats into a wider one exactly', () => {
    const x = decode(e4m3fn, 0x3c); // 1.5
    expect(mul(bf16, x, x).code).toBe(0x4010); // 2.25
    expect(describeFlags(mul(e4m3fn, decode(e4m3fn, 0x7e), integer(2)).flags)).toBe('overflow,inexact');
    // saturates by default (docs/ieee-and-fp8.md#policy)
    expect(mul(e4m3fn, decode(e4m3fn, 0x7e), integer(2)).code).toBe(0x7e);
  });

  it('gives the IEEE sign of an exact zero', () => {
    expect(add(fp16, integer(3), integer(-3)).code).toBe(0x0000);
    expect(add(fp16, integer(3), integer(-3), { rounding: 'rdown' }).code).toBe(0x8000);
    expect(add(fp16, zero(1), zero(1)).code).toBe(0x8000);
    expect(exactAdd(zero(0), zero(1)).value).toEqual(zero(0));
    expect(fma(fp16, zero(1), integer(5), zero(1)).code).toBe(0x8000);
  });

  it('signals invalid operations and returns the canonical NaN', () => {
    const invalidNaN = { code: 0x7e00, flags: expect.objectContaining({ invalid: true }) };
    expect(mul(fp16, inf(0), zero(1))).toEqual(invalidNaN);
    expect(add(fp16, inf(0), inf(1))).toEqual(invalidNaN);
    expect(fma(fp16, inf(1), zero(0), nan(1, true))).toEqual(invalidNaN);
    expect(fma(fp16, integer(1), integer(1), nan(0, false))).toEqual(invalidNaN);
    expect(mul(fp16, nan(1, true), integer(2))).toEqual({
      code: 0x7e00,
      flags: expect.objectContaining({ invalid: false }),
    });
    expect(fma(fp16, inf(0), integer(2), inf(1))).toEqual(invalidNaN);
    expect(fma(fp16, inf(0), integer(2), inf(0)).code).toBe(0x7c00);
  });

  it('works on codes, reading subnormals as zero when flushing', () => {
    expect(mulCodes(fp16, 0x3c00, 0x0001).code).toBe(0x0001);
    expect(mulCodes(fp16, 0x3c00, 0x0001, { subnormals: 'flush' }).code).toBe(0x0000);
    expect(addCodes(fp16, 0x3c00, 0x3c00).code).toBe(0x4000);
    expect(fmaCodes(fp16, 0x4000, 0x4000, 0xbc00).code).toBe(0x4200); // 2·2 - 1 = 3
  });
});
