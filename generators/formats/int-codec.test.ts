import { describe, expect, it } from 'vitest';
import { decode, encode } from './codec.ts';
import { describeFlags } from './flags.ts';
import type { IntFormat } from './format.ts';
import { intOfCode, intRange } from './int-codec.ts';
import { formatByName } from './presets.ts';
import { finite, inf, integer, nan } from './value.ts';
import { fromNumber, toNumber } from './value-number.ts';

const int4 = formatByName('int4') as IntFormat;
const uint4 = formatByName('uint4') as IntFormat;
const mxint8 = formatByName('mxint8') as IntFormat;

function valueOf(format: IntFormat, x: number, policy = {}): number {
  return toNumber(decode(format, encode(format, fromNumber(x), policy).code));
}

describe('integer formats', () => {
  it('decodes two’s complement and unsigned codes', () => {
    expect([0x0, 0x7, 0x8, 0xf].map((c) => intOfCode(int4, c))).toEqual([0, 7, -8, -1]);
    expect(intRange(uint4)).toEqual({ min: 0, max: 15 });
    expect(toNumber(decode(mxint8, 0x7f))).toBe(127 / 64);
    expect(toNumber(decode(mxint8, 0x80))).toBe(-2);
  });

  it('rounds, then saturates by default', () => {
    expect([2.5, 3.5, -2.5, 7.6, -9, 100].map((x) => valueOf(int4, x))).toEqual([2, 4, -2, 7, -8, 7]);
    expect(describeFlags(encode(int4, integer(9)).flags)).toBe('overflow,inexact');
    expect(describeFlags(encode(int4, fromNumber(2.5)).flags)).toBe('inexact');
    expect(valueOf(uint4, -0.4)).toBe(0);
    expect(valueOf(uint4, -3)).toBe(0);
  });

  it('wraps modulo 2^bits when asked, even far out of range', () => {
    const wrap = { overflow: 'wrap', rounding: 'rtz' } as const;
    expect([8, 9, 127.75, -9, 2 ** 52 + 5].map((x) => valueOf(int4, x, wrap))).toEqual([-8, -7, -1, 7, 5]);
    expect(encode(int4, finite(0, 2n ** 100n + 5n, 0), wrap).code).toBe(5);
  });

  it('keeps a symmetric range: MXINT8 clamps to ±127/64', () => {
    expect(valueOf(mxint8, -5)).toBe(-127 / 64);
    expect(valueOf(mxint8, 5)).toBe(127 / 64);
    expect(valueOf(mxint8, 1 / 128)).toBe(0); // tie at half a step: even
    expect(valueOf(mxint8, 3 / 128)).toBe(2 / 64);
  });

  it('maps NaN and Inf as invalid', () => {
    expect(encode(int4, nan()).code).toBe(0);
    expect(encode(int4, nan(), { nan: 'max' }).code).toBe(7);
    expect(encode(int4, inf(1))).toEqual({ code: 8, flags: expect.objectContaining({ invalid: true }) });
  });
});
