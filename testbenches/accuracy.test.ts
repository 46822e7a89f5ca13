import { describe, expect, it } from 'vitest';
import { exactMultiplier, lmulMultiplier, meanRelativeError } from './accuracy.ts';

// docs/lmul.md#error-statistics gives mean relative errors over x, y ~ N(0, 1) from an independent exact
// model (400k samples). The golden models must reproduce them; 100k samples keep the sampling noise near
// 0.02 points.
describe('golden multipliers reproduce the error statistics of docs/lmul.md#error-statistics', () => {
  const cases: [string, () => ReturnType<typeof exactMultiplier>, number][] = [
    ['fp8 e4m3 multiply', () => exactMultiplier('e4m3fn'), 4.51],
    ['fp8 e5m2 multiply', () => exactMultiplier('e5m2'), 7.18],
    ['L-Mul m=4, integer add', () => lmulMultiplier('bf16', 4), 5.29],
    ['L-Mul m=4, formula', () => lmulMultiplier('bf16', 4, 'formula'), 6.45],
    ['L-Mul m=3, integer add', () => lmulMultiplier('bf16', 3), 5.71],
    ['L-Mul m=3, formula', () => lmulMultiplier('bf16', 3, 'formula'), 6.7],
    ['L-Mul m=2, integer add', () => lmulMultiplier('bf16', 2), 14.3],
  ];
  for (const [name, make, percent] of cases) {
    it(`${name}: ${percent}%`, () => {
      expect(Math.abs(100 * meanRelativeError(make(), 100_000, 1) - percent)).toBeLessThan(0.1);
    });
  }
});
