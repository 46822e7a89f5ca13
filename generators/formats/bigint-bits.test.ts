import { describe, expect, it } from 'vitest';
import { bitLength, numberBitLength, trailingZeros } from './bigint-bits.ts';

describe('bit helpers', () => {
  it('counts bits of small and huge integers', () => {
    expect([0n, 1n, 2n, 3n, 255n, 256n].map(bitLength)).toEqual([0, 1, 2, 2, 8, 9]);
    expect(bitLength(2n ** 53n - 1n)).toBe(53);
    expect(bitLength(2n ** 53n)).toBe(54);
    expect(bitLength(2n ** 200n + 1n)).toBe(201);
    expect(numberBitLength(2 ** 52 + 1)).toBe(53);
  });

  it('counts trailing zeros', () => {
    expect([1n, 2n, 12n, 2n ** 100n, 3n * 2n ** 77n].map(trailingZeros)).toEqual([0, 1, 2, 100, 77]);
  });
});
