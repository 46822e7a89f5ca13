// The NF4 and SF4 tables against their construction (docs/codebooks.md#construction): an independent
// check of the constants.

import { describe, expect, it } from 'vitest';
import { NF4_VALUES, SF4_EXACT_VALUES, SF4_VALUES } from './codebook-presets.ts';
import { invertCdf, quantileCodebook, studentT5Cdf } from './quantile-codebook.ts';

/** erf by its Taylor series; accurate to ~1e-16 for |x| < 3. */
function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const normalCdf = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));

function maxDifference(a: readonly number[], b: readonly number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
}

describe('quantile codebooks', () => {
  it('NF4 is the normal-quantile construction to 1.1e-7 (bitsandbytes constants)', () => {
    const constructed = quantileCodebook((p) => invertCdf(normalCdf, p));
    expect(maxDifference(constructed, NF4_VALUES)).toBeLessThan(1.2e-7);
  });

  it('SF4 is the Student-t(5) construction to 4.9e-7', () => {
    expect(maxDifference(SF4_EXACT_VALUES, SF4_VALUES)).toBeLessThan(5e-7);
  });

  it('the t5 CDF is a CDF: symmetric, 1/2 at 0, and matches a known quantile', () => {
    expect(studentT5Cdf(0)).toBe(0.5);
    expect(studentT5Cdf(1.3) + studentT5Cdf(-1.3)).toBeCloseTo(1, 15);
    expect(studentT5Cdf(2.015048372669157)).toBeCloseTo(0.95, 9); // t_{0.95, 5}
  });

  it('tables are ascending from -1 to 1 with 0 at code 7', () => {
    for (const table of [NF4_VALUES, SF4_VALUES, SF4_EXACT_VALUES]) {
      expect(table[0]).toBe(-1);
      expect(table[7]).toBe(0);
      expect(table[15]).toBe(1);
      expect([...table].sort((a, b) => a - b)).toEqual(table);
    }
  });
});
