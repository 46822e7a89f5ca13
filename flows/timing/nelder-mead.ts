/** Nelder–Mead minimization of `f` from `start`: the simplex's first steps are `step` along each axis. */
export function minimize(
  f: (x: readonly number[]) => number,
  start: readonly number[],
  options: { step: number; iterations: number },
): number[] {
  const n = start.length;
  let simplex = [
    start.slice(),
    ...start.map((_, i) => start.map((v, j) => (i === j ? v + options.step : v))),
  ].map((x) => ({ x, y: f(x) }));
  const along = (a: readonly number[], b: readonly number[], t: number) =>
    a.map((v, i) => v + t * (b[i]! - v));
  for (let k = 0; k < options.iterations; k++) {
    simplex.sort((a, b) => a.y - b.y);
    const worst = simplex[n]!;
    const centroid = start.map((_, i) => simplex.slice(0, n).reduce((s, p) => s + p.x[i]!, 0) / n);
    const reflected = along(centroid, worst.x, -1);
    const yr = f(reflected);
    if (yr < simplex[0]!.y) {
      const expanded = along(centroid, worst.x, -2);
      const ye = f(expanded);
      simplex[n] = ye < yr ? { x: expanded, y: ye } : { x: reflected, y: yr };
    } else if (yr < simplex[n - 1]!.y) {
      simplex[n] = { x: reflected, y: yr };
    } else {
      const contracted = along(centroid, worst.x, 0.5);
      const yc = f(contracted);
      if (yc < worst.y) simplex[n] = { x: contracted, y: yc };
      else
        simplex = simplex.map((p, i) =>
          i === 0 ? p : { x: along(simplex[0]!.x, p.x, 0.5), y: f(along(simplex[0]!.x, p.x, 0.5)) },
        );
    }
  }
  simplex.sort((a, b) => a.y - b.y);
  return simplex[0]!.x;
}
