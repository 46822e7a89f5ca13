// The NF4/SF4 construction (docs/codebooks.md#construction): quantiles of a symmetric distribution at
// evenly spaced probabilities, 8 positive and 7 negative, plus zero, sorted and divided by the largest.

/** bitsandbytes' offset: the top probability, chosen so the extreme quantile is not infinite. */
export const QUANTILE_OFFSET = 0.9677083;

/** numpy.linspace(start, stop, count). */
function linspace(start: number, stop: number, count: number): number[] {
  const step = (stop - start) / (count - 1);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? stop : start + i * step));
}

/** The 16 ascending codebook values for a quantile function (inverse CDF). */
export function quantileCodebook(quantile: (p: number) => number): number[] {
  const positive = linspace(QUANTILE_OFFSET, 0.5, 9).slice(0, -1).map(quantile);
  const negative = linspace(QUANTILE_OFFSET, 0.5, 8)
    .slice(0, -1)
    .map((p) => -quantile(p));
  const values = [...positive, ...negative, 0].sort((a, b) => a - b);
  const max = Math.max(...values);
  return values.map((v) => v / max);
}

/** Inverse of an increasing CDF by bisection, to the last bit of a double. */
export function invertCdf(cdf: (x: number) => number, p: number): number {
  let lo = -1;
  let hi = 1;
  while (cdf(lo) >= p) lo *= 2;
  while (cdf(hi) < p) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** CDF of Student's t with 5 degrees of freedom (closed form for odd ν). */
export function studentT5Cdf(t: number): number {
  const theta = Math.atan(t / Math.sqrt(5));
  const c = Math.cos(theta);
  return 0.5 + (theta + Math.sin(theta) * c * (1 + (2 / 3) * c * c)) / Math.PI;
}
