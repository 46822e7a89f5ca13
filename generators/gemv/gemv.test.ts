import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gemvGolden } from '../../testbenches/golden/gemv.ts';
import { gemvBench, gemvCases, gemvSpec, randomJob } from '../../testbenches/plans/gemv.ts';
import { lintVerilog } from '../../testbenches/sim/lint.ts';
import { runStreamBench } from '../../testbenches/sim/stream-run.ts';
import { Random } from '../../testbenches/vectors/random.ts';
import { emitVerilog } from '../emit/verilog.ts';
import { ParameterError, parseParams } from '../generator.ts';
import { gemv, type GemvParams } from './gemv.ts';
import { writeRtl as writeModuleRtl } from '../../testbenches/sim/write-rtl.ts';
import { expectQuickJobsPass } from '../../testbenches/sim/fixtures/gemv-quick-jobs.ts';

const params = (raw: Record<string, unknown>) => parseParams(gemv, raw);
const root = join(tmpdir(), `bitsmith-gemv-${process.pid}`);

function writeRtl(p: GemvParams): { top: string; files: string[]; dir: string } {
  const module = gemv.build(p);
  const dir = join(root, module.name);
  return { top: module.name, files: writeModuleRtl(module, dir), dir };
}

/** Stall-free jobs of the given K × N in Icarus (every y checked), with their cycle counts. */
async function calmJobs(p: GemvParams, sizes: readonly (readonly [number, number])[]) {
  const { top, files, dir } = writeRtl(p);
  const rng = new Random(2);
  const cases = sizes.map(([k, n]) => ({ job: randomJob(p, rng, { k, n }), calm: true }));
  const r = await runStreamBench(
    'icarus',
    { top, files, ...gemvBench(p, cases), stallPercent: 20, seed: 3 },
    dir,
  );
  expect(r.problems).toEqual([]);
  return r;
}

describe('gemv parameters', () => {
  it.each([
    [{ activation: 'bf16', accumulation: 'exact' }, /accumulation.*270-bit/],
    [{ activation: 'bf16' }, /accumulation.*group = lanes/],
    [{ activation: 'bf16', group: 8, alignBits: 6 }, /alignBits.*at least 8/],
    [{ lanes: 6 }, /lanes.*power of two/],
    [{ lanes: 16, group: 40 }, /group.*multiple of lanes/],
    [{ weight: 'mxfp4', group: 64 }, /group.*mxfp4 blocks hold 32/],
    [{ weight: 'nvfp4', scale: 'fp16' }, /scale.*e4m3fn/],
    [{ weight: 'e4m3fn', packing: 'awq' }, /packing.*4-bit/],
    [{ weight: 'int4', specialValues: [1, 2, 3, 4] }, /specialValues.*only razer/],
    [{ weight: 'razer', specialValues: [1.25, 2, 3, 4] }, /specialValues.*multiples of 0.5/],
    [{ rows: 8, maxN: 4 }, /rows.*at most maxN/],
    [{ rows: 8, group: 16, closeUnits: 3 }, /closeUnits.*from 4/],
    [
      { weight: 'int4', interleave: 2 },
      /interleave.*groups are one chunk \(group = lanes = 8\); with 16 chunks/,
    ],
  ])('%j is refused with the parameter named', (raw, message) => {
    expect(() => params(raw)).toThrow(ParameterError);
    expect(() => params(raw)).toThrow(message);
  });

  it('derives module names from the parameters, and the same parameters give the same Verilog', () => {
    const a = emitVerilog(gemv.build(params({ weight: 'razer', specialValues: [2.5, 8, -5, -8] })));
    const b = emitVerilog(gemv.build(params({ weight: 'razer', specialValues: [2.5, 8, -5, -8] })));
    expect(a.map((f) => f.text)).toEqual(b.map((f) => f.text));
    expect(a.at(-1)!.moduleName).toBe('gemv_razer_sv2p5_8_m5_m8_fp16_fp16_g128_p4_s8_k4096_n4096_fp32_cu1');
    // The core is its blocks, each a module of its own, named after the core.
    const top = a.at(-1)!.moduleName;
    const blocks = ['control', 'issue', 'accumulate', 'close', 'out_buffer'];
    expect(a.map((f) => f.moduleName)).toEqual(expect.arrayContaining(blocks.map((b) => `${top}_${b}`)));
    expect(a.at(-1)!.text).toMatch(/\.fire\(fire\)/);
    expect(a.at(-1)!.text).toMatch(/wire +fire = issue_fire;/);
    // The activation buffer is a memory with a registered read: the shape Yosys maps to block RAM.
    const issue = a.find((f) => f.moduleName === `${top}_issue`)!.text;
    expect(issue).toMatch(/reg +\[127:0\] +x_buffer \[0:511\];/);
    expect(issue).toMatch(/x_buffer_s1 <= x_buffer\[x_address\];/);
    // The controller is a state machine with named states.
    const control = a.find((f) => f.moduleName === `${top}_control`)!.text;
    expect(control).toMatch(/localparam \[1:0\] +STATE_IDLE = 2'd0;/);
    expect(control).toMatch(/state_is_run = state == STATE_RUN;/);
  });
});

describe('gemv golden model', () => {
  it('aligns a group on its largest exponent and truncates toward zero', () => {
    const p = params({
      weight: 'int4',
      activation: 'bf16',
      group: 2,
      lanes: 2,
      alignBits: 8,
      maxK: 64,
      maxN: 8,
    });
    // bf16: 1.0 = 0x3F80, 2^-8·1.5 = 0x3BC0, −2^-8·1.5 = 0xBBC0. Grid of 1.0 with 8 bits: 2^-7.
    const job = (x: number[]) => ({ k: 2, n: 1, x, w: [[1, 1]], s: [[0x3c00]], z: [[0]], sv: [[0]] });
    const f32 = (v: number) => new Uint32Array(new Float32Array([v]).buffer)[0];
    // 1 + 1.5·2^-8 → 1 + 2^-8 truncated to the 2^-7 grid → 1; exact accumulation keeps it.
    expect(gemvGolden(gemvSpec(p), job([0x3f80, 0x3bc0]))).toEqual([f32(1)]);
    expect(gemvGolden({ ...gemvSpec(p), accumulation: 'exact' }, job([0x3f80, 0x3bc0]))).toEqual([
      f32(1 + 1.5 / 256),
    ]);
    // Toward zero: −1.5·2^-8 becomes 0, not −2^-7.
    expect(gemvGolden(gemvSpec(p), job([0x3f80, 0xbbc0]))).toEqual([f32(1)]);
  });

  it('computes y = W·x with the group scale and the zero point (docs/w4a16.md#zero-point) on a hand example', () => {
    const p = params({ weight: 'uint4', group: 8, lanes: 8, maxK: 64, maxN: 8 });
    // fp16: 1.0 = 0x3C00, 2.0 = 0x4000, 0.5 = 0x3800; x = [1, 2, 0.5, 1, …]
    const x = [0x3c00, 0x4000, 0x3800, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x4000];
    const w = [[3, 1, 4, 1, 5, 9, 2, 6, 5]];
    // Group 0: s = 0.5, z = 2: Σ (q − 2)·x over 8 elements; group 1: s = 2 (0x4000), z = 1.
    const job = { k: 9, n: 1, x, w, s: [[0x3800, 0x4000]], z: [[2, 1]], sv: [[0, 0]] };
    const g0 =
      0.5 * ((3 - 2) * 1 + (1 - 2) * 2 + (4 - 2) * 0.5 + (1 - 2) + (5 - 2) + (9 - 2) + (2 - 2) + (6 - 2));
    const g1 = 2 * ((5 - 1) * 2);
    const [y] = gemvGolden(gemvSpec(p), job);
    expect(y).toBe(new Uint32Array(new Float32Array([g0 + g1]).buffer)[0]);
  });
});

describe('gemv RTL in Icarus and Verilator, and its loop-level HLS C++ in C-simulation', () => {
  const configs: Record<string, unknown>[] = [
    { weight: 'uint4', maxK: 1024, maxN: 64, outFormat: 'fp16' },
    { weight: 'razer', specialValues: [2.5, 8, -5, -63.5], maxK: 1024, maxN: 64, packing: 'awq' },
    { weight: 'nvfp4', lanes: 16, rows: 3, maxK: 1024, maxN: 64, outFormat: 'bf16', rounding: 'rtz' },
    { weight: 'mxfp4', lanes: 32, rows: 2, maxK: 1024, maxN: 64 },
    { weight: 'mxfp4', activation: 'bf16', lanes: 32, rows: 2, maxK: 1024, maxN: 64 },
    { weight: 'uint4', activation: 'bf16', alignBits: 9, group: 4, lanes: 4, rows: 3, maxK: 1024, maxN: 64 },
    { weight: 'e2m1fn', accumulation: 'aligned', alignBits: 12, group: 8, maxK: 1024, maxN: 64 },
    { weight: 'e4m3fn', activation: 'e4m3fn', scale: 'bf16', group: 32, lanes: 4, maxK: 1024, maxN: 64 },
    { weight: 'nf4', rows: 1, lanes: 1, group: 16, maxK: 1024, maxN: 16 },
    // Close units shared by rows: 5 rows on 3 units (2 chunks per group), 7 rows on 3 units.
    { weight: 'razer', rows: 5, group: 16, maxK: 1024, maxN: 64 },
    { weight: 'e2m1fn', rows: 7, group: 32, closeUnits: 3, maxK: 1024, maxN: 64 },
    // Every cut point: the products split after their first adders, the zero point's term split, the
    // row sum's alignment shift and leading-zero count split, and the aligned block's largest exponent
    // tree cut after every level and each lane's distance to it, and (MXFP4) the adder trees cut twice.
    {
      weight: 'uint4',
      multipliers: 'luts',
      chunkLatency: 14,
      scaleLatency: 6,
      sumLatency: 14,
      maxK: 1024,
      maxN: 64,
    },
    {
      weight: 'mxfp4',
      activation: 'bf16',
      lanes: 32,
      rows: 2,
      multipliers: 'luts',
      interleave: 4,
      chunkLatency: 15,
      scaleLatency: 6,
      maxK: 1024,
      maxN: 64,
    },
  ];
  for (const raw of configs) {
    it(`${JSON.stringify(raw)}: lint clean, 0 failures, ≥ 95% utilization without stalls`, async () => {
      const p = params(raw);
      const { top, files, dir } = writeRtl(p);
      const lint = await lintVerilog(files, top);
      expect(lint.messages).toEqual([]);
      const simulators =
        raw === configs[0] ? (['icarus', 'verilator', 'hls'] as const) : (['icarus', 'hls'] as const);
      const report = await expectQuickJobsPass(p, { top, files, dir }, simulators);
      for (const u of report.utilization) for (const value of u) expect(value).toBeGreaterThanOrEqual(0.95);
    });
  }

  it('reports a wrong y element, a wrong status and a stream left untaken', async () => {
    const p = params({ weight: 'int4', maxK: 256, maxN: 16, lanes: 4, rows: 2, group: 16 });
    const { top, files, dir } = writeRtl(p);
    const rng = new Random(3);
    const bench = {
      top,
      files,
      ...gemvBench(p, [
        { job: randomJob(p, rng, { k: 40, n: 3 }) },
        { job: randomJob(p, rng, { k: 0, n: 3 }), fault: { kind: 'bad-k' } },
      ]),
      stallPercent: 30,
      seed: 1,
    };
    bench.y[1] = { ...bench.y[1]!, data: bench.y[1]!.data ^ 1n };
    bench.jobs[1] = { ...bench.jobs[1]!, status: 8 | 2 };
    bench.streams[0]!.beats.push({ data: 0n, last: true });
    const r = await runStreamBench('icarus', bench, join(dir, 'broken'));
    expect(r.failed).toBe(3);
    expect(r.problems.some((l) => l.startsWith('MISMATCH vector=1 port=y'))).toBe(true);
    expect(r.problems.some((l) => l.startsWith('STATUS job=1 expected=10 actual=9'))).toBe(true);
    expect(r.problems.some((l) => l.startsWith('MISSING stream=x'))).toBe(true);
  });

  it('plans every kind of job: sizes across the range, specials, rejected sizes, tlast faults, calm jobs', () => {
    const p = params({});
    const cases = gemvCases(p, 1);
    expect(Math.min(...cases.map((c) => c.job.k))).toBe(0);
    expect(Math.max(...cases.map((c) => c.job.k))).toBe(4097);
    expect(cases.some((c) => c.job.n === 256 && c.fault === undefined)).toBe(true);
    expect(Math.max(...cases.map((c) => c.job.n))).toBe(4097);
    // Every stream's early and missing tlast in a later block, w and s in the first block and in a
    // single-block job, two double faults, and a fault with x sent first.
    expect(cases.filter((c) => c.fault !== undefined && 'stream' in c.fault)).toHaveLength(13);
    expect(
      cases.filter((c) => c.fault !== undefined && 'stream' in c.fault && c.job.n <= p.rows),
    ).toHaveLength(2);
    expect(cases.filter((c) => c.calm).every((c) => c.job.k >= 1024)).toBe(true);
    expect(cases.some((c) => c.order === 'lead-first' && c.job.n > p.rows)).toBe(true);
    expect(cases.some((c) => c.order === 'lead-late')).toBe(true);
  });

  it.each([
    // R = 2 close steps per group: the fp32 sum's loop spans two cycles (sumLatency 1), D = 2.
    [{ weight: 'int4', maxK: 256, maxN: 16, lanes: 4, rows: 2, group: 16 }, 2, 2],
    // R = 1 (one close unit per row, a group per chunk): a one-cycle loop, D = 1.
    [{ weight: 'mxfp4', maxK: 1024, maxN: 64, lanes: 32, rows: 2 }, 1, 1],
    // Every kernel pipelined: chunk 3, scale 4 (+1), sum 6, conversion (+1) 3: D = 18; a unit starts a
    // close every T = max(R, 7) = 7 cycles, within a group's 8 chunks (a short last group of g < T
    // chunks waits T − g cycles).
    [
      {
        weight: 'uint4',
        maxK: 256,
        maxN: 16,
        lanes: 4,
        rows: 3,
        group: 32,
        outFormat: 'fp16',
        chunkLatency: 3,
        scaleLatency: 4,
        sumLatency: 6,
        convertLatency: 3,
      },
      3,
      18,
    ],
  ])(
    '%j without stalls: ⌈N/P⌉·(⌈K/S⌉ + w) + r + R + D + 3 cycles, first y after ⌈K/S⌉ + w + R + D + 3',
    async (raw, R, D) => {
      // The README's timing: the issue of every chunk, the pipeline (D: the kernels' stages and the
      // registers between them), the close steps, the last block's r beats.
      const p = params(raw);
      const sizes = [
        [256, 16],
        [200, 5],
      ] as const;
      const r = await calmJobs(p, sizes);
      const groupChunks = (p.group ?? p.lanes) / p.lanes;
      const T = Math.max(R, (p.sumLatency ?? (R >= 2 ? 1 : 0)) + 1);
      sizes.forEach(([k, n], i) => {
        const chunks = Math.ceil(k / p.lanes);
        const last = n - p.rows * (Math.ceil(n / p.rows) - 1);
        // w: a block's short last group waits until its rows' sums of the group before have come back.
        const short = chunks > groupChunks ? chunks % groupChunks : 0;
        const w = short === 0 ? 0 : Math.max(0, T - short);
        expect([r.jobCycles[i], r.firstCycles[i]]).toEqual([
          Math.ceil(n / p.rows) * (chunks + w) + last + R + D + 3,
          chunks + w + R + D + 3,
        ]);
      });
    },
  );

  it.each([
    // I = 3 blocks in flight, the loop A = sumLatency + 1 = 3 (the default): D = 1 + 2.
    [{ weight: 'mxfp4', activation: 'bf16', maxK: 512, maxN: 64, lanes: 32, rows: 2, interleave: 3 }, 3],
    // A = 5 > I: every round of visits waits for the loop, D = 1 + 4.
    [
      {
        weight: 'mxfp4',
        activation: 'bf16',
        maxK: 512,
        maxN: 64,
        lanes: 32,
        rows: 2,
        interleave: 3,
        sumLatency: 4,
      },
      5,
    ],
    // Every kernel pipelined: chunk 2, scale (+1), sum 3, conversion (+1) 1: D = 8.
    [
      {
        weight: 'nvfp4',
        maxK: 512,
        maxN: 64,
        lanes: 16,
        rows: 3,
        interleave: 4,
        sumLatency: 3,
        chunkLatency: 2,
        outFormat: 'fp16',
        convertLatency: 1,
      },
      8,
    ],
  ])(
    '%j interleaved, without stalls: rounds of visits max(I_j, A) apart, then the last set’s r beats',
    async (raw, D) => {
      // The README's timing: the chunk issue visits a set's I_j blocks in turn (a round); a round
      // starts A = sumLatency + 1 cycles after the one before at the soonest, across sets too.
      const p = params(raw);
      const sizes = [
        [256, 16],
        [200, 5],
        [192, 13],
      ] as const;
      const r = await calmJobs(p, sizes);
      const I = p.interleave;
      const A = (p.sumLatency ?? I - 1) + 1;
      sizes.forEach(([k, n], i) => {
        const chunks = Math.ceil(k / p.lanes);
        const blocks = Math.ceil(n / p.rows);
        const setSizes = Array.from({ length: Math.ceil(blocks / I) }, (_, s) => Math.min(I, blocks - s * I));
        const rounds = setSizes.flatMap((size) => Array<number>(chunks).fill(size));
        const issue = (list: number[]) =>
          list.slice(0, -1).reduce((t, size) => t + Math.max(size, A), 0) + list.at(-1)!;
        const lastSetRows = n - (setSizes.length - 1) * I * p.rows;
        expect([r.jobCycles[i], r.firstCycles[i]]).toEqual([
          issue(rounds) + lastSetRows + 1 + D + 3,
          issue(rounds.slice(0, chunks)) + 1 + D + 3,
        ]);
      });
    },
  );

  it('expects the lowest status of two faults on one chunk: w over s, x over w', () => {
    const p = params({ weight: 'int4', maxK: 256, maxN: 16, lanes: 4, rows: 2, group: 16 });
    const doubles = gemvCases(p, 1).filter((c) => c.fault !== undefined && 'also' in c.fault && c.fault.also);
    const bench = gemvBench(p, doubles);
    expect(bench.jobs.map((j) => j.status)).toEqual([8 | 4, 8 | 3]);
  });

  it('takes all of x before any weight, or x after the weights wait, in Icarus and Verilator', async () => {
    // Before x had its own handshake, the first block took x only with w: x sent first hung.
    const p = params({ weight: 'uint4', maxK: 512, maxN: 32, lanes: 8, rows: 4, group: 32 });
    const { top, files, dir } = writeRtl(p);
    const rng = new Random(11);
    const job = (k: number, n: number) => randomJob(p, rng, { k, n });
    const cases = [
      { job: job(512, 9), order: 'lead-first' as const },
      { job: job(100, 4), order: 'lead-first' as const },
      { job: job(300, 13), order: 'lead-late' as const },
      { job: job(512, 8), order: 'lead-first' as const, calm: true },
      { job: job(200, 5) },
    ];
    const bench = { top, files, ...gemvBench(p, cases), stallPercent: 20, seed: 5 };
    for (const simulator of ['icarus', 'verilator'] as const) {
      const r = await runStreamBench(simulator, bench, join(dir, 'orders'));
      expect(r.problems).toEqual([]);
      expect(r.passed).toBe(bench.y.length + bench.jobs.length);
      // Without stalls, x first: K/S cycles of x alone, then the block's chunks at one per cycle.
      expect(r.jobCycles[3]).toBeLessThanOrEqual(512 / 8 + (512 / 8) * 2 + 16);
    }
  });
});
