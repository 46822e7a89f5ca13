// Mutation scores: does a plan's default stimulus tell the correct golden model from its nearest wrong
// variants? The plan's vectors are built once with the correct models and once under each variant
// (testbenches/golden/variant.ts); a variant is killed when at least one expected output differs.
// No simulator runs: a plan whose expected outputs cannot tell two models apart cannot make a
// simulated unit fail for being the other one either.
import { parseParams } from '../../generators/generator.ts';
import { generatorByName } from '../../generators/registry.ts';
import { CATALOG, type CatalogEntry } from '../../ip/catalog.ts';
import { gemvCoreOf } from '../../generators/mpgemm/gemv-core.ts';
import { withVariant } from '../golden/variant.ts';
import { gemvGolden } from '../golden/gemv.ts';
import { gemvCases, gemvSpec } from '../plans/gemv.ts';
import type { PlannedVectors, VerificationPlan } from '../plans/plan.ts';
import { REPLAYERS, type Replay, type Replayer } from './replay.ts';
import { MUTATION_TABLES, type MutationTable, type Variant } from './tables.ts';

/** The seed `bitsmith verify` uses by default. */
export const MUTATION_SEED = 1;

export type Outcome = 'killed' | 'survived' | 'n/a';

export interface VariantResult {
  variant: string;
  /** Per catalog IP of the generator. */
  outcomes: { ip: string; outcome: Outcome; why?: string }[];
}

export interface GeneratorScore {
  generator: string;
  ips: string[];
  results: VariantResult[];
  /** Variants that apply to at least one IP, killed in every IP they apply to, or surviving in one. */
  variants: number;
  killed: number;
  survived: string[];
}

/** A unit's default stimulus cut into runs that the golden model can recompute on their own. */
interface Runs {
  /** Each run's expected rows under the active variant, in order. */
  replay(run: number): bigint[][];
  expected: bigint[][][];
}

/** Rows per run where any cut will do: small enough that a variant is found out early. */
const RUN_ROWS = 64;

function cuts(vectors: PlannedVectors, independent: Replayer['independent']): [number, number][] {
  const { stimulus } = vectors;
  // A unit without the clear input (an FMA) sums nothing across rows: every row stands alone.
  const clear = independent === 'rows' ? -1 : vectors.inputs.indexOf(independent.clearInput);
  const starts = [0];
  for (let i = 1; i < stimulus.length; i++) {
    const since = i - starts[starts.length - 1]!;
    const fresh = clear < 0 || stimulus[i]![clear] === 1n;
    if (fresh && since >= RUN_ROWS) starts.push(i);
  }
  return starts.map((s, i) => [s, starts[i + 1] ?? stimulus.length]);
}

/** The plan's default vectors for one IP, as runs (a GEMV job is a run). */
function runsOf(table: MutationTable, params: Record<string, unknown>): Runs {
  const core = gemvCoreOf(table.generator, params);
  if (core !== undefined) {
    const p = core;
    // Jobs that end in a fault emit only some rows (or none): left out, to count only outputs that are checked.
    const jobs = gemvCases(p, MUTATION_SEED)
      .filter((c) => c.fault === undefined)
      .map((c) => c.job);
    const spec = gemvSpec(p);
    const replay = (run: number) => gemvGolden(spec, jobs[run]!).map((code) => [BigInt(code)]);
    return { replay, expected: jobs.map((_, run) => replay(run)) };
  }
  const plan = table.plan as VerificationPlan<unknown>;
  const vectors = plan.vectors(params, { kind: 'default' }, MUTATION_SEED);
  const replayer = REPLAYERS[table.generator];
  if (replayer === undefined) return { replay: () => vectors.expected, expected: [vectors.expected] };
  const runs = cuts(vectors, replayer.independent);
  return {
    replay: (run) => {
      // Bound for each run, in or out of a variant: a golden model may read its policy when bound.
      const replay = (replayer.replay as (p: unknown) => Replay)(params);
      const [from, to] = runs[run]!;
      return replay(vectors.stimulus.slice(from, to));
    },
    expected: runs.map(([from, to]) => vectors.expected.slice(from, to)),
  };
}

function differs(a: bigint[][], b: bigint[][]): boolean {
  if (a.length !== b.length) return true;
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i]!, b[i]!];
    if (x.length !== y.length || x.some((v, j) => v !== y[j])) return true;
  }
  return false;
}

/** Whether a run's replay differs from the plan's expected rows; stops at the first that does. */
function anyRunDiffers(runs: Runs): number | undefined {
  for (let run = 0; run < runs.expected.length; run++)
    if (differs(runs.replay(run), runs.expected[run]!)) return run;
  return undefined;
}

/** The catalog IPs of a generator with their validated parameters (defaults filled in). */
export function catalogUnits(generator: string): { entry: CatalogEntry; params: Record<string, unknown> }[] {
  const g = generatorByName(generator);
  if (g === undefined) throw new Error(`mutation: no generator '${generator}'`);
  return CATALOG.filter((e) => e.generator === generator).map((entry) => ({
    entry,
    params: parseParams(g, entry.params) as Record<string, unknown>,
  }));
}

function outcomeOf(
  variant: Variant,
  params: Record<string, unknown>,
  runs: Runs,
): { outcome: Outcome; why?: string } {
  const skip = variant.appliesTo?.(params);
  if (skip !== undefined && skip !== true) return { outcome: 'n/a', why: skip === false ? undefined : skip };
  let killed: boolean;
  try {
    const run = withVariant(variant.change, () => anyRunDiffers(runs));
    // The correct models must give back that run's expected rows, or the replay misreads the plan.
    if (run !== undefined && differs(runs.replay(run), runs.expected[run]!))
      throw new Error(`mutation: the correct golden model's replay of run ${run} differs from the plan`);
    killed = run !== undefined;
  } catch (error) {
    // A policy the output format cannot honour (e.g. Inf on overflow for e4m3fn) is no variant of it.
    const message = error instanceof Error ? error.message : String(error);
    if (/is not possible for/.test(message)) return { outcome: 'n/a', why: message };
    throw error;
  }
  return { outcome: killed ? 'killed' : 'survived' };
}

/** Each variant's outcome for one unit (validated parameters), in the catalog or not. */
export function unitOutcomes(
  table: MutationTable,
  params: Record<string, unknown>,
): { variant: string; outcome: Outcome; why?: string }[] {
  const runs = runsOf(table, params);
  return table.variants.map((v) => ({ variant: v.name, ...outcomeOf(v, params, runs) }));
}

/** The mutation score of one generator's default plan over its catalog IPs. */
export function scoreGenerator(table: MutationTable): GeneratorScore {
  const units = catalogUnits(table.generator);
  const results: VariantResult[] = table.variants.map((v) => ({ variant: v.name, outcomes: [] }));
  for (const { entry, params } of units) {
    const runs = runsOf(table, params);
    table.variants.forEach((variant, i) => {
      results[i]!.outcomes.push({ ip: entry.name, ...outcomeOf(variant, params, runs) });
    });
  }
  const applied = results.filter((r) => r.outcomes.some((o) => o.outcome !== 'n/a'));
  const survived = applied.filter((r) => r.outcomes.some((o) => o.outcome === 'survived'));
  return {
    generator: table.generator,
    ips: units.map((u) => u.entry.name),
    results,
    variants: applied.length,
    killed: applied.length - survived.length,
    survived: survived.map(
      (r) =>
        `${r.variant} (${r.outcomes
          .filter((o) => o.outcome === 'survived')
          .map((o) => o.ip)
          .join(', ')})`,
    ),
  };
}

export function scoreAll(): GeneratorScore[] {
  return MUTATION_TABLES.map(scoreGenerator);
}
