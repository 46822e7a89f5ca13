import { describe, expect, it } from 'vitest';
import { lmulOffset } from './lmul-offset.ts';

describe('L-Mul OFFSET', () => {
  it('matches the table of docs/lmul.md#one-adder-form for FP32, BF16, FP16, E4M3 and E5M2', () => {
    expect(lmulOffset(127, 23)).toBe(1064828928);
    expect(lmulOffset(127, 7)).toBe(16248);
    expect(lmulOffset(15, 10)).toBe(15296);
    expect(lmulOffset(7, 3)).toBe(55);
    expect(lmulOffset(15, 2)).toBe(59);
  });
});
