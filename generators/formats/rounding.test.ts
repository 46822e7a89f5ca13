import { describe, expect, it } from 'vitest';
import { exactMagnitude } from './exact-magnitude.ts';
import { magnitudeRule, ROUNDING_MODES, type RoundingMode } from './rounding.ts';

/** x rounded to an integer by mode, for x = n/4 (a quarter grid shows ties and non-ties). */
function roundQuarter(n: number, mode: RoundingMode): number {
  const sign = n < 0 ? 1 : 0;
  const { units } = exactMagnitude(BigInt(Math.abs(n)), 4n, 0).roundAt(0, magnitudeRule(mode, sign));
  return sign ? -units : units;
}

describe('rounding modes', () => {
  // Columns: -2.5 -1.5 -1.25 -0.75 -0.5 0.5 0.75 1.25 1.5 2.5
  const inputs = [-10, -6, -5, -3, -2, 2, 3, 5, 6, 10];
  const expected: Record<RoundingMode, number[]> = {
    rne: [-2, -2, -1, -1, -0, 0, 1, 1, 2, 2],
    rna: [-3, -2, -1, -1, -1, 1, 1, 1, 2, 3],
    rnz: [-2, -1, -1, -1, -0, 0, 1, 1, 1, 2],
    rnd: [-3, -2, -1, -1, -1, 0, 1, 1, 1, 2],
    rtz: [-2, -1, -1, -0, -0, 0, 0, 1, 1, 2],
    rup: [-2, -1, -1, -0, -0, 1, 1, 2, 2, 3],
    rdown: [-3, -2, -2, -1, -1, 0, 0, 1, 1, 2],
  };
  it.each(ROUNDING_MODES)('%s', (mode) => {
    expect(inputs.map((n) => roundQuarter(n, mode))).toEqual(expected[mode]);
  });

  it('reports inexactness', () => {
    expect(exactMagnitude(8n, 4n, 0).roundAt(0, 'nearest-even')).toEqual({ units: 2, inexact: false });
    expect(exactMagnitude(9n, 4n, 0).roundAt(0, 'toward-zero')).toEqual({ units: 2, inexact: true });
  });
});
