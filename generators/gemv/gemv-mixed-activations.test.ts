// COMET's mixed 4/8-bit activations in the GEMV core (docs/w4a16.md#mixed-4-and-8-bit-activations):
// 8-bit codes on the x beat, each group int4 or int8 by a flag on its first beat, an int8 group's
// chunks taking two int4 passes (high halves ×16, then low halves). The golden model is the int8 one
// with the int4 groups' low nibbles; the RTL runs the plan's quick jobs (int8 and int4 groups mixed in
// a job, both at their extreme codes, zero and cancelling groups, every scale class) in Icarus,
// Verilator and C-simulation, and fails against a model that leaves the high half unweighted.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gemvGolden, type GemvJob } from '../../testbenches/golden/gemv.ts';
import { withVariant } from '../../testbenches/golden/variant.ts';
import { gemvBench, gemvCases, gemvSpec, gemvUtilization, randomJob } from '../../testbenches/plans/gemv.ts';
import { Random } from '../../testbenches/vectors/random.ts';
import { lintVerilog } from '../../testbenches/sim/lint.ts';
import { runStreamBench } from '../../testbenches/sim/stream-run.ts';
import { emitVerilog } from '../emit/verilog.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { ParameterError, parseParams } from '../generator.ts';
import { gemv, type GemvParams } from './gemv.ts';
import { nibblesModule } from './nibbles.ts';
import { writeRtl as writeModuleRtl } from '../../testbenches/sim/write-rtl.ts';
import { expectQuickJobsPass } from '../../testbenches/sim/fixtures/gemv-quick-jobs.ts';

const params = (raw: Record<string, unknown>) => parseParams(gemv, raw);
const root = join(tmpdir(), `bitsmith-gemv-mixed-${process.pid}`);
const f32 = (v: number) => new Uint32Array(new Float32Array([v]).buffer)[0]!;
const FP16 = { one: 0x3c00, quarter: 0x3400, oneAndHalf: 0x3e00 };
const SMALL = { weight: 'int4', activation: 'int4_int8', rows: 2, lanes: 4, group: 8, maxK: 256, maxN: 16 };

function writeRtl(p: GemvParams): { top: string; files: string[]; dir: string } {
  const module = gemv.build(p);
  const dir = join(root, module.name);
  return { top: module.name, files: writeModuleRtl(module, dir), dir };
}

describe('mixed activations: parameters and ports', () => {
  it.each([
    [{ ...SMALL, group: 4, interleave: 2 }, /interleave.*int4_int8/],
    [{ ...SMALL, group: 4, accumulation: 'aligned' }, /accumulation.*int4_int8 activations are integers/],
    [{ ...SMALL, activation: 'int4_8' }, /activation/],
  ])('%j is refused with the parameter named', (raw, message) => {
    expect(() => params(raw)).toThrow(ParameterError);
    expect(() => params(raw)).toThrow(message);
  });

  it('carries 8-bit codes and the flag (below a group scale) on x, nibbles into an int5 chunk', () => {
    const port = (raw: Record<string, unknown>, name: string) =>
      gemv.build(params(raw)).ports.find((q) => q.name === name)!.type.width;
    expect(port(SMALL, 'x_tdata')).toBe(4 * 8 + 1);
    expect(port({ ...SMALL, activationScale: 'group' }, 'x_tdata')).toBe(4 * 8 + 1 + 16);
    const names = emitVerilog(gemv.build(params(SMALL))).map((f) => f.fileName);
    expect(names).toContain('gemv_chunk_int4_int5_p2_s4.v');
    expect(names).toContain('gemv_nibbles_int4_int8_s4.v');
  });

  it('splits a code into its high half (signed) and low half (unsigned), an int4 code sign-extended', () => {
    const nibbles = nibblesModule(2);
    const lanes = (y: bigint) => [Number(y & 31n), Number(y >> 5n)].map((v) => (v >= 16 ? v - 32 : v));
    const run = (x: number, wide: number, high: number) =>
      lanes(runVectors(nibbles, [[BigInt(x), BigInt(wide), BigInt(high)]])[0]![0]!);
    // Lanes 0x80 (−128) and 0x7f (127).
    expect(run(0x7f80, 1, 1)).toEqual([-8, 7]);
    expect(run(0x7f80, 1, 0)).toEqual([0, 15]);
    // int4 lanes 0xf9 (−7) and 0x17 (7: its high nibble not read).
    expect(run(0x17f9, 0, 1)).toEqual([-7, 7]);
    expect(run(0x17f9, 0, 0)).toEqual([-7, 7]);
  });
});

describe('mixed activations: the golden model', () => {
  const one = (xWide: boolean[], x: number[], tag?: string) => {
    const spec = gemvSpec(params({ ...SMALL, rows: 1, lanes: 1, group: 1, maxK: 64, maxN: 4 }));
    const job: GemvJob = {
      k: x.length,
      n: 1,
      x,
      xWide,
      w: [x.map(() => 8)],
      s: [x.map(() => FP16.quarter)],
      z: [x.map(() => 0)],
      sv: [x.map(() => 0)],
      xs: [FP16.oneAndHalf],
    };
    return (tag ? withVariant({ tag }, () => gemvGolden(spec, job)) : gemvGolden(spec, job))[0];
  };

  it('an int8 group is its codes, an int4 group its low nibbles: code · weight −8 · 0.25 · 1.5', () => {
    expect(one([true], [0x80])).toBe(f32(384));
    expect(one([true], [0x7f])).toBe(f32(-381));
    expect(one([false], [0xf9])).toBe(f32(21));
    expect(one([false], [0x17])).toBe(f32(-21));
    // Groups in turn: −128 (int8), then 7 (int4 from 0x17): 384 − 21.
    expect(one([true, false], [0x80, 0x17])).toBe(f32(363));
  });

  it('the variant that leaves the high half unweighted reads −128 as −8 + 0, 127 as 7 + 15', () => {
    expect(one([true], [0x80], 'gemv.high-half-unshifted')).toBe(f32(24));
    expect(one([true], [0x7f], 'gemv.high-half-unshifted')).toBe(f32(-66));
    expect(one([false], [0xf9], 'gemv.high-half-unshifted')).toBe(f32(21));
  });
});

describe('mixed activations in Icarus, Verilator and C-simulation', () => {
  const configs: Record<string, unknown>[] = [
    // W4 with a per-token scale, groups of two chunks.
    SMALL,
    // AWQ's zero points, per-group scales, groups of one chunk, shifts and adds.
    { ...SMALL, weight: 'uint4', activationScale: 'group', group: 4, multipliers: 'luts' },
    // Three rows on one close unit, groups of four chunks, every kernel pipelined, bf16 out.
    {
      ...SMALL,
      activationScale: 'group',
      activationScaleFormat: 'bf16',
      rows: 3,
      group: 16,
      chunkLatency: 2,
      scaleLatency: 2,
      sumLatency: 2,
      outFormat: 'bf16',
      convertLatency: 1,
    },
  ];
  const simulators = ['icarus', 'verilator', 'hls'] as const;
  it.each(configs)(
    "%j: lint clean, the plan's quick jobs in Icarus, Verilator and C-sim, 0 failures",
    async (raw) => {
      const p = params(raw);
      const { top, files, dir } = writeRtl(p);
      expect((await lintVerilog(files, top)).messages).toEqual([]);
      await expectQuickJobsPass(p, { top, files, dir }, simulators);
    },
  );

  it('the quick plan mixes int8 and int4 groups in one job', () => {
    const cases = gemvCases(params(SMALL), 7, 'quick');
    const mixedJobs = cases.filter(({ job }) => job.xWide?.includes(true) && job.xWide.includes(false));
    expect(mixedJobs.length).toBeGreaterThan(2);
  });

  it('an int4 group takes a cycle per chunk, an int8 group two (stall-free jobs in Icarus)', async () => {
    const p = params({ ...SMALL, maxK: 1024, maxN: 64 });
    const { top, files, dir } = writeRtl(p);
    const rng = new Random(5);
    const cases = [false, true].map((wide) => {
      const job = randomJob(p, rng, { k: 1024, n: 8 * p.rows });
      const narrow = (code: number) => (code & 8 ? 0xf0 : 0) | (code & 15);
      if (!wide) job.x = job.x.map(narrow);
      return { job: { ...job, xWide: job.xWide!.map(() => wide) }, calm: true };
    });
    const r = await runStreamBench(
      'icarus',
      { top, files, ...gemvBench(p, cases), stallPercent: 20, seed: 3 },
      join(dir, 'pace'),
    );
    expect(r.problems).toEqual([]);
    const [int4, int8] = gemvUtilization(p, cases, r.jobCycles);
    expect(int4).toBeGreaterThanOrEqual(0.95);
    expect(int8).toBeGreaterThanOrEqual(0.47);
    expect(int8).toBeLessThanOrEqual(0.5);
  });

  it('the RTL fails against the model whose high half is not weighted by 16', async () => {
    const p = params(SMALL);
    const { top, files, dir } = writeRtl(p);
    const cases = gemvCases(p, 7, 'quick');
    const wrong = withVariant({ tag: 'gemv.high-half-unshifted' }, () => gemvBench(p, cases));
    const r = await runStreamBench(
      'icarus',
      { top, files, ...wrong, stallPercent: 20, seed: 3, maxMismatches: 1000 },
      join(dir, 'unshifted'),
    );
    expect(r.passed).toBeGreaterThan(0);
    expect(r.failed).toBeGreaterThan(0);
  });
});
