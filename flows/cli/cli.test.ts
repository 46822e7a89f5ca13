import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../generators/emit/paths.ts';

const run = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [projectPath('bin/bitsmith.js'), ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};
const scratch = () => mkdtempSync(join(tmpdir(), 'bitsmith-cli-'));

describe('bitsmith CLI', () => {
  it('lists the catalog as a table and as JSON', async () => {
    const text = await run('list');
    expect(text.stdout).toMatch(/^mac_int8_s_acc32\s+int_mac\s+int_mac_s8_s8_acc32_wrap_l2\s+2\s/m);
    const json = JSON.parse((await run('list', '--json')).stdout);
    expect(json.ips.map((i: { ip: string }) => i.ip)).toContain('mac_int4_s_acc16');
  });

  it('names an unknown IP, lists what exists, and writes nothing', async () => {
    const out = scratch();
    const r = await run('gen', 'mac_int3', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /'mac_int3' is neither a catalog IP nor a generator\. IPs: .*mac_int4_s_acc16.*Generators: int_mul, int_mac/,
    );
    expect(readdirSync(out)).toEqual([]);
  });

  it('names a bad parameter with its value and what is allowed, and writes nothing', async () => {
    const out = scratch();
    const narrow = await run('gen', 'mac_int8_s_acc32', '--set', 'accWidth=12', '--out', out);
    expect(narrow.code).toBe(1);
    expect(narrow.stderr).toMatch(
      /int_mac: parameter 'accWidth' = 12 is not allowed: must be at least aWidth \+ bWidth/,
    );
    const unknown = await run('gen', 'int_mac', '--set', 'width=8', '--out', out);
    expect(unknown.stderr).toMatch(/unknown parameter 'width'; parameters are aWidth, bWidth, aSigned/);
    const negative = await run('gen', 'int_mul', '--set', 'aWidth=-3', '--out', out);
    expect(negative.stderr).toMatch(/'aWidth' = -3 is not allowed: must be an integer from 1 to 64/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('says when a clock request rests on the typical Fmax rather than the estimate', async () => {
    const out = scratch();
    // fp_mul bf16 on ECP5: every latency's estimate is below 160 MHz, the typical figure of some above.
    const r = await run('gen', 'fp_mul_bf16', '--set', 'fmax=160', '--set', 'target=ecp5', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /no latency's estimate reaches 160 MHz on ecp5; latency \d+ is estimated at [\d.]+ MHz and typically reaches [\d.]+ after place and route/,
    );
    const quiet = await run('gen', 'fp_mul_bf16', '--set', 'fmax=100', '--set', 'target=ecp5', '--out', out);
    expect(quiet.stderr).not.toMatch(/typically/);
  });

  it('refuses bad option values by name', async () => {
    expect((await run('verify', 'mul_int8_s', '--sim', 'modelsim')).stderr).toMatch(
      /--sim 'modelsim' is not allowed: use icarus, verilator, hls, hls-vendor, all/,
    );
    expect((await run('verify', 'mul_int8_s', '--vectors', 'lots')).stderr).toMatch(
      /--vectors 'lots' is not allowed/,
    );
    expect((await run('synth', 'mul_int8_s', '--target', 'ecp6')).stderr).toMatch(
      /--target 'ecp6' is not allowed: use generic, ice40, ice40-dsp, ecp5/,
    );
  });

  it('generates byte-identical files for the same parameters, named after them', async () => {
    const [one, two] = [scratch(), scratch()];
    await run('gen', 'int_mac', '--set', 'aWidth=6', '--set', 'overflow=saturate', '--out', one);
    const r = await run(
      'gen',
      'int_mac',
      '--set',
      'aWidth=6',
      '--set',
      'overflow=saturate',
      '--out',
      two,
      '--json',
    );
    const { ip, files } = JSON.parse(r.stdout);
    expect(ip).toBe('int_mac_s6_s8_acc32_sat_l1');
    for (const f of files as string[]) {
      expect(readFileSync(f, 'utf8')).toBe(readFileSync(f.replace(two, one), 'utf8'));
    }
    expect(existsSync(join(two, ip, `${ip}.f`))).toBe(true);
    expect(JSON.parse(readFileSync(join(two, ip, 'ip.json'), 'utf8')).timing).toEqual({
      kind: 'pipelined',
      latency: 1,
      ready: false,
    });
  });

  it('verifies an IP and reports per simulator as JSON', async () => {
    const r = await run(
      'verify',
      'mul_int4_u_comb',
      '--sim',
      'icarus',
      '--vectors',
      'exhaustive',
      '--out',
      scratch(),
      '--json',
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.passed).toBe(true);
    expect(result.conformance.results[0]).toMatchObject({ simulator: 'icarus', passed: 256, failed: 0 });
  });

  it('synthesizes an IP and reports its area', async () => {
    const r = await run('synth', 'mac_int4_s_acc16', '--target', 'ice40', '--out', scratch(), '--json');
    expect(r.code).toBe(0);
    const [area] = JSON.parse(r.stdout);
    expect(area.target).toBe('ice40');
    expect(area.luts).toBeGreaterThan(10);
    expect(area.ffs).toBeGreaterThanOrEqual(17); // 16-bit accumulator + valid
    expect(area.dsps).toBe(0);
  });
});
