// A generator is complete when it has a verification plan, the plan gets its expected values from a
// golden model in testbenches/golden/, and the catalog has an IP made with it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseParams, type Generator } from '../generators/generator.ts';
import { GENERATORS } from '../generators/registry.ts';
import { CATALOG } from '../ip/catalog.ts';
import { VERIFIED, type Verified } from './registry.ts';
import type { DataPort } from './sim/types.ts';
import { unitUnderTest } from './unit.ts';

const here = import.meta.dirname;
const goldenDir = join(here, 'golden') + sep;

/** Names of the generators that have no entry in the registry, or one whose plan names another generator. */
function unverified(generators: readonly Generator[], verified: readonly Verified[]): string[] {
  return generators
    .filter((g) => {
      const entry = verified.find((v) => v.generator === g);
      const plan = entry === undefined ? undefined : 'plan' in entry ? entry.plan : entry.streaming;
      return plan?.generator !== g.name;
    })
    .map((g) => g.name);
}

/** Names of the generators no catalog entry uses. */
function uncatalogued(generators: readonly Generator[], catalog: readonly { generator: string }[]): string[] {
  return generators.filter((g) => !catalog.some((e) => e.generator === g.name)).map((g) => g.name);
}

/** The files a source file imports for their values (`import type` brings no golden model in). */
function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'(\.{1,2}\/[^']+)'/gms)]
    .filter((m) => m[1] === undefined)
    .map((m) => resolve(dirname(file), m[2]!));
}

/** Whether a testbench source reaches a golden model through its imports, within testbenches/. */
function reachesGolden(file: string, seen = new Set<string>()): boolean {
  if (file.startsWith(goldenDir)) return existsSync(file);
  if (seen.has(file) || !file.startsWith(here + sep) || !existsSync(file)) return false;
  seen.add(file);
  return valueImports(file).some((f) => reachesGolden(f, seen));
}

/** The testbench source files that may define a plan. */
const planSources = [
  ...readdirSync(join(here, 'plans')).map((f) => join(here, 'plans', f)),
  ...readdirSync(here).map((f) => join(here, f)),
].filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

/** The file that exports a plan object. */
async function sourceOf(plan: object): Promise<string | undefined> {
  for (const file of planSources) {
    const exports = (await import(file)) as Record<string, unknown>;
    if (Object.values(exports).includes(plan)) return file;
  }
  return undefined;
}

describe('the registry of generators and their verification', () => {
  it('gives every generator a plan of its own', () => {
    expect(unverified(GENERATORS, VERIFIED)).toEqual([]);
    expect(VERIFIED.map((v) => v.generator.name).sort()).toEqual(GENERATORS.map((g) => g.name).sort());
  });

  it('finds a generator without a plan, and a plan paired with another generator', () => {
    const lone = { ...GENERATORS[0]!, name: 'lone' };
    expect(unverified([...GENERATORS, lone], VERIFIED)).toEqual(['lone']);
    // int_mul's plan paired with int_mac: int_mul has none, and int_mac's is int_mul's.
    const swapped = VERIFIED.map((v, i) => (i === 0 ? { ...v, generator: GENERATORS[1]! } : v));
    expect(unverified(GENERATORS.slice(0, 2), swapped)).toEqual(['int_mul', 'int_mac']);
  });

  it.each(VERIFIED.map((v) => [v.generator.name, v] as const))(
    "%s: its plan's expected values come from a golden model",
    async (_name, verified) => {
      const source = await sourceOf('plan' in verified ? verified.plan : verified.streaming);
      expect(source).toBeDefined();
      expect(reachesGolden(source!)).toBe(true);
    },
  );

  it('tells a plan without a golden model (plan.ts imports none)', () => {
    expect(reachesGolden(join(here, 'plans', 'plan.ts'))).toBe(false);
    expect(reachesGolden(join(here, 'plans', 'int_mul.ts'))).toBe(true);
  });

  it('has every generator in the catalog', () => {
    expect(uncatalogued(GENERATORS, CATALOG)).toEqual([]);
    const lone = { ...GENERATORS[0]!, name: 'lone' };
    expect(uncatalogued([...GENERATORS, lone], CATALOG)).toEqual(['lone']);
  });
});

/** The catalog IPs checked vector by vector, each with its generator's plan. */
const vectorUnits = CATALOG.flatMap((entry) => {
  const verified = VERIFIED.find((v) => v.generator.name === entry.generator);
  return verified !== undefined && 'plan' in verified ? [{ entry, ...verified }] : [];
});

describe("the plans' vectors name the ports of the units they check", () => {
  const sorted = (names: readonly string[]) => [...names].sort();
  const portNames = (ports: readonly DataPort[]) => sorted(ports.map((p) => p.name));

  // Corner and a few random vectors: the default joins such sets (and external ones), and joinVectors
  // refuses parts that name other ports than the first.
  it.each(vectorUnits.map((u) => [u.entry.name, u] as const))(
    '%s: every input and output port, once each, one value per column',
    (_name, { entry, generator, plan }) => {
      const params = parseParams(generator, entry.params);
      const unit = unitUnderTest(generator.build(params), []);
      for (const kind of [{ kind: 'corner' }, { kind: 'random', count: 8 }] as const) {
        const vectors = plan.vectors(params, kind, 1);
        expect(sorted(vectors.inputs)).toEqual(portNames(unit.inputs));
        expect(sorted(vectors.outputs)).toEqual(portNames(unit.outputs));
        expect(vectors.stimulus.every((row) => row.length === vectors.inputs.length)).toBe(true);
        expect(vectors.expected.every((row) => row.length === vectors.outputs.length)).toBe(true);
      }
    },
  );
});
