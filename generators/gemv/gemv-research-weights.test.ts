// The research weight formats of the GEMV core: SF4, E2M1 with a supernormal value, BitMoD's mixed FP4
// (a data type per group), APoT4, and the 6-bit INT6 and FP6 weights in FP6-LLM's bit planes. The
// golden model is checked against the published values by hand; the RTL in Icarus on a
// job that uses every code (under every BitMoD type), a group of zero weights and a group that cancels,
// and the HLS C++ of each new path (selector, bit planes, codebook) in the plan's quick jobs.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode } from '../formats/index.ts';
import { toNumber } from '../formats/value-number.ts';
import { GEMV_WEIGHT_FORMATS, type GemvWeightName } from '../formats/gemv-weights.ts';
import { gemvGolden, type GemvJob } from '../../testbenches/golden/gemv.ts';
import { gemvBench, gemvSpec, weightBeat } from '../../testbenches/plans/gemv.ts';
import { lintVerilog } from '../../testbenches/sim/lint.ts';
import { runStreamBench } from '../../testbenches/sim/stream-run.ts';
import { Random } from '../../testbenches/vectors/random.ts';
import { ParameterError, parseParams } from '../generator.ts';
import { gemv, type GemvParams } from './gemv.ts';
import { writeRtl as writeModuleRtl } from '../../testbenches/sim/write-rtl.ts';
import { expectQuickJobsPass } from '../../testbenches/sim/fixtures/gemv-quick-jobs.ts';

const params = (raw: Record<string, unknown>) => parseParams(gemv, raw);
const root = join(tmpdir(), `bitsmith-gemv-research-${process.pid}`);
const f32 = (v: number) => new Uint32Array(new Float32Array([v]).buffer)[0]!;
const FP16_ONE = 0x3c00;

function writeRtl(p: GemvParams): { top: string; files: string[]; dir: string } {
  const module = gemv.build(p);
  const dir = join(root, module.name);
  return { top: module.name, files: writeModuleRtl(module, dir), dir };
}

/**
 * The published values of each code, written out here (not read from the presets): SF4_5, FP4_RANGE,
 * FP4_PREC2 and APOT4 of cornell-zhang/llm-datatypes (weight_only.py; APoT4 in the repository's
 * sign-magnitude bit encoding), BitMoD's er_pos/er_neg/ea_pos/ea_neg (quant_weight.py, E2M1 × 2, the
 * extra value on the −0 code 0x8), two's complement INT6, and OCP FP6 (S EEE MM bias 3, S EE MMM bias 1).
 */
const E2M1 = [0, 0.5, 1, 1.5, 2, 3, 4, 6];
const withNegativeZero = (magnitudes: number[], special: number) => [
  ...magnitudes,
  special,
  ...magnitudes.slice(1).map((m) => -m),
];
const fp6 = (expBits: number, bias: number) =>
  Array.from({ length: 64 }, (_, code) => {
    const mantBits = 5 - expBits;
    const e = (code >> mantBits) & ((1 << expBits) - 1);
    const m = code & ((1 << mantBits) - 1);
    const magnitude = e === 0 ? m * 2 ** (1 - bias - mantBits) : (1 + m / 2 ** mantBits) * 2 ** (e - bias);
    return code & 32 ? -magnitude : magnitude;
  });
const PUBLISHED: Record<string, number[][]> = {
  sf4: [
    [
      -1.0, -0.627781, -0.454736, -0.334331, -0.237434, -0.152899, -0.074982, 0.0, 0.065513, 0.132965,
      0.204661, 0.283835, 0.375805, 0.491076, 0.656781, 1.0,
    ].map(Math.fround),
  ],
  fp4_range: [withNegativeZero(E2M1, 8)],
  fp4_prec2: [withNegativeZero(E2M1, 5)],
  bitmod: [10, -10, 16, -16].map((special) =>
    withNegativeZero(
      E2M1.map((m) => 2 * m),
      special,
    ),
  ),
  apot4: [withNegativeZero([0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0].map(Math.fround), -0)],
  int6: [Array.from({ length: 64 }, (_, code) => (code < 32 ? code : code - 64))],
  e3m2fn: [fp6(3, 3)],
  e2m3fn: [fp6(2, 1)],
};

const WEIGHTS = Object.keys(PUBLISHED) as GemvWeightName[];

describe('research weight formats: the golden model reads the published values', () => {
  it.each(WEIGHTS)('%s: each code of each group type, times an activation and a scale', (weight) => {
    const p = params({ weight, rows: 1, lanes: 1, group: 1, maxK: 64, maxN: 4 });
    // One element per group, so that each group's value a·w·s enters the fp32 sum alone: y = a·w·s
    // rounded once, in double precision exactly (24 + 11 + 11 bits).
    const a = 0x3e00; // fp16 1.5
    const s = 0x3400; // fp16 0.25
    PUBLISHED[weight]!.forEach((values, type) =>
      values.forEach((value, code) => {
        const job: GemvJob = { k: 1, n: 1, x: [a], w: [[code]], s: [[s]], z: [[0]], sv: [[type]] };
        expect([weight, type, code, gemvGolden(gemvSpec(p), job)[0]]).toEqual([
          weight,
          type,
          code,
          // The row's fp32 sum starts at +0, and +0 + −0 is +0.
          f32(value * 1.5 * 0.25 + 0),
        ]);
      }),
    );
  });

  it('the presets hold the published values (the generator and the golden model both read them)', () => {
    for (const weight of WEIGHTS) {
      const formats = GEMV_WEIGHT_FORMATS[weight].formats([]);
      expect(
        formats.map((f) =>
          Array.from({ length: 2 ** GEMV_WEIGHT_FORMATS[weight].bits }, (_, c) => toNumber(decode(f, c))),
        ),
      ).toEqual(PUBLISHED[weight]);
    }
  });
});

describe('research weight formats: parameters', () => {
  it.each([
    [
      { weight: 'bitmod', specialValues: [1, 2, 3, 4] },
      /specialValues.*only razer weights take special values; bitmod has none/,
    ],
    [{ weight: 'sf4', specialValues: [1, 2, 3, 4] }, /specialValues.*only razer.*sf4 has none/],
    [{ weight: 'int6', packing: 'awq' }, /packing.*4-bit/],
    [{ weight: 'e3m2fn', rows: 16, lanes: 64 }, /lanes.*6-bit e3m2fn codes make a 6144-bit weight beat/],
  ])('%j is refused with the parameter named', (raw, message) => {
    expect(() => params(raw)).toThrow(ParameterError);
    expect(() => params(raw)).toThrow(message);
  });

  it("carries BitMoD's data type as a 2-bit dtype in the scale beat, and 6-bit codes in two planes", () => {
    const bitmod = gemv.build(params({ weight: 'bitmod', rows: 2, lanes: 4, group: 8, maxK: 64, maxN: 4 }));
    expect(bitmod.ports.find((q) => q.name === 's_tdata')!.type.width).toBe(2 * (16 + 2));
    expect(bitmod.ports.find((q) => q.name === 's_tdata')!.doc).toBe('2 rows of {dtype, fp16 scale}');
    const chunk = bitmod.instances.find((i) => i.module.name.startsWith('gemv_chunk_'))!.module;
    expect(chunk.ports.find((q) => q.name === 'dtype')!.type.width).toBe(4);
    const int6 = gemv.build(params({ weight: 'int6', rows: 2, lanes: 4, group: 8, maxK: 64, maxN: 4 }));
    const w = int6.ports.find((q) => q.name === 'w_tdata')!;
    expect(w.type.width).toBe(48);
    expect(w.doc).toBe(
      '2 rows × 4 int6 codes in bit planes, code (row r, lane i) at index r·4 + i of each: [15:0] bits 5:4 of each code, 2 bits per code; [47:16] bits 3:0 of each code, 4 bits per code',
    );
  });

  it("packs 6-bit codes as FP6-LLM's planes: bits 5:4 of every code, then bits 3:0", () => {
    // Codes 0b10_0111 at index 0 and 0b01_1100 at index 1 of 2: plane 1 = 0b01_10, plane 2 = 0xC7.
    const beat = weightBeat(GEMV_WEIGHT_FORMATS.e2m3fn, 2, [
      { index: 0, code: 0b100111 },
      { index: 1, code: 0b011100 },
    ]);
    expect(beat).toBe((0xc7n << 4n) | 0b0110n);
  });
});

/**
 * A job that uses every code of the format in each row (rows r and up take the codes rotated by r, and
 * a BitMoD row's groups all have type r mod 4, so that rows 0..3 meet every code of every type), then a
 * group of zero weights and a group whose products cancel (±v under equal activations); its last row
 * holds only zero and cancelling groups, so its y is +0.
 */
function everyCodeJob(p: GemvParams, weight: GemvWeightName, rng: Random): GemvJob {
  const { bits } = GEMV_WEIGHT_FORMATS[weight];
  const codes = 2 ** bits;
  const group = p.group!;
  const codeGroups = Math.ceil(codes / group);
  const k = (codeGroups + 2) * group;
  const n = 5;
  const types = PUBLISHED[weight]!;
  const zeroCode = types[0]!.findIndex((v) => v === 0 && !Object.is(v, -0));
  const x = Array.from({ length: k }, () => (rng.below(2) << 15) | (0x3800 + rng.below(0x800)));
  const w = Array.from({ length: n }, (_, row) => {
    const values = types[row % types.length]!;
    /** A code of value −v for code c (a pair that cancels), or c with a zero when v has no negative. */
    const cancelling = (c: number) => {
      const negative = values.findIndex((v) => v === -values[c]!);
      return negative < 0 || values[c] === 0 ? [zeroCode, zeroCode] : [c, negative];
    };
    const line: number[] = [];
    for (let i = 0; i < codeGroups * group; i++) {
      const code = (i + row) % codes;
      if (row < n - 1) line.push(code);
      else line.push(...(i % 2 === 0 ? cancelling(code) : []));
    }
    line.push(...Array<number>(group).fill(zeroCode));
    for (let i = 0; i < group; i += 2) line.push(...cancelling(1 + ((i / 2 + row) % (codes - 1))));
    return line;
  });
  // Equal activations under each cancelling pair: the last row's pairs everywhere, every row's last group.
  for (let i = 0; i < k; i += 2) {
    const lastRowPair = i < codeGroups * group;
    if (lastRowPair || i >= (codeGroups + 1) * group) x[i + 1] = x[i]!;
  }
  const groups = codeGroups + 2;
  return {
    k,
    n,
    x,
    w,
    s: Array.from({ length: n }, (_, row) =>
      Array.from({ length: groups }, (_, g) => ((row + g) % 2 === 0 ? FP16_ONE : 0x4000)),
    ),
    z: Array.from({ length: n }, () => Array<number>(groups).fill(0)),
    sv: Array.from({ length: n }, (_, row) => Array<number>(groups).fill(row % 4)),
  };
}

describe('research weight formats in Icarus and C-simulation: every code, a zero group, a cancelling group', () => {
  const configs: Record<string, unknown>[] = [
    { weight: 'sf4', rows: 2, lanes: 4, group: 8, maxK: 256, maxN: 16 },
    { weight: 'fp4_range', rows: 2, lanes: 4, group: 8, maxK: 256, maxN: 16 },
    { weight: 'fp4_prec2', rows: 2, lanes: 4, group: 8, maxK: 256, maxN: 16 },
    { weight: 'bitmod', rows: 3, lanes: 4, group: 8, maxK: 256, maxN: 16 },
    { weight: 'apot4', rows: 2, lanes: 4, group: 8, maxK: 256, maxN: 16 },
    { weight: 'int6', rows: 2, lanes: 4, group: 16, maxK: 256, maxN: 16 },
    { weight: 'e3m2fn', rows: 2, lanes: 4, group: 16, maxK: 256, maxN: 16 },
    { weight: 'e2m3fn', rows: 2, lanes: 8, group: 16, maxK: 256, maxN: 16, multipliers: 'luts' },
  ];
  for (const raw of configs) {
    it(`${JSON.stringify(raw)}: lint clean, 0 failures`, async () => {
      const p = params(raw);
      const weight = p.weight as GemvWeightName;
      const { top, files, dir } = writeRtl(p);
      const lint = await lintVerilog(files, top);
      expect(lint.messages).toEqual([]);
      const job = everyCodeJob(p, weight, new Random(5));
      // Every code is in the job, under every group type.
      const used = new Set(job.w.slice(0, -1).flatMap((line, row) => line.map((c) => `${row % 4}:${c}`)));
      const types = GEMV_WEIGHT_FORMATS[weight].selector ? 4 : 1;
      for (let t = 0; t < types; t++)
        for (let c = 0; c < 2 ** GEMV_WEIGHT_FORMATS[weight].bits; c++)
          expect(types === 1 ? [...used].some((u) => u.endsWith(`:${c}`)) : used.has(`${t}:${c}`)).toBe(true);
      const golden = gemvGolden(gemvSpec(p), job);
      // The zero and cancelling groups add nothing: the last row is +0, the others are not.
      expect(golden.at(-1)).toBe(0);
      expect(golden.slice(0, -1).every((y) => y !== 0)).toBe(true);
      const bench = {
        top,
        files,
        ...gemvBench(p, [{ job }, { job: everyCodeJob(p, weight, new Random(6)) }]),
        stallPercent: 20,
        seed: 9,
      };
      // Icarus here; gemv.test.ts runs the same core in Verilator.
      const r = await runStreamBench('icarus', bench, join(dir, 'icarus'));
      expect(r.problems).toEqual([]);
      expect(r.passed).toBe(bench.y.length + bench.jobs.length);
    });
  }
  // The HLS C++ of each new weight path: a selector (bitmod), bit planes (e3m2fn), a float32 codebook (sf4).
  for (const raw of configs.filter((c) => ['bitmod', 'e3m2fn', 'sf4'].includes(c.weight as string))) {
    it(`${JSON.stringify(raw)}: the plan's quick jobs in C-simulation, 0 failures`, async () => {
      const p = params(raw);
      await expectQuickJobsPass(p, writeRtl(p), ['hls']);
    });
  }
});
