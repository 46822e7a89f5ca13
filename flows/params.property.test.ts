// Property (issue #20): for every generator, any parameter set either validates and elaborates, or
// fails with a ParameterError that names a parameter; a sample of valid sets lints clean.
// The sets walk the generator's zod schema: mostly legal and small (cheap to build), often out of
// range, of the wrong type, or unknown keys.
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { objectShape, ParameterError, parseParams, type Generator } from '../generators/generator.ts';
import { emitVerilog, type VerilogFile } from '../generators/emit/verilog.ts';
import type { Module } from '../generators/hdl/ir.ts';
import { GENERATORS } from '../generators/registry.ts';
import { lintVerilog } from '../testbenches/sim/lint.ts';

/** Keys that are not parameters, among them the names every object inherits. */
const UNKNOWN_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'width', 'Lanes'];
const JUNK: readonly unknown[] = [null, '', 'x', {}, [], true, -1, 1e300, Number.NaN];

/** The schema inside optional() and default(). */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema as z.ZodType & { def: { type: string; innerType?: z.ZodType } };
  while (s.def.innerType !== undefined && (s.def.type === 'optional' || s.def.type === 'default')) {
    s = s.def.innerType as typeof s;
  }
  return s;
}

type Check = { _zod: { def: { check: string; minimum?: number; maximum?: number; length?: number } } };
type Schema = z.ZodType & { def: { type: string } };

/** Legal values of one parameter (small ones mostly, so that most sets are cheap to build), and bad ones. */
function values(schema: z.ZodType): { legal: fc.Arbitrary<unknown>; bad: fc.Arbitrary<unknown> } {
  const s = unwrap(schema) as Schema;
  const junk = fc.constantFrom(...JUNK);
  switch (s.def.type) {
    case 'number': {
      const n = s as unknown as z.ZodNumber;
      if (!n.isInt) {
        // RaZeR special values: halves; other fractions, huge and non-finite values.
        return {
          legal: fc.integer({ min: -128, max: 127 }).map((k) => k / 2),
          bad: fc.oneof(fc.double(), fc.constantFrom(0.1, 1e300, -1e300, Number.NaN, Infinity, '5', null)),
        };
      }
      const [min, max] = [n.minValue!, n.maxValue!];
      return {
        legal: fc.oneof(
          { weight: 8, arbitrary: fc.integer({ min, max: Math.min(max, min + 4) }) },
          { weight: 1, arbitrary: fc.integer({ min, max }) },
        ),
        bad: fc.oneof(fc.constantFrom(min - 1, max + 1, min + 0.5, -(2 ** 31), 2 ** 53 + 2, `${min}`), junk),
      };
    }
    case 'enum': {
      const options = (s as unknown as z.ZodEnum).options as string[];
      return {
        legal: fc.constantFrom(...options),
        bad: fc.oneof(fc.constantFrom('FP16', 'toString', '__proto__'), junk),
      };
    }
    case 'boolean':
      return { legal: fc.boolean(), bad: fc.oneof(fc.constantFrom('true', 1, 0), junk) };
    case 'array': {
      const checks = ((s as unknown as { def: { checks?: Check[] } }).def.checks ?? []).map(
        (c) => c._zod.def,
      );
      const exact = checks.find((c) => c.check === 'length_equals')?.length;
      const minLength = exact ?? checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
      const maxLength = exact ?? checks.find((c) => c.check === 'max_length')?.maximum ?? 4;
      const element = values((s as unknown as z.ZodArray).element as z.ZodType);
      return {
        legal: fc.array(element.legal, { minLength, maxLength }),
        bad: fc.oneof(
          fc.array(element.legal, { minLength: maxLength + 1, maxLength: maxLength + 2 }),
          fc.array(element.legal, { maxLength: Math.max(0, minLength - 1) }),
          fc.array(element.bad, { minLength: 1, maxLength }),
          junk,
        ),
      };
    }
    case 'literal': {
      const literals = [...(s as unknown as z.ZodLiteral).values] as (string | number | boolean)[];
      return { legal: fc.constantFrom(...literals), bad: junk };
    }
    case 'union': {
      // e.g. ready: true, false or 'skid'. A value bad for one member may be legal for another, so
      // only junk is bad for the union.
      const members = (s as unknown as z.ZodUnion).options.map((o) => values(o as z.ZodType));
      const junkForUnion = fc.constantFrom(...JUNK.filter((v) => typeof v !== 'boolean'));
      return { legal: fc.oneof(...members.map((member) => member.legal)), bad: junkForUnion };
    }
    default:
      throw new Error(`no values for a zod '${s.def.type}' schema`);
  }
}

/**
 * Raw parameter sets for a generator, as the catalog or the command line hands them over: legal
 * values only; legal values but one bad value or one unknown key; or bad values anywhere.
 */
function parameterSets(generator: Generator) {
  const shape = objectShape(generator.params)!;
  const keys = Object.keys(shape);
  const perKey = Object.fromEntries(keys.map((key) => [key, values(shape[key]!)]));
  // A few keys set, the others left to their defaults: cross-parameter rules mostly hold.
  const some = (pick: (v: ReturnType<typeof values>) => fc.Arbitrary<unknown>) =>
    fc
      .subarray(keys, { maxLength: 4 })
      .chain((chosen) => fc.record(Object.fromEntries(chosen.map((key) => [key, pick(perKey[key]!)]))));
  const legal = some((v) => v.legal);
  const oneBad = fc
    .tuple(legal, fc.constantFrom(...keys))
    .chain(([params, key]) => perKey[key]!.bad.map((bad) => ({ ...params, [key]: bad })));
  // Object.fromEntries defines '__proto__' as an own key, as JSON.parse does.
  const unknownKey = fc
    .tuple(legal, fc.constantFrom(...UNKNOWN_KEYS), fc.constantFrom(...JUNK))
    .map(([params, key, value]) => Object.fromEntries([...Object.entries(params), [key, value]]));
  const anyValues = fc.record(
    Object.fromEntries(keys.map((key) => [key, fc.oneof(perKey[key]!.legal, perKey[key]!.bad)])),
    { requiredKeys: [] },
  );
  return {
    legal,
    any: fc.oneof(
      { weight: 6, arbitrary: legal },
      { weight: 3, arbitrary: oneBad },
      { weight: 1, arbitrary: unknownKey },
      { weight: 1, arbitrary: anyValues },
    ) as fc.Arbitrary<Record<string, unknown>>,
  };
}

const RUNS = 2000;
const LINTED = 5;
/** Sampled units with more Verilog than this are skipped for the lint: too slow for the suite. */
const LINT_MAX_CHARS = 150_000;

/** Validate and build; the module, or the error. */
function elaborate(
  generator: Generator,
  raw: Record<string, unknown>,
): { module: Module } | { error: unknown } {
  try {
    return { module: generator.build(parseParams(generator, raw)) };
  } catch (error) {
    return { error };
  }
}

describe('every parameter set elaborates or is refused with a message that names a parameter', () => {
  for (const generator of GENERATORS) {
    it(`${generator.name}: ${RUNS} random parameter sets`, () => {
      const keys = Object.keys(objectShape(generator.params)!);
      const named = new RegExp(`(unknown parameter|parameter '(${keys.join('|')})(\\.\\d+)?' = )`);
      let built = 0;
      fc.assert(
        fc.property(parameterSets(generator).any, (raw) => {
          const result = elaborate(generator, raw);
          if ('module' in result) return void built++;
          const error = result.error as Error;
          expect(error, String(error.stack)).toBeInstanceOf(ParameterError);
          expect(error.message).toMatch(named);
        }),
        { numRuns: RUNS, seed: 20 },
      );
      // The sets reach elaboration often enough to test it, in bounded memory.
      expect(built).toBeGreaterThan(RUNS / 5);
      expect(process.memoryUsage().rss).toBeLessThan(2 * 2 ** 30);
    }, 300_000);

    it(`${generator.name}: ${LINTED} random small units lint clean`, async () => {
      const units: { module: Module; files: VerilogFile[] }[] = [];
      for (const raw of fc.sample(parameterSets(generator).legal, { numRuns: 200, seed: 20 })) {
        const result = elaborate(generator, raw);
        if (!('module' in result)) continue;
        const files = emitVerilog(result.module);
        if (files.reduce((n, f) => n + f.text.length, 0) > LINT_MAX_CHARS) continue;
        units.push({ module: result.module, files });
        if (units.length === LINTED) break;
      }
      expect(units).toHaveLength(LINTED);
      const dir = mkdtempSync(join(tmpdir(), 'bitsmith-params-'));
      try {
        for (const { module, files } of units) {
          const paths = files.map((f) => join(dir, f.fileName));
          files.forEach((f, i) => writeFileSync(paths[i]!, f.text));
          const lint = await lintVerilog(paths, module.name);
          expect(lint.messages, module.name).toEqual([]);
          expect(lint.clean).toBe(true);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
