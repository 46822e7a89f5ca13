import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../flows/target.ts';
import { floatLayout, formatByName, type FloatFormat } from '../../generators/formats/index.ts';
import type { FpConvertParams } from '../../generators/float/fp_convert.ts';
import { droppedTop, quantumExponent, sourceValue } from '../golden/fp_convert.ts';
import { unitOutcomes } from '../mutation/harness.ts';
import { MUTATION_TABLES } from '../mutation/tables.ts';
import { fpConvertPlan, fpConvertSpec } from './fp_convert.ts';

const convert = (raw: Record<string, unknown>) => resolveTarget('fp_convert', raw).params as FpConvertParams;

/** The codes of lane j in every vector. */
const lane = (words: bigint[][], j: number, bits: number) =>
  words.map(([w]) => (w! >> BigInt(bits * j)) & ((1n << BigInt(bits)) - 1n));

describe('the fp_convert plan', () => {
  it('gives every lane every code of an 8-bit source, in at least 256 vectors', () => {
    const v = fpConvertPlan.vectors(
      convert({ inFormat: 'int', inWidth: 8, outFormat: 'fp16', lanes: 8 }),
      { kind: 'default' },
      1,
    );
    expect(v.stimulus).toHaveLength(256);
    for (let j = 0; j < 8; j++) expect(new Set(lane(v.stimulus, j, 8)).size).toBe(256);
  });

  it('gives every lane every code of a 16-bit source, with TestFloat bf16_to_f32 beside', () => {
    const v = fpConvertPlan.vectors(
      convert({ inFormat: 'bf16', outFormat: 'fp32', lanes: 3 }),
      { kind: 'default' },
      1,
    );
    expect(v.description).toMatch(/65536 exhaustive codes per lane \+ 600 TestFloat bf16_to_f32 cases/);
    for (let j = 0; j < 3; j++) expect(new Set(lane(v.stimulus.slice(0, 65_536), j, 16)).size).toBe(65_536);
  });

  it("takes ml_dtypes' column by the policy: code_sat for satfinite, none for a policy ml_dtypes lacks", () => {
    const sat = fpConvertPlan.vectors(
      convert({ inFormat: 'fp32', outFormat: 'e4m3fn', overflow: 'saturate' }),
      { kind: 'default' },
      1,
    );
    // NaN rows are left out (canonical NaN here, signed in ml_dtypes), Inf rows too (satfinite: ±max).
    expect(sat.description).toMatch(/ml_dtypes convert_float8_e4m3fn 'code_sat' rows/);
    const up = fpConvertPlan.vectors(
      convert({ inFormat: 'fp32', outFormat: 'e4m3fn', rounding: 'rup' }),
      { kind: 'default' },
      1,
    );
    expect(up.description).not.toMatch(/ml_dtypes/);
  });

  it('takes TestFloat f32_to_f16 only for a unit configured as TestFloat', () => {
    const plain = fpConvertPlan.vectors(
      convert({ inFormat: 'fp32', outFormat: 'fp16', flags: true }),
      { kind: 'default' },
      1,
    );
    expect(plain.description).toMatch(/600 TestFloat f32_to_f16 cases/);
    const ftz = fpConvertPlan.vectors(
      convert({ inFormat: 'fp32', outFormat: 'fp16', outputSubnormals: 'flush' }),
      { kind: 'default' },
      1,
    );
    expect(ftz.description).not.toMatch(/TestFloat/);
  });
});

describe('the fp_convert plan with stochastic rounding', () => {
  /** How often each edge the plan aims at occurs in its default vectors (one lane). */
  function edges(raw: Record<string, unknown>): Record<string, number> {
    const p = convert({ ...raw, lanes: 1 });
    const spec = fpConvertSpec(p);
    const R = p.stochasticBits!;
    const one = 1n << BigInt(R);
    const out = formatByName(p.outFormat) as FloatFormat;
    const { emin, maxUnits, maxQ } = floatLayout(out);
    const v = fpConvertPlan.vectors(p, { kind: 'default' }, 1);
    expect(v.inputs).toEqual(['a', 'rand_bits']);
    const seen: Record<string, number> = {};
    const count = (key: string) => (seen[key] = (seen[key] ?? 0) + 1);
    for (const [code, r] of v.stimulus) {
      const x = sourceValue(spec, code!);
      if (x.kind !== 'finite') count(x.kind);
      else if (x.sig === 0n) count('zero');
      else {
        const f = droppedTop(out, x, R);
        const edge = f + r! === one - 1n ? 'short' : f + r! === one ? 'enough' : undefined;
        if (edge === undefined || f === 0n) continue;
        const e = x.sig.toString(2).length - 1 + x.exp;
        const quantum = quantumExponent(out, x);
        // Which kind of value is at this edge.
        const offGrid = x.exp < quantum - R; // nonzero bits below f
        if (f === one >> 1n && !offGrid) count(`tie ${edge}`);
        if (offGrid) count(`bits below f ${edge}`);
        if (e < emin) count(`subnormal ${edge}`);
        // Rounded toward zero to the largest finite value: away is the overflow.
        if (x.sig >> BigInt(quantum - x.exp) === BigInt(maxUnits) && quantum === maxQ)
          count(`overflow edge ${edge}`);
      }
    }
    return seen;
  }
  const EDGES = ['tie', 'bits below f', 'subnormal', 'overflow edge'].flatMap((k) => [
    `${k} short`,
    `${k} enough`,
  ]);

  it.each([
    { inFormat: 'fp32', outFormat: 'e4m3fn', stochasticBits: 8 },
    { inFormat: 'fp32', outFormat: 'fp16', stochasticBits: 13 },
    { inFormat: 'bf16', outFormat: 'e5m2', stochasticBits: 4 },
  ])(
    '%o: f + r = 2^R − 1 and = 2^R at ties, with bits below f, subnormal results and the overflow edge; zeros, Inf, NaN',
    (raw) => {
      const seen = edges(raw);
      for (const key of [...EDGES, 'zero', 'inf', 'nan']) expect(seen[key] ?? 0, key).toBeGreaterThan(0);
    },
  );

  it('leaves TestFloat and ml_dtypes out (they round to nearest)', () => {
    const v = fpConvertPlan.vectors(
      convert({ inFormat: 'fp32', outFormat: 'fp16', stochasticBits: 4, flags: true }),
      { kind: 'default' },
      1,
    );
    expect(v.description).not.toMatch(/TestFloat|ml_dtypes/);
    const e4m3 = fpConvertPlan.vectors(
      convert({ inFormat: 'fp32', outFormat: 'e4m3fn', stochasticBits: 4 }),
      { kind: 'default' },
      1,
    );
    expect(e4m3.description).not.toMatch(/ml_dtypes/);
  });

  it.each([
    { inFormat: 'fp32', outFormat: 'e4m3fn', stochasticBits: 8, lanes: 8, latency: 4 },
    { inFormat: 'fp32', outFormat: 'fp16', stochasticBits: 13, flags: true },
    { inFormat: 'fp16', outFormat: 'e5m2', stochasticBits: 3, flags: true },
    { inFormat: 'int', inWidth: 16, outFormat: 'bf16', stochasticBits: 4, lanes: 2 },
  ])('kills every variant that applies to %o, the stochastic ones among them', (raw) => {
    const table = MUTATION_TABLES.find((t) => t.generator === 'fp_convert')!;
    const outcomes = unitOutcomes(table, convert(raw) as unknown as Record<string, unknown>);
    expect(outcomes.filter((o) => o.outcome === 'survived').map((o) => o.variant)).toEqual([]);
    const stochastic = outcomes.filter((o) => o.variant.startsWith('fp_convert.stochastic'));
    expect(stochastic.filter((o) => o.outcome === 'killed').length).toBe(raw.inFormat === 'int' ? 2 : 3);
  });
});
