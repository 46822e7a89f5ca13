import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
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

describe('bitsmith synth --pnr, gen, docs', () => {
  it('synth --pnr reports area and the achieved Fmax, and records both in the package README', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bitsmith-cli-pnr-'));
    expect((await run('gen', 'mul_int4_u_comb', '--out', out)).code).toBe(0);
    const r = await run(
      'synth',
      'mul_int4_u_comb',
      '--target',
      'ice40',
      '--engine',
      'native',
      '--pnr',
      '--out',
      out,
      '--json',
    );
    expect(r.code).toBe(0);
    const { area, fmax } = JSON.parse(r.stdout);
    expect(area[0]).toMatchObject({ target: 'ice40', ffs: 0 });
    expect(fmax[0].target).toBe('ice40');
    expect(fmax[0].fmax.mhz).toBeGreaterThan(50);
    const readme = readFileSync(join(out, 'mul_int4_u_comb', 'README.md'), 'utf8');
    expect(readme).toContain(`**${fmax[0].fmax.mhz.toFixed(2)} MHz** on iCE40 HX8K (hx8k-ct256;`);
    expect(readme).toContain(`| ${area[0].luts} | 0 | ${area[0].carries} | 0 | 0 | measured, Yosys`);
  });

  it('gen writes the whole package', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bitsmith-cli-gen-'));
    const r = await run('gen', 'int_mac', '--set', 'aWidth=6', '--out', out);
    expect(r.code).toBe(0);
    const ip = 'int_mac_s6_s8_acc32_wrap_l1';
    for (const f of ['README.md', `${ip}.core`, 'vendor/vivado.tcl', 'tb/tb.v', 'doc/schematic.svg']) {
      expect(existsSync(join(out, ip, f)), f).toBe(true);
    }
  });

  it('docs --check says whether ip/README.md is current', async () => {
    const r = await run('docs', '--check');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ip\/README\.md is up to date/);
  });
});
