// Integer activations in the GEMV core (docs/w4a16.md#integer-activations): W4A4, W4A8 and W8A8 with a
// weight scale per group and an activation scale per token (x_scale, taken with start) or per group (on
// the group's first x beat). The golden model is checked by hand on single products; the RTL runs the
// plan's quick jobs (zero and cancelling groups, the extreme codes, every scale class on both sides) in
// Icarus, Verilator and C-simulation, and fails against a model that drops the activation scale or
// rounds the weight scale's product before applying it.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGemvConformance } from '../../testbenches/gemv-conformance.ts';
import { gemvGolden, type GemvJob } from '../../testbenches/golden/gemv.ts';
import { withVariant } from '../../testbenches/golden/variant.ts';
import { gemvBench, gemvCases, gemvSpec } from '../../testbenches/plans/gemv.ts';
import { runCocotbStreamBench } from '../../testbenches/sim/cocotb-stream-run.ts';
import { lintVerilog } from '../../testbenches/sim/lint.ts';
import { runStreamBench } from '../../testbenches/sim/stream-run.ts';
import { GEMV_WEIGHTS, GEMV_WEIGHT_FORMATS, type GemvWeightName } from '../formats/gemv-weights.ts';
import { ParameterError, parseParams } from '../generator.ts';
import { gemv, type GemvParams } from './gemv.ts';
import { writeRtl as writeModuleRtl } from '../../testbenches/sim/write-rtl.ts';
import { expectQuickJobsPass } from '../../testbenches/sim/fixtures/gemv-quick-jobs.ts';

const params = (raw: Record<string, unknown>) => parseParams(gemv, raw);
const root = join(tmpdir(), `bitsmith-gemv-integer-${process.pid}`);
const f32 = (v: number) => new Uint32Array(new Float32Array([v]).buffer)[0]!;
const FP32_NAN = 0x7fc00000;
const FP16 = { one: 0x3c00, quarter: 0x3400, oneAndHalf: 0x3e00, minusTwo: 0xc000, zero: 0, inf: 0x7c00 };
const FP16_NAN = 0x7e00;

function writeRtl(p: GemvParams): { top: string; files: string[]; dir: string } {
  const module = gemv.build(p);
  const dir = join(root, module.name);
  return { top: module.name, files: writeModuleRtl(module, dir), dir };
}

describe('integer activations: parameters', () => {
  it.each([
    [
      { activation: 'int8', accumulation: 'aligned', group: 8 },
      /accumulation.*int8 activations are integers/,
    ],
    [{ activation: 'fp16', activationScale: 'group' }, /activationScale.*integer activations \(int8, int4\)/],
    [{ activation: 'bf16', activationScaleFormat: 'fp32' }, /activationScaleFormat.*integer activations/],
    [{ activation: 'int8', activationScale: 'row' }, /activationScale/],
    [{ activation: 'int8', activationScaleFormat: 'e4m3fn' }, /activationScaleFormat/],
  ])('%j is refused with the parameter named', (raw, message) => {
    expect(() => params(raw)).toThrow(ParameterError);
    expect(() => params(raw)).toThrow(message);
  });

  it('takes a per-token scale on x_scale, a per-group scale above the codes of the x beat', () => {
    const token = gemv.build(params({ weight: 'int4', activation: 'int8', rows: 2, lanes: 4, group: 8 }));
    const port = (m: typeof token, name: string) => m.ports.find((q) => q.name === name);
    expect(port(token, 'x_scale')!.type.width).toBe(16);
    expect(port(token, 'x_tdata')!.type.width).toBe(32);
    const group = gemv.build(
      params({
        weight: 'int4',
        activation: 'int4',
        activationScale: 'group',
        activationScaleFormat: 'bf16',
        rows: 2,
        lanes: 4,
        group: 8,
      }),
    );
    expect(port(group, 'x_scale')).toBeUndefined();
    expect(port(group, 'x_tdata')!.type.width).toBe(4 * 4 + 16);
    expect(port(group, 'x_tdata')!.doc).toBe(
      "{bf16 scale of the group (read on the group's first beat), 4 int4 activations, element k at lane k mod 4}",
    );
    expect(group.name).toBe('gemv_int4_int4_agbf16_fp16_g8_p2_s4_k4096_n4096_fp32_cu1');
  });
});

describe('integer activations: the golden model', () => {
  const one = (raw: Record<string, unknown>, job: Omit<GemvJob, 'k' | 'n' | 'sv'>) =>
    gemvGolden(gemvSpec(params({ rows: 1, lanes: 1, group: 1, maxK: 64, maxN: 4, ...raw })), {
      k: 1,
      n: 1,
      sv: [[0]],
      ...job,
    })[0];

  it('multiplies the code, the weight and both scales exactly, rounding once', () => {
    // −128 · −8 · 0.25 · 1.5 (int8 activation, int4 weight code 8).
    expect(
      one(
        { weight: 'int4', activation: 'int8' },
        { x: [0x80], w: [[8]], s: [[FP16.quarter]], z: [[0]], xs: [FP16.oneAndHalf] },
      ),
    ).toBe(f32(384));
    // uint4 code 3 under zero point 10, int4 activation 7: (3 − 10) · 7 · 1 · −2.
    expect(
      one(
        { weight: 'uint4', activation: 'int4', activationScale: 'group' },
        { x: [7], w: [[3]], s: [[FP16.one]], z: [[10]], xs: [FP16.minusTwo] },
      ),
    ).toBe(f32(98));
    // int8 weight 127 · int8 activation −1, fp32 activation scale 2^-126 · 1.5 (a product below fp16's range).
    expect(
      one(
        { weight: 'int8', activation: 'int8', activationScaleFormat: 'fp32' },
        { x: [0xff], w: [[127]], s: [[FP16.one]], z: [[0]], xs: [f32(1.5 * 2 ** -126)] },
      ),
    ).toBe(f32(-127 * 1.5 * 2 ** -126));
  });

  it('multiplies the scales as IEEE values: Inf·0 and a NaN scale give NaN, Inf·finite an infinity', () => {
    const job = (s: number, xs: number) => ({ x: [3], w: [[2]], s: [[s]], z: [[0]], xs: [xs] });
    const raw = { weight: 'int4', activation: 'int8' };
    expect(one(raw, job(FP16.inf, FP16.zero))).toBe(FP32_NAN);
    expect(one(raw, job(FP16.zero, FP16.inf))).toBe(FP32_NAN);
    expect(one(raw, job(FP16.one, FP16_NAN))).toBe(FP32_NAN);
    expect(one(raw, job(FP16.inf, FP16.minusTwo))).toBe(0xff800000);
    expect(one(raw, job(FP16.zero, FP16.minusTwo))).toBe(0);
  });
});

describe('integer activations in Icarus, Verilator and C-simulation', () => {
  const configs: Record<string, unknown>[] = [
    // W4A8, per-token scale.
    { weight: 'int4', activation: 'int8', rows: 2, lanes: 4, group: 8, maxK: 256, maxN: 16 },
    // W4A8 with AWQ's zero points, per-group scale; shifts and adds (the negation of −128).
    {
      weight: 'uint4',
      activation: 'int8',
      activationScale: 'group',
      rows: 2,
      lanes: 4,
      group: 8,
      maxK: 256,
      maxN: 16,
      multipliers: 'luts',
    },
    // W4A4, a bf16 token scale, three rows (a close unit serving them in turn).
    {
      weight: 'uint4',
      activation: 'int4',
      activationScaleFormat: 'bf16',
      rows: 3,
      lanes: 4,
      group: 16,
      maxK: 256,
      maxN: 16,
    },
    // W4A4, fp32 group scales, interleaved blocks (groups of one chunk).
    {
      weight: 'int4',
      activation: 'int4',
      activationScale: 'group',
      activationScaleFormat: 'fp32',
      rows: 2,
      lanes: 4,
      group: 4,
      maxK: 256,
      maxN: 16,
      interleave: 2,
    },
    // W8A8, per-token and per-group, the group's one pipelined through every kernel.
    { weight: 'int8', activation: 'int8', rows: 2, lanes: 4, group: 16, maxK: 256, maxN: 16 },
    {
      weight: 'int8',
      activation: 'int8',
      activationScale: 'group',
      rows: 4,
      lanes: 4,
      group: 8,
      maxK: 256,
      maxN: 16,
      chunkLatency: 2,
      scaleLatency: 3,
      sumLatency: 2,
      outFormat: 'bf16',
      convertLatency: 1,
    },
  ];
  // Every simulator for the first, the fourth and the last; Icarus and C-simulation for the others.
  const all = ['icarus', 'verilator', 'hls'] as const;
  configs.forEach((raw, i) => {
    const simulators = [0, 3, configs.length - 1].includes(i) ? [...all] : (['icarus', 'hls'] as const);
    it(`${JSON.stringify(raw)}: lint clean, the plan's quick jobs in ${simulators.join(', ')}, 0 failures`, async () => {
      const p = params(raw);
      const { top, files, dir } = writeRtl(p);
      expect((await lintVerilog(files, top)).messages).toEqual([]);
      await expectQuickJobsPass(p, { top, files, dir }, simulators);
    });
  });

  /** A small int8-activation core of each weight (block formats keep their group). */
  const smallCore = (weight: GemvWeightName) =>
    params({
      weight,
      activation: 'int8',
      rows: 2,
      lanes: 4,
      maxK: 256,
      maxN: 16,
      ...(GEMV_WEIGHT_FORMATS[weight].block ? {} : { group: 8 }),
    });

  it.each(GEMV_WEIGHTS)('%s weights with int8 activations: lint clean', async (weight) => {
    const { top, files } = writeRtl(smallCore(weight));
    expect((await lintVerilog(files, top)).messages).toEqual([]);
  });

  // In Icarus, one weight of each kind the chunk decodes differently: a selected value, bit planes,
  // block scales (E8M0, E4M3), a float32 codebook.
  it.each(['razer', 'e3m2fn', 'mxfp4', 'nvfp4', 'sf4'] as const)(
    '%s weights with int8 activations: the quick jobs in Icarus, 0 failures',
    async (weight) => {
      const p = smallCore(weight);
      await expectQuickJobsPass(p, writeRtl(p), ['icarus'], 5);
    },
  );

  it("keeps the float cores' pace: ≥ 95% utilization without stalls, per-group scales on the x beats", async () => {
    const p = params({
      weight: 'uint4',
      activation: 'int8',
      activationScale: 'group',
      rows: 2,
      lanes: 4,
      group: 8,
      maxK: 1024,
      maxN: 64,
    });
    const { top, files, dir } = writeRtl(p);
    const report = await runGemvConformance({
      ip: top,
      module: gemv.build(p),
      params: p,
      rtlFiles: files,
      simulators: ['icarus'],
      workDir: join(dir, 'default'),
      seed: 11,
    });
    expect(report.results[0]!.mismatches).toEqual([]);
    expect(report.results[0]!.passed).toBe(report.vectors);
    expect(report.utilization[0]!.length).toBeGreaterThan(0);
    for (const value of report.utilization[0]!) expect(value).toBeGreaterThanOrEqual(0.95);
  });

  it('drives x_scale in the cocotb bench too (bitsmith verify --sim cocotb-icarus)', async () => {
    const p = params({
      weight: 'int4',
      activation: 'int8',
      rows: 2,
      lanes: 4,
      group: 8,
      maxK: 256,
      maxN: 16,
    });
    const { top, files, dir } = writeRtl(p);
    const cases = gemvCases(p, 7, 'quick');
    const run = (bench: ReturnType<typeof gemvBench>, name: string) =>
      runCocotbStreamBench(
        'cocotb-icarus',
        top,
        { top, files, ...bench, stallPercent: 20, seed: 3, maxMismatches: 1000 },
        join(dir, name),
      );
    const right = await run(gemvBench(p, cases), 'cocotb');
    expect(right.problems).toEqual([]);
    expect(right.passed).toBe(gemvBench(p, cases).y.length + cases.length);
    const wrong = await run(
      withVariant({ tag: 'gemv.activation-scale-dropped' }, () => gemvBench(p, cases)),
      'cocotb-dropped',
    );
    expect(wrong.failed).toBeGreaterThan(0);
  });

  it.each([
    [
      { weight: 'int4', activation: 'int8', rows: 2, lanes: 4, group: 8, maxK: 256, maxN: 16 },
      'gemv.activation-scale-dropped',
    ],
    [
      {
        weight: 'uint4',
        activation: 'int4',
        activationScale: 'group',
        rows: 2,
        lanes: 4,
        group: 8,
        maxK: 256,
        maxN: 16,
      },
      'gemv.activation-scale-dropped',
    ],
    [
      {
        weight: 'int4',
        activation: 'int8',
        scale: 'fp32',
        activationScale: 'group',
        rows: 2,
        lanes: 4,
        group: 8,
        maxK: 256,
        maxN: 16,
      },
      'gemv.activation-scale-rounded',
    ],
  ])('%j: the RTL fails against the model variant %s', async (raw, tag) => {
    const p = params(raw);
    const { top, files, dir } = writeRtl(p);
    const cases = gemvCases(p, 7, 'quick');
    const wrong = withVariant({ tag }, () => gemvBench(p, cases));
    const r = await runStreamBench(
      'icarus',
      { top, files, ...wrong, stallPercent: 20, seed: 3, maxMismatches: 1000 },
      join(dir, tag),
    );
    // The simulation ran (most checks pass: the jobs' statuses, zero and NaN results) and missed some.
    expect(r.passed).toBeGreaterThan(0);
    expect(r.failed).toBeGreaterThan(0);
  });
});
