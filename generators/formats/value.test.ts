import { describe, expect, it } from 'vitest';
import { compareFinite, describeValue, finite, inf, integer, nan, negate, sameValue, zero } from './value.ts';

describe('exact values', () => {
  it('normalizes the significand to odd', () => {
    expect(finite(0, 12n, 0)).toEqual({ kind: 'finite', sign: 0, sig: 3n, exp: 2 });
    expect(finite(1, 0n, 17)).toEqual(zero(1));
    expect(integer(-40)).toEqual(finite(1, 5n, 3));
    expect(() => finite(0, -1n, 0)).toThrow(/non-negative/);
  });

  it('compares numerically, with +0 equal to -0', () => {
    expect(compareFinite(finite(0, 3n, -1), finite(0, 1n, 0))).toBe(1);
    expect(compareFinite(finite(1, 3n, -1), finite(1, 1n, 0))).toBe(-1);
    expect(compareFinite(zero(0), zero(1))).toBe(0);
    expect(compareFinite(finite(1, 1n, -100), zero(0))).toBe(-1);
  });

  it('tells values apart by sign, kind and quietness', () => {
    expect(sameValue(zero(0), zero(1))).toBe(false);
    expect(sameValue(nan(0, true), nan(0, false))).toBe(false);
    expect(sameValue(negate(inf(0)), inf(1))).toBe(true);
    expect(describeValue(finite(1, 3n, -2))).toBe('-3·2^-2');
  });
});
