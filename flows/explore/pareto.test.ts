import { describe, expect, it } from 'vitest';
import { paretoFront } from './pareto.ts';

describe('Pareto front', () => {
  it('keeps the points no cheaper-or-equal point matches in value', () => {
    const points = [
      { cost: 10, value: 20 }, // 0: on the front (cheapest)
      { cost: 12, value: 18 }, // 1: dominated by 0
      { cost: 15, value: 25 }, // 2: on the front
      { cost: 15, value: 24 }, // 3: same cost as 2, lower value
      { cost: 30, value: 25 }, // 4: same value as 2 at a higher cost
      { cost: 40, value: 31 }, // 5: on the front
    ];
    expect(paretoFront(points)).toEqual([0, 2, 5]);
  });

  it('orders by cost whatever the input order, and keeps one of two equal points', () => {
    const points = [
      { cost: 40, value: 31 },
      { cost: 10, value: 20 },
      { cost: 10, value: 20 },
      { cost: 5, value: Infinity },
    ];
    expect(paretoFront(points)).toEqual([3]);
    expect(paretoFront(points.slice(0, 3))).toEqual([1, 0]);
    expect(paretoFront([{ cost: NaN, value: 1 }])).toEqual([]);
  });
});
