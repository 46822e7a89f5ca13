// Synthetic weight tensors for `bitsmith explore` (docs/explore.md#data), from the project's seeded
// SplitMix64 generator: the same spec, size and seed give the same tensor on every machine.

import { Random } from '../../testbenches/vectors/random.ts';

export type Distribution =
  { kind: 'gaussian' } | { kind: 'laplace' } | { kind: 'student-t'; nu: number } | { kind: 'uniform' };

export const DISTRIBUTIONS = ['gaussian', 'laplace', 'student-t:<nu>', 'uniform'] as const;

/** `gaussian` (or `normal`), `laplace`, `student-t:<nu>` (or `t:<nu>`), `uniform`; undefined when `spec` names none. */
export function parseDistribution(spec: string): Distribution | undefined {
  const s = spec.trim().toLowerCase();
  if (s === 'gaussian' || s === 'normal') return { kind: 'gaussian' };
  if (s === 'laplace') return { kind: 'laplace' };
  if (s === 'uniform') return { kind: 'uniform' };
  const t = /^(?:student-t|t):(.*)$/.exec(s);
  if (t) {
    const nu = Number(t[1]);
    if (!(Number.isFinite(nu) && nu > 0))
      throw new Error(
        `--data '${spec}': the degrees of freedom ν '${t[1]}' are not allowed; use a positive number`,
      );
    return { kind: 'student-t', nu };
  }
  if (s === 'student-t' || s === 't')
    throw new Error(`--data '${spec}' is not allowed: give the degrees of freedom, e.g. student-t:5`);
  return undefined;
}

export function describeDistribution(d: Distribution): string {
  return d.kind === 'student-t' ? `student-t:${d.nu}` : d.kind;
}

/** A float in (0, 1): never 0, so logarithms stay finite. */
function open01(rng: Random): number {
  return 1 - rng.float();
}

function normal(rng: Random): number {
  return Math.sqrt(-2 * Math.log(open01(rng))) * Math.cos(2 * Math.PI * rng.float());
}

/** Gamma(shape, 1) by Marsaglia and Tsang (2000); shape < 1 through Gamma(shape + 1) · U^(1/shape). */
function gamma(rng: Random, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * open01(rng) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = open01(rng);
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * `size` samples: N(0, 1); Laplace(0, 1) (density e^-|x| / 2); Student-t with ν degrees of freedom
 * (Z / sqrt(χ²_ν / ν), χ²_ν = 2·Gamma(ν/2)); uniform on [-1, 1).
 */
export function sample(d: Distribution, size: number, seed: number): Float64Array {
  const rng = new Random(seed);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    switch (d.kind) {
      case 'gaussian':
        out[i] = normal(rng);
        break;
      case 'laplace': {
        const u = rng.float() - 0.5;
        out[i] = -Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
        break;
      }
      case 'student-t':
        out[i] = normal(rng) / Math.sqrt((2 * gamma(rng, d.nu / 2)) / d.nu);
        break;
      case 'uniform':
        out[i] = 2 * rng.float() - 1;
        break;
    }
  }
  return out;
}
