import type { VectorSet } from '../sim/types.ts';
import { alignColumns } from '../align-vectors.ts';

/** Which vectors to run: the plan's own choice, every input, the corner cases, or N seeded random ones. */
export type VectorKind =
  { kind: 'default' } | { kind: 'exhaustive' } | { kind: 'corner' } | { kind: 'random'; count: number };

/**
 * A plan's vectors, their columns named by port. The columns may come in any order: where the vectors
 * meet a module, `alignToUnit` (testbenches/align-vectors.ts) puts them in the module's port order.
 */
export interface PlannedVectors extends VectorSet {
  /** Input port names: stimulus[i][c] drives the port inputs[c]. */
  inputs: string[];
  /** Output port names: expected[i][c] is what the port outputs[c] must show. */
  outputs: string[];
  /** What the set holds, for reports (e.g. '65536 exhaustive single steps'). */
  description: string;
}

/** The ports a vector set's columns stand for, in column order. */
export type VectorColumns = Pick<PlannedVectors, 'inputs' | 'outputs'>;

/**
 * How one generator's units are checked: vectors with expected values from the golden model
 * (never from the generator or the IR evaluator), and how to show a port's bits in a mismatch report.
 */
export interface VerificationPlan<P> {
  readonly generator: string;
  vectors(params: P, kind: VectorKind, seed: number): PlannedVectors;
  /** The field values of a port's bit pattern, e.g. '-7' or 'sign=1 exp=0x7 man=0x3 (-1.375)'. */
  decode(port: string, bits: bigint, params: P): string;
  /**
   * The float format of a port that holds codes of one (a lane each, lane 0 lowest), for benches that
   * decode mismatches themselves (the package's cocotb bench); undefined for other ports.
   */
  portFormat?(port: string, params: P): string | undefined;
}

/** The most random vectors one run holds in memory (about 0.5 GB at a million); more seeds check more. */
export const MAX_RANDOM_VECTORS = 1_000_000;

/** Parse '--vectors' text: exhaustive | corner | default | random:N. */
export function parseVectorKind(text: string): VectorKind {
  if (text === 'exhaustive' || text === 'corner' || text === 'default') return { kind: text };
  const random = /^random:(\d+)$/.exec(text);
  const count = Number(random?.[1]);
  if (count > 0 && count <= MAX_RANDOM_VECTORS) return { kind: 'random', count };
  throw new Error(
    `--vectors '${text}' is not allowed: use exhaustive, corner, default or random:N with N from 1 to ${MAX_RANDOM_VECTORS} ` +
      `(for more, run again with other --seed values)`,
  );
}

/** The sets a plan draws its vectors from; `default` is the plan's own choice among them. */
export interface VectorSets {
  exhaustive: () => PlannedVectors;
  corner: () => PlannedVectors;
  random: (count: number) => PlannedVectors;
  default: () => PlannedVectors;
}

/** The set a request asks for. */
export function vectorsOfKind(request: VectorKind, sets: VectorSets): PlannedVectors {
  switch (request.kind) {
    case 'exhaustive':
      return sets.exhaustive();
    case 'corner':
      return sets.corner();
    case 'random':
      return sets.random(request.count);
    case 'default':
      return sets.default();
  }
}

/**
 * A float unit's default: every input when there are at most `limit` cases, else the corner cases,
 * the TestFloat set where one applies, and `count` seeded random vectors.
 */
export function floatDefault(
  cases: number,
  limit: number,
  sets: Omit<VectorSets, 'default'>,
  external: PlannedVectors | undefined,
  count: number,
): PlannedVectors {
  if (cases <= limit) return sets.exhaustive();
  return joinVectors([sets.corner(), ...(external === undefined ? [] : [external]), sets.random(count)]);
}

/** Join vector sets into one run, in the first set's column order (the others must name the same ports). */
export function joinVectors(parts: PlannedVectors[]): PlannedVectors {
  const [first] = parts;
  if (first === undefined) throw new Error('joinVectors: no vector sets to join');
  const aligned = parts.map((p) => alignColumns(p, first, `the set '${first.description}'`));
  return {
    inputs: first.inputs,
    outputs: first.outputs,
    stimulus: aligned.flatMap((p) => p.stimulus),
    expected: aligned.flatMap((p) => p.expected),
    description: parts.map((p) => p.description).join(' + '),
  };
}
