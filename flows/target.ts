import { ParameterError, parseParams, type Generator } from '../generators/generator.ts';
import type { Module } from '../generators/hdl/ir.ts';
import { GENERATORS, generatorByName } from '../generators/registry.ts';
import { CATALOG, catalogEntry } from '../ip/catalog.ts';

/** One unit to generate: a catalog IP, or a generator with parameters given on the command line. */
export interface Target {
  /** Folder name under out/: the catalog name, or the module name for a bare generator. */
  ip: string;
  generator: Generator;
  params: Record<string, unknown>;
  module: Module;
  description: string;
}

/** Resolve `<ip|generator>` with `key=value` overrides into a validated, built unit. */
export function resolveTarget(name: string, overrides: Record<string, unknown> = {}): Target {
  const entry = catalogEntry(name);
  const generator = generatorByName(entry?.generator ?? name);
  if (generator === undefined) {
    throw new ParameterError(
      `'${name}' is neither a catalog IP nor a generator. IPs: ${CATALOG.map((e) => e.name).join(', ')}. ` +
        `Generators: ${GENERATORS.map((g) => g.name).join(', ')}`,
    );
  }
  // A clock asked of a catalog IP replaces its latency (the two exclude each other).
  const preset = { ...(entry?.params ?? {}) };
  if (overrides.fmax !== undefined && overrides.latency === undefined) delete preset.latency;
  const params = parseParams(generator, { ...preset, ...overrides }) as Record<string, unknown>;
  const module = generator.build(params);
  const changed = entry !== undefined && Object.keys(overrides).length > 0;
  return {
    ip: entry !== undefined && !changed ? entry.name : module.name,
    generator,
    params,
    module,
    description: entry?.description ?? generator.summary,
  };
}

/** Parse `--set key=value` pairs: JSON ([7,4], true, 3), comma-separated lists (e4m3fn,e5m2), or plain text. */
export function parseOverrides(pairs: readonly string[]): Record<string, unknown> {
  // No prototype: '__proto__' stays a key (and is refused as unknown) instead of being swallowed.
  const out = Object.create(null) as Record<string, unknown>;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new ParameterError(`--set '${pair}' is not allowed: write key=value, e.g. --set accWidth=24`);
    const text = pair.slice(eq + 1);
    out[pair.slice(0, eq)] =
      text.includes(',') && !text.startsWith('[') ? text.split(',').map(scalar) : scalar(text);
  }
  return out;
}

function scalar(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
