import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CATALOG } from '../../ip/catalog.ts';
import { buildPackage } from '../package.ts';
import { resolveTarget } from '../target.ts';
import { requireFusesoc, runFusesoc } from './fusesoc.ts';

// The packages' FuseSoC cores, run by FuseSoC itself (the fusesoc of .venv, requirements.txt), as a
// user runs them: `fusesoc --cores-root <package> run --target sim` (Icarus) must print the
// testbench's "N passed, 0 failed" over every vector, and `--target lint` (verilator -Wall) pass.
// One IP of each generator; the whole catalog runs the same way with BITSMITH_FUSESOC_ALL=1.
const REPRESENTATIVE = [
  'mul_int4_u_comb', // int_mul
  'mac_int8_s_acc20_sat_rdy', // int_mac, valid/ready
  'fp_mul_e5m2', // fp_mul
  'lmul_e4m3fn', // lmul
  'reconf_mul_bf16', // reconf_mul
  'fp8_mul_multi', // multi_fp_mul
  'mac_e2m1_kulisch32', // fp_mac
  'dot8_e4m3fn_fp32', // dot
  'mx_dot_nvfp4_bf16', // mx_dot
  'mac_w4a16_g128', // mixed_mac
  'dequant_mxfp4_bf16x32', // dequant
  'gemv_w4a16_g128_p4s8', // gemv (job testbench)
  'lut_gemv_w1a8_g128_p4s8', // lut_gemv (job testbench)
  'bitserial_gemv_int8_a8_p4s8', // bitserial_gemv (job testbench)
  'fp_add_bf16', // fp_add
  'cvt_int8_fp16_x8', // fp_convert
  'quantize_mxfp4_bf16', // quantize
];
const IPS = process.env.BITSMITH_FUSESOC_ALL === '1' ? CATALOG.map((e) => e.name) : REPRESENTATIVE;

let out = '';
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'bitsmith-fusesoc-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

it('the representative set holds one IP of every generator in the catalog', () => {
  const generators = new Set(CATALOG.map((e) => e.generator));
  const covered = new Set(REPRESENTATIVE.map((ip) => CATALOG.find((e) => e.name === ip)!.generator));
  expect([...covered].sort()).toEqual([...generators].sort());
});

it('fusesoc comes from .venv; a missing one names the setup command', () => {
  expect(requireFusesoc()).toMatch(/\.venv\/bin\/fusesoc$/);
  expect(() => requireFusesoc(join(tmpdir(), 'no-venv'))).toThrow(/run \.\/setup\.sh --no-build/);
});

describe.each(IPS.map((ip) => [ip]))('%s', (ip) => {
  let pkgDir = '';
  let vectors = 0;
  beforeAll(async () => {
    pkgDir = (await buildPackage(resolveTarget(ip), out)).dir;
    const text = readFileSync(join(pkgDir, `${ip}.core`), 'utf8');
    expect((parse(text) as { filesets: Record<string, unknown> }).filesets.tb).toBeDefined();
    // The core names the testbench's vector count: every one of them must pass.
    vectors = Number(/testbench \(the one `bitsmith verify` runs\): (\d+) vectors/.exec(text)?.[1]);
  });

  it('fusesoc run --target sim passes every vector in Icarus', async () => {
    const r = await runFusesoc(pkgDir, ip, 'sim', join(out, 'build', ip));
    expect(r.exitCode, r.output.slice(-2000)).toBe(0);
    expect(vectors).toBeGreaterThan(0);
    expect([r.passed, r.failed], r.output.slice(-2000)).toEqual([vectors, 0]);
  });

  it('fusesoc run --target lint passes (verilator --lint-only -Wall)', async () => {
    const r = await runFusesoc(pkgDir, ip, 'lint', join(out, 'build', ip));
    expect(r.exitCode, r.output.slice(-2000)).toBe(0);
    expect(r.output).not.toMatch(/%Warning|%Error/);
  });
});
