import { describe, expect, it } from 'vitest';
import { finite, inf, nan, zero } from './value.ts';
import { toDecimalString, toHexFloat } from './value-text.ts';

describe('exact decimal', () => {
  it('prints every digit, scientific below 1e-4 like the conformance tables', () => {
    expect(toDecimalString(finite(0, 3n, -1))).toBe('1.5');
    expect(toDecimalString(finite(1, 7n, 13))).toBe('-57344');
    expect(toDecimalString(finite(0, 1n, -13))).toBe('0.0001220703125');
    expect(toDecimalString(finite(0, 1n, -14))).toBe('6.103515625e-05');
    expect(toDecimalString(finite(0, 1n, 127))).toBe('170141183460469231731687303715884105728');
    expect(toDecimalString(zero(1))).toBe('-0');
    expect(toDecimalString(nan(1))).toBe('-nan');
    expect(toDecimalString(inf(0))).toBe('inf');
  });
});

describe('hex-float', () => {
  it('prints C99 %a', () => {
    expect(toHexFloat(finite(0, 3n, -9))).toBe('0x1.8p-8');
    expect(toHexFloat(finite(0, 1n, -9))).toBe('0x1p-9');
    expect(toHexFloat(finite(1, 11n, 4))).toBe('-0x1.6p+7');
    expect(toHexFloat(finite(0, 2n ** 24n - 1n, 104))).toBe('0x1.fffffep+127');
    expect(toHexFloat(zero(1))).toBe('-0x0p+0');
  });
});
