// fp_convert's datapath in the IR evaluator against the golden model: every code of 8-bit (and
// narrower) float sources into wider, narrower and exotic formats under every rounding mode, both
// tininess rules, kept and flushed subnormals and saturate-to-finite; fp16/bf16 sources exhaustively;
// integers of 1..64 bits into floats; floats into integers with every rounding mode, saturation and
// both NaN rules; several lanes at once. Stochastic rounding: the plan's vectors (random bits at each
// code's edges) in the IR evaluator, and one unit in Icarus, Verilator and the HLS C++ model.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePackage } from '../../flows/package.ts';
import { resolveTarget } from '../../flows/target.ts';
import { alignToUnit } from '../../testbenches/align-vectors.ts';
import { runConformance } from '../../testbenches/conformance.ts';
import { fpConvertGolden } from '../../testbenches/golden/fp_convert.ts';
import { fpConvertPlan, mlDtypesSets, testFloatSets } from '../../testbenches/plans/fp_convert.ts';
import { simulatorsFor } from '../../testbenches/sim/container.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { FLOAT_FORMAT_NAMES, outputPolicy, ROUNDED_FORMAT_NAMES } from '../float-params.ts';
import {
  floatLayout,
  formatByName,
  mlDtypesPolicy,
  ROUNDING_MODES,
  type MlDtypesMode,
} from '../formats/index.ts';
import { parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import {
  codeBits,
  CONVERT_CUTS,
  fpConvert,
  INT_SOURCE_CUTS,
  isInt,
  type FpConvertParams,
} from './fp_convert.ts';

type Params = Record<string, unknown>;

/** Mismatches (with flags) against the golden model, codes given per lane; at most five. */
function mismatches(params: Params, codes: bigint[]): string[] {
  const target = resolveTarget('fp_convert', { ...params, flags: true });
  const p = target.params as FpConvertParams;
  const spec = {
    inFormat: p.inFormat,
    inWidth: p.inWidth ?? 8,
    outFormat: p.outFormat,
    outWidth: p.outWidth ?? 8,
    policy: isInt(p.outFormat) ? { rounding: p.rounding as never } : outputPolicy(p),
    inputSubnormals: p.inputSubnormals as 'keep' | 'flush',
    nanToInt: p.nanToInt as 'zero' | 'min',
  };
  const inBits = BigInt(codeBits(p.inFormat, p.inWidth));
  const outBits = BigInt(codeBits(p.outFormat, p.outWidth));
  const L = p.lanes;
  const words: bigint[][] = [];
  for (let i = 0; i < codes.length; i += L) {
    let word = 0n;
    for (let j = 0; j < L; j++) word |= codes[(i + j) % codes.length]! << (inBits * BigInt(j));
    words.push([word]);
  }
  const got = runVectors(target.module, words);
  const wrong: string[] = [];
  words.forEach(([word], i) => {
    for (let j = 0; j < L; j++) {
      const code = (word! >> (inBits * BigInt(j))) & ((1n << inBits) - 1n);
      const want = fpConvertGolden(spec, code);
      const y = (got[i]![0]! >> (outBits * BigInt(j))) & ((1n << outBits) - 1n);
      const flags = Number((got[i]![1]! >> BigInt(5 * j)) & 31n);
      if (y !== want.code || flags !== want.flags)
        wrong.push(
          `lane ${j} ${code.toString(16)}: got ${y.toString(16)}/${flags}, want ${want.code.toString(16)}/${want.flags}`,
        );
    }
  });
  return wrong.slice(0, 5);
}

const all = (bits: number) => Array.from({ length: 2 ** bits }, (_, i) => BigInt(i));

function random(bits: number, count: number, seed: number): bigint[] {
  let s = BigInt(seed);
  return Array.from({ length: count }, () => {
    s = (s * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
    // Mix magnitudes: shift a random word right by a random amount so that small values are common.
    const shift = (s >> 58n) % BigInt(bits);
    return (s >> shift) & ((1n << BigInt(bits)) - 1n);
  });
}

describe('fp_convert in the IR evaluator: float → float', () => {
  for (const rounding of ROUNDING_MODES) {
    for (const tininess of ['after', 'before']) {
      for (const outputSubnormals of ['keep', 'flush']) {
        it(`fp16 → e4m3fn, every code: ${rounding}, tininess ${tininess}, subnormals ${outputSubnormals}`, () => {
          expect(
            mismatches(
              { inFormat: 'fp16', outFormat: 'e4m3fn', rounding, tininess, outputSubnormals, lanes: 4 },
              all(16),
            ),
          ).toEqual([]);
        });
      }
    }
  }
  const cases: [string, Params, bigint[]][] = [
    ['e4m3fn → fp16 (widening, exact), every code', { inFormat: 'e4m3fn', outFormat: 'fp16' }, all(8)],
    [
      'e5m2 → e4m3fn, every code, 64 lanes (the most)',
      { inFormat: 'e5m2', outFormat: 'e4m3fn', rounding: 'rna', lanes: 64 },
      all(8),
    ],
    [
      'e5m2 → e4m3fn saturating, every code, DAZ',
      { inFormat: 'e5m2', outFormat: 'e4m3fn', overflow: 'saturate', inputSubnormals: 'flush' },
      all(8),
    ],
    [
      'e4m3fnuz → e2m1fn, every code, rounding up',
      { inFormat: 'e4m3fnuz', outFormat: 'e2m1fn', rounding: 'rup' },
      all(8),
    ],
    ['e8m0fnu → bf16, every code', { inFormat: 'e8m0fnu', outFormat: 'bf16' }, all(8)],
    // results without −0 (a value rounding to zero must become +0) and with Inf (IEEE overflow)
    ...(['rup', 'rdown', 'rne'] as const).map((rounding): [string, Params, bigint[]] => [
      `fp16 → e4m3fnuz, every code, ${rounding}`,
      { inFormat: 'fp16', outFormat: 'e4m3fnuz', rounding },
      all(16),
    ]),
    [
      'bf16 → e5m2fnuz, every code, rounding down, tininess before',
      { inFormat: 'bf16', outFormat: 'e5m2fnuz', rounding: 'rdown', tininess: 'before' },
      all(16),
    ],
    ...(['rup', 'rdown', 'rtz'] as const).map((rounding): [string, Params, bigint[]] => [
      `fp16 → e5m2, every code, ${rounding}, IEEE overflow`,
      { inFormat: 'fp16', outFormat: 'e5m2', rounding, overflow: 'ieee' },
      all(16),
    ]),
    ['bf16 → fp16, every code, 8 lanes', { inFormat: 'bf16', outFormat: 'fp16', lanes: 8 }, all(16)],
    ['fp16 → bf16, every code, NaN signed', { inFormat: 'fp16', outFormat: 'bf16', nan: 'signed' }, all(16)],
    [
      'fp32 → e4m3fn satfinite, random codes, 8 lanes',
      { inFormat: 'fp32', outFormat: 'e4m3fn', overflow: 'saturate', lanes: 8 },
      random(32, 40_000, 1),
    ],
    [
      'fp32 → fp16, random codes, toward zero',
      { inFormat: 'fp32', outFormat: 'fp16', rounding: 'rtz' },
      random(32, 40_000, 2),
    ],
    ['fp16 → fp32, every code', { inFormat: 'fp16', outFormat: 'fp32' }, all(16)],
    // every cut: the alignment split, the rounding modules pipelined (with and without backpressure)
    [
      'bf16 → fp16, every code, 8 lanes, every cut',
      { inFormat: 'bf16', outFormat: 'fp16', lanes: 8, latency: CONVERT_CUTS.length },
      all(16),
    ],
    [
      'fp32 → e4m3fn satfinite, random codes, 8 lanes, every cut, valid/ready',
      { inFormat: 'fp32', outFormat: 'e4m3fn', overflow: 'saturate', lanes: 8, latency: 4, ready: true },
      random(32, 40_000, 7),
    ],
    [
      'fp16 → e4m3fn, every code, rounding down, flushed subnormals, alignment split only',
      {
        inFormat: 'fp16',
        outFormat: 'e4m3fn',
        rounding: 'rdown',
        outputSubnormals: 'flush',
        lanes: 2,
        latency: 3,
      },
      all(16),
    ],
  ];
  for (const [name, params, codes] of cases) it(name, () => expect(mismatches(params, codes)).toEqual([]));
});

describe("fp_convert against ml_dtypes' fp32 conversion tables", () => {
  // Every FP8/FP6/FP4 result format (e8m0fnu, which has no sign and no mantissa, is no rounded
  // format), each column of its table configured as ml_dtypes rounds it: the datapath's codes against
  // ml_dtypes' own, not the golden model's.
  const formats = ROUNDED_FORMAT_NAMES.filter((f) => floatLayout(formatByName(f) as never).bits <= 8);
  const columns = { default: 'code', saturate: 'code_sat', truncate: 'code_trunc' } as const;
  for (const outFormat of formats) {
    for (const [mode, column] of Object.entries(columns) as [MlDtypesMode, string][]) {
      it(`fp32 → ${outFormat}, the '${column}' column`, () => {
        const ml = mlDtypesPolicy(formatByName(outFormat), mode);
        const raw = { inFormat: 'fp32', outFormat, rounding: ml.rounding, overflow: ml.overflow, lanes: 8 };
        // ml_dtypes keeps a NaN's sign; a format whose only NaN has no sign takes its own rule.
        let target;
        try {
          target = resolveTarget('fp_convert', { ...raw, nan: ml.nan });
        } catch {
          target = resolveTarget('fp_convert', raw);
        }
        const sets = mlDtypesSets(target.params as FpConvertParams);
        expect(sets).toHaveLength(1);
        const table = alignToUnit(sets[0]!, unitUnderTest(target.module, []));
        // Saturating is the default of a format with neither Inf nor NaN: its first column is taken.
        const first = mode === 'saturate' && mlDtypesPolicy(formatByName(outFormat)).overflow === 'saturate';
        expect(table.description).toContain(`'${first ? 'code' : column}' rows`);
        expect(table.stimulus.length * 8).toBeGreaterThan(19_000);
        const got = runVectors(target.module, table.stimulus);
        const wrong = table.expected
          .map((want, i) =>
            got[i]![0] === want[0]
              ? ''
              : `vector ${i}: got ${got[i]![0]!.toString(16)}, want ${want[0]!.toString(16)}`,
          )
          .filter((w) => w !== '');
        expect(wrong.slice(0, 5)).toEqual([]);
      });
    }
  }
});

describe("fp_convert against TestFloat's conversion cases, results and flags", () => {
  const files: [string, string, string][] = [
    ['fp16', 'fp32', 'f16_to_f32'],
    ['fp32', 'fp16', 'f32_to_f16'],
    ['fp32', 'bf16', 'f32_to_bf16'],
    ['bf16', 'fp32', 'bf16_to_f32'],
  ];
  for (const [inFormat, outFormat, file] of files) {
    it(`${file}, 3 lanes`, () => {
      const target = resolveTarget('fp_convert', { inFormat, outFormat, flags: true, lanes: 3 });
      const sets = testFloatSets(target.params as FpConvertParams);
      expect(sets).toHaveLength(1);
      expect(sets[0]!.description).toMatch(new RegExp(`\\d+ TestFloat ${file} cases`));
      const table = alignToUnit(sets[0]!, unitUnderTest(target.module, []));
      const got = runVectors(target.module, table.stimulus);
      const wrong = table.expected
        .map((want, i) =>
          got[i]![0] === want[0] && got[i]![1] === want[1]
            ? ''
            : `vector ${i}: got ${got[i]!.map((v) => v.toString(16))}, want ${want.map((v) => v.toString(16))}`,
        )
        .filter((w) => w !== '');
      expect(wrong.slice(0, 5)).toEqual([]);
    });
  }
});

describe('fp_convert in the IR evaluator: every 8-bit or narrower source format, every code', () => {
  const sources = FLOAT_FORMAT_NAMES.filter((f) => floatLayout(formatByName(f) as never).bits <= 8);
  for (const inFormat of sources) {
    for (const outFormat of ['fp16', 'bf16', 'e4m3fn', 'e2m1fn']) {
      if (outFormat === inFormat) continue;
      it(`${inFormat} → ${outFormat}`, () => {
        expect(
          mismatches(
            { inFormat, outFormat, lanes: 2 },
            all(floatLayout(formatByName(inFormat) as never).bits),
          ),
        ).toEqual([]);
      });
    }
  }
});

describe('fp_convert in the IR evaluator: integers', () => {
  const cases: [string, Params, bigint[]][] = [
    [
      'int8 → fp16, every code, 8 lanes',
      { inFormat: 'int', inWidth: 8, outFormat: 'fp16', lanes: 8 },
      all(8),
    ],
    [
      'uint8 → e4m3fn, every code, rounding down',
      { inFormat: 'uint', inWidth: 8, outFormat: 'e4m3fn', rounding: 'rdown' },
      all(8),
    ],
    ['int1 and uint1 → e2m1fn', { inFormat: 'int', inWidth: 1, outFormat: 'e2m1fn' }, all(1)],
    ['uint1 → e2m1fn', { inFormat: 'uint', inWidth: 1, outFormat: 'e2m1fn' }, all(1)],
    [
      'int16 → bf16, every code, nearest ties away',
      { inFormat: 'int', inWidth: 16, outFormat: 'bf16', rounding: 'rna' },
      all(16),
    ],
    ['int64 → fp32, random', { inFormat: 'int', inWidth: 64, outFormat: 'fp32' }, random(64, 20_000, 3)],
    [
      'uint64 → fp16 (overflow to Inf), random, rounding up',
      { inFormat: 'uint', inWidth: 64, outFormat: 'fp16', rounding: 'rup' },
      random(64, 20_000, 4),
    ],
    ['e4m3fn → int8, every code', { inFormat: 'e4m3fn', outFormat: 'int', outWidth: 8 }, all(8)],
    [
      'e5m2 → uint4, every code, NaN to min',
      { inFormat: 'e5m2', outFormat: 'uint', outWidth: 4, nanToInt: 'min' },
      all(8),
    ],
    ['fp16 → int1, every code', { inFormat: 'fp16', outFormat: 'int', outWidth: 1 }, all(16)],
    [
      'fp32 → int64, random, NaN to min',
      { inFormat: 'fp32', outFormat: 'int', outWidth: 64, nanToInt: 'min' },
      random(32, 20_000, 5),
    ],
    [
      'fp32 → uint32, random, toward zero',
      { inFormat: 'fp32', outFormat: 'uint', outWidth: 32, rounding: 'rtz' },
      random(32, 20_000, 6),
    ],
    [
      'int8 → fp16, every code, 8 lanes, every cut',
      { inFormat: 'int', inWidth: 8, outFormat: 'fp16', lanes: 8, latency: INT_SOURCE_CUTS.length },
      all(8),
    ],
    [
      'int8 → fp16, every code, 8 lanes, cut after the count and the alignment',
      { inFormat: 'int', inWidth: 8, outFormat: 'fp16', lanes: 8, latency: 2 },
      all(8),
    ],
    [
      'int16 → bf16, every code, 3 lanes, every cut, rounding up',
      {
        inFormat: 'int',
        inWidth: 16,
        outFormat: 'bf16',
        rounding: 'rup',
        lanes: 3,
        latency: INT_SOURCE_CUTS.length,
      },
      all(16),
    ],
    [
      'uint12 → e4m3fn satfinite, every code, cut after the negation only',
      { inFormat: 'uint', inWidth: 12, outFormat: 'e4m3fn', overflow: 'saturate', latency: 4 },
      all(12),
    ],
    [
      'int1 → e2m1fn, every cut',
      { inFormat: 'int', inWidth: 1, outFormat: 'e2m1fn', latency: INT_SOURCE_CUTS.length },
      all(1),
    ],
    [
      'fp16 → int8, every code, every cut',
      { inFormat: 'fp16', outFormat: 'int', outWidth: 8, latency: CONVERT_CUTS.length },
      all(16),
    ],
  ];
  for (const [name, params, codes] of cases) it(name, () => expect(mismatches(params, codes)).toEqual([]));
  for (const rounding of ROUNDING_MODES) {
    it(`fp16 → int8, every code, ${rounding}, DAZ`, () => {
      expect(
        mismatches(
          { inFormat: 'fp16', outFormat: 'int', outWidth: 8, rounding, inputSubnormals: 'flush', lanes: 2 },
          all(16),
        ),
      ).toEqual([]);
    });
  }
});

/** Mismatches of the plan's default vectors (flags on) in the IR evaluator; at most five. */
function planMismatches(params: Params): string[] {
  const target = resolveTarget('fp_convert', { ...params, flags: true });
  const vectors = fpConvertPlan.vectors(target.params as FpConvertParams, { kind: 'default' }, 1);
  const table = alignToUnit(vectors, unitUnderTest(target.module, []));
  const got = runVectors(target.module, table.stimulus);
  return table.expected
    .map((want, i) =>
      want.every((v, k) => got[i]![k] === v)
        ? ''
        : `a ${table.stimulus[i]![0]!.toString(16)}, rand_bits ${table.stimulus[i]![1]!.toString(16)}: got ${got[i]!.map((v) => v.toString(16))}, want ${want.map((v) => v.toString(16))}`,
    )
    .filter((w) => w !== '')
    .slice(0, 5);
}

describe('fp_convert with stochastic rounding in the IR evaluator', () => {
  const cases: [string, Params][] = [
    [
      'fp16 → e4m3fn, R = 3, every code, 4 lanes',
      { inFormat: 'fp16', outFormat: 'e4m3fn', stochasticBits: 3, lanes: 4 },
    ],
    ['fp16 → e2m1fn, R = 1, every code', { inFormat: 'fp16', outFormat: 'e2m1fn', stochasticBits: 1 }],
    [
      'fp16 → e5m2, R = 4, every code, tininess before, alignment split',
      { inFormat: 'fp16', outFormat: 'e5m2', stochasticBits: 4, tininess: 'before', latency: 3 },
    ],
    [
      'bf16 → fp16 (IEEE overflow), R = 12, every code, 3 lanes, every cut',
      { inFormat: 'bf16', outFormat: 'fp16', stochasticBits: 12, lanes: 3, latency: CONVERT_CUTS.length },
    ],
    [
      'fp32 → e4m3fn satfinite, R = 8, 8 lanes, rounding pipelined, valid/ready',
      {
        inFormat: 'fp32',
        outFormat: 'e4m3fn',
        overflow: 'saturate',
        stochasticBits: 8,
        lanes: 8,
        latency: 4,
        ready: true,
      },
    ],
    [
      'fp32 → fp16, R = 13, overflow to Inf',
      { inFormat: 'fp32', outFormat: 'fp16', stochasticBits: 13, overflow: 'inf' },
    ],
    ['fp32 → bf16, R = 16', { inFormat: 'fp32', outFormat: 'bf16', stochasticBits: 16 }],
    [
      'fp32 → e5m2, R = 32 (the most), 2 lanes',
      { inFormat: 'fp32', outFormat: 'e5m2', stochasticBits: 32, lanes: 2 },
    ],
    [
      'int32 → fp16, R = 5, every cut',
      { inFormat: 'int', inWidth: 32, outFormat: 'fp16', stochasticBits: 5, latency: INT_SOURCE_CUTS.length },
    ],
    [
      'uint8 → e2m1fn, R = 2, every code',
      { inFormat: 'uint', inWidth: 8, outFormat: 'e2m1fn', stochasticBits: 2 },
    ],
  ];
  for (const [name, params] of cases) it(name, () => expect(planMismatches(params)).toEqual([]));
});

describe('fp_convert with stochastic rounding in Icarus, Verilator and the HLS C++ model', () => {
  it(
    'fp32 → e4m3fn, R = 8, 8 lanes, 4 stages, flags: the default vectors, 0 failures',
    { timeout: 300_000 },
    async () => {
      const target = resolveTarget('fp_convert', {
        inFormat: 'fp32',
        outFormat: 'e4m3fn',
        stochasticBits: 8,
        lanes: 8,
        latency: 4,
        flags: true,
      });
      const pkg = writePackage(target, join(tmpdir(), `bitsmith-fp-convert-sr-${process.pid}`));
      const vectors = fpConvertPlan.vectors(target.params as FpConvertParams, { kind: 'default' }, 1);
      expect(vectors.inputs).toEqual(['a', 'rand_bits']);
      const report = await runConformance({
        ip: target.ip,
        module: target.module,
        params: target.params,
        plan: fpConvertPlan,
        vectors,
        seed: 1,
        rtlFiles: pkg.rtlFiles,
        simulators: simulatorsFor('all'),
        workDir: join(pkg.dir, 'verify'),
      });
      const count = vectors.stimulus.length;
      expect(report.results.map((r) => [r.simulator, r.passed, r.failed])).toEqual([
        ['icarus', count, 0],
        ['verilator', count, 0],
        ['hls', count, 0],
      ]);
    },
  );
});

describe('fp_convert latency', () => {
  it.each([
    { inFormat: 'bf16', outFormat: 'fp16', lanes: 2 },
    { inFormat: 'int', inWidth: 8, outFormat: 'fp16' },
    { inFormat: 'fp16', outFormat: 'int', outWidth: 8 },
  ])('every kind of conversion has as many stages as asked for: %o', (raw) => {
    const most = isInt(raw.inFormat) ? INT_SOURCE_CUTS.length : CONVERT_CUTS.length;
    for (let latency = 0; latency <= most; latency++) {
      const timing = fpConvert.build(parseParams(fpConvert, { ...raw, latency }) as FpConvertParams).timing;
      expect(timing.kind === 'pipelined' ? timing.latency : 0).toBe(latency);
    }
  });
});

describe('fp_convert parameters', () => {
  it('refuses ±Inf on overflow into a format without Inf, naming the parameter', () => {
    expect(() => parseParams(fpConvert, { outFormat: 'e4m3fn', overflow: 'inf' })).toThrow(
      /'overflow' = "inf".*no Inf/,
    );
  });
  it('refuses more stages than a float source has cut points, naming the parameter', () => {
    expect(() => parseParams(fpConvert, { inFormat: 'fp16', latency: CONVERT_CUTS.length + 1 })).toThrow(
      /'latency'.*at most 5 for a float source/,
    );
    expect(() => parseParams(fpConvert, { inFormat: 'int', latency: INT_SOURCE_CUTS.length + 1 })).toThrow(
      /'latency'/,
    );
  });
  it('refuses integer widths outside 1..64', () => {
    expect(() => parseParams(fpConvert, { inFormat: 'int', inWidth: 65 })).toThrow(/'inWidth' = 65.*1 to 64/);
    expect(() => parseParams(fpConvert, { outFormat: 'uint', outWidth: 0 })).toThrow(
      /'outWidth' = 0.*1 to 64/,
    );
  });
  it('refuses lane counts outside 1..64', () => {
    expect(() => parseParams(fpConvert, { lanes: 65 })).toThrow(/'lanes' = 65.*1 to 64/);
    expect(() => parseParams(fpConvert, { lanes: 0 })).toThrow(/'lanes' = 0.*1 to 64/);
  });
  it('refuses stochastic rounding with a rounding mode, flushed subnormals or an integer result, naming the parameter', () => {
    expect(() => parseParams(fpConvert, { stochasticBits: 8, rounding: 'rtz' })).toThrow(
      /'rounding'.*left at its default when stochasticBits is set/,
    );
    expect(() => parseParams(fpConvert, { stochasticBits: 8, outputSubnormals: 'flush' })).toThrow(
      /'outputSubnormals'.*must be keep when stochasticBits is set/,
    );
    expect(() => parseParams(fpConvert, { stochasticBits: 8, outFormat: 'int' })).toThrow(
      /'stochasticBits'.*float results only/,
    );
    expect(() => parseParams(fpConvert, { stochasticBits: 33 })).toThrow(/'stochasticBits' = 33.*1 to 32/);
  });
  it('adds the random bits as an input only with stochastic rounding', () => {
    const ports = (raw: Params) =>
      fpConvert
        .build(parseParams(fpConvert, raw) as FpConvertParams)
        .ports.map((p) => `${p.name}:${p.type.width}`);
    expect(ports({ lanes: 3 })).toEqual(['a:96', 'y:48']);
    expect(ports({ lanes: 3, stochasticBits: 5 })).toEqual(['a:96', 'rand_bits:15', 'y:48']);
  });
  it('refuses a width for a float and an integer-to-integer conversion', () => {
    expect(() => parseParams(fpConvert, { inWidth: 8 })).toThrow(/'inWidth'.*int and uint sources only/);
    expect(() => parseParams(fpConvert, { inFormat: 'int', outFormat: 'uint' })).toThrow(
      /'outFormat'.*float format/,
    );
  });
});
