// Properties of the exact codec over every preset of 16 bits or fewer, and anchors from
// docs/ieee-and-fp8.md and docs/mx-nvfp4.md.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify, decode, encode, encodeQuotient } from './codec.ts';
import { dyadicMidpoint } from './dyadic.ts';
import { describeFlags } from './flags.ts';
import { formatBits, type FloatFormat, type Format } from './format.ts';
import { formatByName, PRESETS } from './presets.ts';
import { compareFinite, finite, inf, integer, nan, zero, type FiniteValue } from './value.ts';
import { fromNumber, toNumber } from './value-number.ts';

const SMALL = PRESETS.filter((f) => formatBits(f) <= 16);
const EIGHT_BIT_FLOATS = PRESETS.filter((f): f is FloatFormat => f.kind === 'float' && formatBits(f) <= 8);

function codes(format: Format): number[] {
  return Array.from({ length: 2 ** formatBits(format) }, (_, c) => c);
}

/** Finite codes sorted by value, one per value (the -0 code dropped). */
function ascendingFinite(format: Format): { code: number; value: FiniteValue }[] {
  return codes(format)
    .map((code) => ({ code, value: decode(format, code) }))
    .filter(
      (e): e is { code: number; value: FiniteValue } =>
        e.value.kind === 'finite' && !(e.value.sig === 0n && e.value.sign === 1),
    )
    .sort((a, b) => compareFinite(a.value, b.value));
}

describe('round trip', () => {
  it.each(SMALL.map((f) => [f.name, f] as const))(
    '%s: encode(decode(c)) = c for every non-NaN code, exactly',
    (_, format) => {
      for (const code of codes(format)) {
        const value = decode(format, code);
        if (value.kind === 'nan') continue;
        // A symmetric integer format decodes its most negative code but never produces it.
        if (format.kind === 'int' && format.symmetric && code === 2 ** (format.bits - 1)) continue;
        const back = encode(format, value, { overflow: 'saturate' });
        if (back.code !== code || describeFlags(back.flags) !== 'none')
          expect({ code, back }).toEqual({ code, back: { code } });
      }
    },
  );
});

describe('monotonic and nearest', () => {
  it.each(EIGHT_BIT_FLOATS.map((f) => [f.name, f] as const))(
    '%s: midpoints tie to the even significand, others go to the nearer value',
    (_, format) => {
      const entries = ascendingFinite(format);
      for (let i = 1; i < entries.length; i++) {
        const lower = entries[i - 1]!;
        const upper = entries[i]!;
        const mid = dyadicMidpoint(lower.value, upper.value);
        // Even significand = mantissa LSB 0, or the larger binade's 1.0 when the mantissa has no bits.
        const evenIsUpper = format.mantBits === 0 ? true : (upper.code & 1) === 0;
        // Compare values, not codes: a negative value rounding to zero gives -0, which this list leaves out.
        const valueOf = (value: FiniteValue, policy = {}) =>
          decode(format, encode(format, value, policy).code) as FiniteValue;
        const same = (a: FiniteValue, b: FiniteValue) => compareFinite(a, b) === 0;
        const where = `between codes ${lower.code} and ${upper.code}`;
        expect(
          same(valueOf(mid, { rounding: 'rne' }), (evenIsUpper ? upper : lower).value),
          `tie ${where}`,
        ).toBe(true);
        expect(same(valueOf(dyadicMidpoint(lower.value, mid)), lower.value), `below the tie ${where}`).toBe(
          true,
        );
        expect(same(valueOf(dyadicMidpoint(mid, upper.value)), upper.value), `above the tie ${where}`).toBe(
          true,
        );
        expect(same(valueOf(mid, { rounding: 'rdown' }), lower.value), `rdown ${where}`).toBe(true);
        expect(same(valueOf(mid, { rounding: 'rup' }), upper.value), `rup ${where}`).toBe(true);
      }
    },
  );

  it('encodes monotonically: a larger value never gets a smaller value', () => {
    const fp16 = formatByName('fp16');
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
        const [x, y] = a < b ? [a, b] : [b, a];
        const cx = toNumber(decode(fp16, encode(fp16, fromNumber(x)).code));
        const cy = toNumber(decode(fp16, encode(fp16, fromNumber(y)).code));
        expect(cx <= cy).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('anchors of docs/ieee-and-fp8.md and docs/mx-nvfp4.md', () => {
  const e4m3fn = formatByName('e4m3fn');
  const e5m2 = formatByName('e5m2');
  const e4m3fnuz = formatByName('e4m3fnuz');
  const e2m1 = formatByName('e2m1fn');

  it('rounds to nearest before testing overflow (docs/ieee-and-fp8.md#conversion, ml_dtypes)', () => {
    expect(encode(e4m3fn, integer(464), { overflow: 'nan' }).code).toBe(0x7e);
    expect(encode(e4m3fn, fromNumber(464.0000001), { overflow: 'nan' }).code).toBe(0x7f);
    expect(encode(e4m3fn, integer(-480), { overflow: 'nan', nan: 'signed' }).code).toBe(0xff);
    expect(encode(e5m2, integer(61440), { overflow: 'inf' }).code).toBe(0x7c);
    expect(encode(e5m2, fromNumber(61439.996), { overflow: 'inf' }).code).toBe(0x7b);
    expect(encode(e4m3fnuz, integer(248), { overflow: 'nan' }).code).toBe(0x80);
    expect(encode(e4m3fn, integer(1000)).code).toBe(0x7e); // POLICY: 8-bit formats saturate by default
  });

  it('E2M1 ties: RNE gives 1, 2, 4; ties toward zero give 0.5, 1.5, 3 (Appendix B)', () => {
    const ties = [0.75, 1.75, 3.5].map(fromNumber);
    expect(ties.map((t) => toNumber(decode(e2m1, encode(e2m1, t).code)))).toEqual([1, 2, 4]);
    expect(ties.map((t) => toNumber(decode(e2m1, encode(e2m1, t, { rounding: 'rnz' }).code)))).toEqual([
      0.5, 1.5, 3,
    ]);
    expect(ties.map((t) => toNumber(decode(e2m1, encode(e2m1, t, { rounding: 'rna' }).code)))).toEqual([
      1, 2, 4,
    ]);
  });

  it('fnuz formats have no -0', () => {
    expect(encode(e4m3fnuz, zero(1)).code).toBe(0);
    expect(encode(e4m3fnuz, fromNumber(-1e-10)).code).toBe(0);
    expect(classify(e4m3fnuz, 0x80)).toBe('nan');
  });

  it('e8m0fnu has no zero and no sign', () => {
    const e8m0 = formatByName('e8m0fnu');
    expect(encode(e8m0, fromNumber(1.5)).code).toBe(0x80); // ties up
    expect(encode(e8m0, integer(3)).code).toBe(0x81);
    expect(encode(e8m0, fromNumber(1e-45)).code).toBe(0x00);
    expect(encode(e8m0, zero(0), { overflow: 'nan' })).toEqual({
      code: 0xff,
      flags: expect.objectContaining({ invalid: true }),
    });
    expect(encode(e8m0, integer(-4), { overflow: 'saturate' }).code).toBe(0x00);
  });
});

describe('flags and policies', () => {
  const fp16 = formatByName('fp16');
  const minNormal = finite(0, 1n, -14);
  // Just below 2^-14, by less than half a subnormal step: rounds up to 2^-14.
  const belowMinNormal = finite(0, 2n ** 12n - 1n, -26);

  it('judges tininess before or after rounding', () => {
    const after = encode(fp16, belowMinNormal, { tininess: 'after' });
    const before = encode(fp16, belowMinNormal, { tininess: 'before' });
    expect(after.code).toBe(0x0400);
    expect(before.code).toBe(0x0400);
    expect(describeFlags(after.flags)).toBe('inexact');
    expect(describeFlags(before.flags)).toBe('underflow,inexact');
    expect(describeFlags(encode(fp16, minNormal).flags)).toBe('none');
    expect(describeFlags(encode(fp16, finite(0, 1n, -24)).flags)).toBe('none'); // exact subnormal: no underflow
    expect(describeFlags(encode(fp16, finite(0, 3n, -26)).flags)).toBe('underflow,inexact');
  });

  it('flushes tiny results to signed zero', () => {
    const flushed = encode(fp16, finite(1, 3n, -20), { subnormals: 'flush' });
    expect(flushed.code).toBe(0x8000);
    expect(describeFlags(flushed.flags)).toBe('underflow,inexact');
    expect(encode(fp16, belowMinNormal, { subnormals: 'flush', tininess: 'after' }).code).toBe(0x0400);
    expect(encode(fp16, belowMinNormal, { subnormals: 'flush', tininess: 'before' }).code).toBe(0x0000);
  });

  it('overflows by the rounding direction under ieee, always to Inf under inf', () => {
    const huge = integer(100000);
    expect(encode(fp16, huge, { overflow: 'ieee' }).code).toBe(0x7c00);
    expect(encode(fp16, huge, { overflow: 'ieee', rounding: 'rtz' }).code).toBe(0x7bff);
    expect(encode(fp16, integer(-100000), { overflow: 'ieee', rounding: 'rup' }).code).toBe(0xfbff);
    expect(encode(fp16, integer(-100000), { overflow: 'ieee', rounding: 'rdown' }).code).toBe(0xfc00);
    expect(encode(fp16, huge, { overflow: 'inf', rounding: 'rtz' }).code).toBe(0x7c00);
    expect(describeFlags(encode(fp16, huge, { overflow: 'saturate' }).flags)).toBe('overflow,inexact');
  });

  it('maps NaN and Inf inputs as the policy says', () => {
    const e4m3fn = formatByName('e4m3fn');
    const e2m1 = formatByName('e2m1fn');
    expect(encode(fp16, nan(1, true)).code).toBe(0x7e00);
    expect(encode(fp16, nan(1, true), { nan: 'signed' }).code).toBe(0xfe00);
    expect(describeFlags(encode(fp16, nan(0, false)).flags)).toBe('invalid');
    expect(encode(e4m3fn, inf(1), { infInput: 'nan', nan: 'signed' }).code).toBe(0xff);
    expect(encode(e4m3fn, inf(1), { infInput: 'max' }).code).toBe(0xfe);
    expect(encode(e2m1, nan(0)).code).toBe(0x07);
    expect(encode(e2m1, nan(0), { nan: 'negative-zero-code' }).code).toBe(0x08);
    expect(encode(e2m1, nan(1), { nan: 'negative-zero-code' }).code).toBe(0x00);
    expect(encode(e2m1, inf(1)).code).toBe(0x0f);
  });

  it('rejects a policy the format cannot honour, saying why and what is allowed', () => {
    const e4m3fn = formatByName('e4m3fn');
    expect(() => encode(e4m3fn, integer(1), { overflow: 'inf' })).toThrow(
      "policy.overflow = 'inf' is not possible for e4m3fn: it has no Inf; allowed: saturate, nan",
    );
    expect(() => encode(formatByName('e2m1fn'), integer(1), { nan: 'canonical' })).toThrow(/no NaN/);
    expect(() => encode(formatByName('int8'), integer(1), { overflow: 'nan' })).toThrow(
      /allowed: saturate, wrap/,
    );
    expect(() => encode(fp16, integer(1), { rounding: 'nearest' } as never)).toThrow(/policy.rounding/);
  });

  it('rounds a quotient exactly', () => {
    const e2m1 = formatByName('e2m1fn');
    expect(encodeQuotient(e2m1, integer(1), integer(3)).code).toBe(0x01); // 0.333 -> 0.5
    expect(encodeQuotient(e2m1, integer(5), integer(4)).code).toBe(0x02); // 1.25 tie -> 1 (even)
    expect(encodeQuotient(e2m1, integer(13), integer(10)).code).toBe(0x03); // 1.3 -> 1.5
    expect(encodeQuotient(fp16, integer(1), zero(0)).code).toBe(0x7c00);
    expect(encodeQuotient(fp16, zero(0), zero(1)).flags.invalid).toBe(true);
  });
});
