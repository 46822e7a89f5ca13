// The Pareto front of accuracy against cost: the points no other point beats on both at once.

export interface CostPoint {
  /** Lower is better (LUTs per MAC, bits per element). */
  cost: number;
  /** Higher is better (SQNR in dB). */
  value: number;
}

/**
 * Indices of the points on the front, by increasing cost: a point is on it when every point of lower or
 * equal cost has a lower value (of points equal in both, the first). Points with a NaN are left out.
 */
export function paretoFront(points: readonly CostPoint[]): number[] {
  const order = points
    .map((p, i) => ({ ...p, i }))
    .filter((p) => !Number.isNaN(p.cost) && !Number.isNaN(p.value))
    .sort((a, b) => a.cost - b.cost || b.value - a.value || a.i - b.i);
  const front: number[] = [];
  let best = -Infinity;
  for (const p of order) {
    if (p.value > best) {
      front.push(p.i);
      best = p.value;
    }
  }
  return front;
}
