import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../ip/catalog.ts';
import { runConformance } from '../../testbenches/conformance.ts';
import { planFor } from '../../testbenches/plans/index.ts';
import { CocotbSimulator, requireCocotbPython, runCocotbBench } from '../../testbenches/sim/cocotb.ts';
import { packedLayout } from '../../testbenches/sim/vector-files.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { writePackage } from '../package.ts';
import { resolveTarget } from '../target.ts';
import { writeTestbench } from './testbench-files.ts';

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
  'mac_w4a16_g128', // mixed_mac
  'dequant_nvfp4_fp16x16', // dequant, valid/ready
  'fp_add_bf16', // fp_add
  'cvt_bf16_fp16_x8', // fp_convert
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
  expect(tb?.cocotb).toEqual([
    'tb/cocotb/bitsmith_bench.py',
    `tb/cocotb/test_${ip}.py`,
    'tb/cocotb/run.py',
    'tb/cocotb/Makefile',
    'tb/cocotb/verilator_compat.cpp',
  ]);
  return join(pkg.dir, 'tb', 'cocotb');
}

it('the representative set holds one IP of every generator with a vector testbench', () => {
  const vectorGenerators = new Set(CATALOG.filter((e) => e.generator !== 'gemv').map((e) => e.generator));
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
