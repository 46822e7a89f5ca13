import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { finite, inf, nan, zero } from './value.ts';
import { fromNumber, isExactDouble, toNumber } from './value-number.ts';

describe('doubles as exact values', () => {
  it('reads a double exactly', () => {
    expect(fromNumber(0.75)).toEqual(finite(0, 3n, -2));
    expect(fromNumber(-6)).toEqual(finite(1, 3n, 1));
    expect(fromNumber(5e-324)).toEqual(finite(0, 1n, -1074));
    expect(fromNumber(Number.MAX_VALUE)).toEqual(finite(0, 2n ** 53n - 1n, 971));
    expect(fromNumber(-0)).toEqual(zero(1));
    expect(fromNumber(-Infinity)).toEqual(inf(1));
    expect(fromNumber(NaN)).toEqual(nan(0, true));
  });

  it('round-trips every double', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        expect(Object.is(toNumber(fromNumber(x)), x)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('rounds to the nearest double, ties to even', () => {
    expect(toNumber(finite(0, 2n ** 53n + 1n, 0))).toBe(2 ** 53);
    expect(toNumber(finite(0, 2n ** 53n + 3n, 0))).toBe(2 ** 53 + 4);
    expect(toNumber(finite(0, 1n, -1075))).toBe(0); // half the smallest subnormal: tie to even zero
    expect(toNumber(finite(0, 3n, -1076))).toBe(5e-324); // above the half
    expect(toNumber(finite(1, 1n, 1024))).toBe(-Infinity);
    expect(isExactDouble(finite(0, 2n ** 53n + 1n, 0))).toBe(false);
    expect(isExactDouble(finite(0, 1n, -1074))).toBe(true);
  });
});
