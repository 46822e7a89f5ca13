import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../generators/emit/paths.ts';
import type { Baselines } from '../ippack/baselines.ts';
import { hardwareCost, parseDataSource, runExplore } from './explore.ts';
import { parseWeightFormat, parseWeightFormats } from './quantize.ts';
import { yosysVersion } from '../ippack/tool-versions.ts';
import { synthesisKey } from '../ippack/synthesis-key.ts';
import { resolveTarget } from '../target.ts';
import { CACHE_FILE, dequantParams, macParams } from './synth-cost.ts';

const scratch = () => mkdtempSync(join(tmpdir(), 'bitsmith-explore-'));
const fixture = (name: string) => projectPath('testbenches', 'fixtures', 'npy', name);

const run = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [
      projectPath('bin/bitsmith.js'),
      'explore',
      ...args,
    ]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

/** Invented figures, so the test checks the per-lane and per-MAC division, not today's baselines. */
const baselines = {
  engine: 'native',
  yosys: 'test',
  tolerance: 0.05,
  ips: {
    dequant_nf4_fp16x8: {
      area: { ecp5: { luts: 800, ffs: 0, carries: 0, dsps: 4, rams: 0 } },
      fmax: { ecp5: 90 },
    },
    dequant_int4_awq_fp16x8: { area: { ecp5: { luts: 400, ffs: 0, carries: 0, dsps: 0, rams: 0 } } },
    gemv_w4a16_g128_p4s8: { area: { ecp5: { luts: 3200, ffs: 0, carries: 0, dsps: 64, rams: 0 } } },
  },
} as unknown as Baselines;

describe('explore run', () => {
  it('writes results.csv and results.json with accuracy, bits per element and matching costs', () => {
    const out = scratch();
    const r = runExplore({
      formats: parseWeightFormats('nf4:g64,int4_asym:g128,mxfp4'),
      data: parseDataSource('gaussian', 4096, 3),
      name: 'small',
      outDir: out,
      target: 'ecp5',
      baselines,
    });
    const csv = readFileSync(join(out, 'explore', 'small', 'results.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv).toHaveLength(4);
    expect(csv[0]).toMatch(/^format,kind,group,bits_per_element,mse,sqnr_db,max_error,kl,target,dequant_ip/);
    expect(csv[1]).toMatch(/^nf4:g64,scalar,64,4\.25,.*,ecp5,dequant_nf4_fp16x8,100,0\.5,90,,,,,,,,,0,$/);
    // The asymmetric INT4: a dequantizer per lane (400/8) and the GEMV per MAC (3200 / (4 rows · 8 lanes)).
    expect(csv[2]).toMatch(
      /^int4_asym:g128,int-asym,128,4\.15625,.*,dequant_int4_awq_fp16x8,50,0,,,,,,gemv_w4a16_g128_p4s8,100,2,,0,$/,
    );
    // The MXFP4 dequantizer exists in the catalog but has no figures in these baselines: blank.
    expect(csv[3]).toMatch(/^mxfp4,mx,32,4\.25,.*,ecp5,,,,,,,,,,,,,0,$/);
    const json = JSON.parse(readFileSync(join(out, 'explore', 'small', 'results.json'), 'utf8'));
    expect(json.elements).toBe(4096);
    expect(json.rows.map((x: { format: string }) => x.format)).toEqual([
      'nf4:g64',
      'int4_asym:g128',
      'mxfp4',
    ]);
    expect(json.rows[0].sqnrDb).toBeCloseTo(r.rows[0]!.sqnrDb, 12);
    expect(json.notes.join(' ')).toMatch(/ip\/baselines\.json/);
  });

  it('writes the two plots and index.html; the clip search marks the scalar formats it chose scales for', () => {
    const out = scratch();
    const r = runExplore({
      formats: parseWeightFormats('int4_asym:g128,int4:g128,nf4:g64,mxfp4'),
      data: parseDataSource('gaussian', 2048, 3),
      name: 'plots',
      outDir: out,
      target: 'ecp5',
      baselines,
      clipSearch: true,
      claims: (rows) => [{ claim: 'a claim', measured: `${rows.length} rows` }],
    });
    expect(r.rows.map((x) => x.clipSearch)).toEqual([false, true, true, false]);
    const dir = join(out, 'explore', 'plots');
    const csv = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv.slice(1).map((l) => l.split(',').at(-2))).toEqual(['0', '1', '1', '0']);
    // The invented baselines give int4_asym a GEMV core only: the LUT plot has that one point.
    const luts = readFileSync(join(dir, 'sqnr-vs-luts.svg'), 'utf8');
    expect(luts.match(/<circle /g)).toHaveLength(1);
    expect(luts).toMatch(/GEMV core LUTs per MAC on ecp5/);
    expect(luts).toMatch(
      /not shown \(no GEMV core with recorded or synthesized area\): int4:g128, nf4:g64, mxfp4/,
    );
    expect(readFileSync(join(dir, 'sqnr-vs-bits.svg'), 'utf8').match(/<circle /g)).toHaveLength(4);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).toContain('<img src="sqnr-vs-luts.svg"');
    expect(html).toContain('<b>Measured:</b> 4 rows');
    expect(html).toMatch(/<td>nf4:g64<\/td><td>4\.25<\/td><td>\d+\.\d\d<\/td>/);
    expect(r.notes.join(' ')).toMatch(/Clip search/);
  });

  it('matches catalog IPs on format, group size and scale format only', () => {
    expect(hardwareCost(parseWeightFormat('nf4:g128'), 'ecp5', baselines)).toEqual({});
    expect(hardwareCost(parseWeightFormat('nf4:g64:bf16'), 'ecp5', baselines)).toEqual({});
    expect(hardwareCost(parseWeightFormat('nf4:g64'), 'ecp5', baselines).dequant?.lutsPerUnit).toBe(100);
    expect(hardwareCost(parseWeightFormat('nf4:g64'), 'ice40', baselines)).toEqual({});
  });

  it('reads .npy tensors, concatenated', () => {
    const out = scratch();
    const data = parseDataSource(`${fixture('f16_6.npy')},${fixture('f32_v2.npy')}`, 1, 1);
    const r = runExplore({
      formats: parseWeightFormats('e4m3fn:g4'),
      data,
      name: 'npy',
      outDir: out,
      target: 'ecp5',
      baselines,
    });
    expect(r.elements).toBe(10);
  });

  it('refuses bad data with the parameter and what is allowed', () => {
    expect(() => parseDataSource('cauchy', 10, 1)).toThrow(
      /--data 'cauchy' is not allowed: give a distribution \(gaussian, laplace/,
    );
    expect(() => parseDataSource('student-t:0', 10, 1)).toThrow(/degrees of freedom/);
    const out = scratch();
    const go = (name: string) => () =>
      runExplore({
        formats: parseWeightFormats('int8'),
        data: parseDataSource(fixture(name), 1, 1),
        name: 'x',
        outDir: out,
        target: 'ecp5',
        baselines,
      });
    expect(go('empty_f32.npy')).toThrow(/empty_f32\.npy: the array is empty/);
    expect(go('truncated_f32.npy')).toThrow(/truncated_f32\.npy: truncated/);
    expect(go('nothing.npy')).toThrow(/nothing\.npy: cannot be read/);
    expect(existsSync(join(out, 'explore'))).toBe(false);
  });
});

describe('bitsmith explore CLI', () => {
  it('prints the table and progress over the formats', async () => {
    const out = scratch();
    const r = await run('--formats', 'int8,mxint8', '--size', '2048', '--out', out, '--name', 'cli');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^int8:g128\s+8\.125\s+\d+\.\d\d\s/m);
    expect(r.stderr).toMatch(/explore \[2\/2\] mxint8/);
    expect(existsSync(join(out, 'explore', 'cli', 'results.csv'))).toBe(true);
  });

  it('--preset prints each claim beside the measured figure', async () => {
    const out = scratch();
    const r = await run('--preset', 'sf4', '--size', '4096', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^claim: +SF4 \(Student Float, ν = 5\) is more accurate/m);
    expect(r.stdout).toMatch(/^measured: SQNR on Student-t\(5\): SF4 \d+\.\d\d dB, NF4/m);
    expect(existsSync(join(out, 'explore', 'sf4', 'index.html'))).toBe(true);
  });

  it('--synth takes a cached dequantizer area by its fingerprint and synthesizes nothing', async () => {
    const out = scratch();
    const p = dequantParams(parseWeightFormat('e2m1fn:g128'));
    if (!('params' in p)) throw new Error(p.reason);
    const key = `${synthesisKey(resolveTarget('dequant', p.params), 'ecp5')}:ecp5:${await yosysVersion('yowasp')}`;
    mkdirSync(join(out, 'explore'), { recursive: true });
    const area = { unit: 'dequant_e2m1fn_fp16_fp16_x8_l8', luts: 1234, ffs: 0, dsps: 0, lanes: 8 };
    // The catalog has no E2M1 mixed_mac either (int6 has one, so it is not synthesized).
    const m = macParams(parseWeightFormat('e2m1fn:g128'));
    if (!('params' in m)) throw new Error(m.reason);
    const macTarget = resolveTarget('mixed_mac', m.params);
    const macKey = `${synthesisKey(macTarget, 'ecp5')}:ecp5:${await yosysVersion('yowasp')}`;
    const mac = { unit: macTarget.module.name, luts: 321, ffs: 0, dsps: 1, lanes: 1 };
    writeFileSync(join(out, CACHE_FILE), JSON.stringify({ entries: { [key]: area, [macKey]: mac } }));
    const r = await run(
      '--formats',
      'e2m1fn,int6',
      '--synth',
      '--size',
      '1024',
      '--out',
      out,
      '--name',
      'syn',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/explore synth e2m1fn:g128: dequant_e2m1fn_fp16_fp16_x8_l8 \(cached\)/);
    // 1234 LUTs over 8 lanes.
    expect(r.stdout).toMatch(/^e2m1fn:g128\s+4\.125\s+\S+\s+\S+\s+\S+\s+\S+\s+154\.3\s/m);
    expect(r.stdout).toMatch(/0 synthesized, 1 from/);
    expect(r.stderr).toContain(`explore synth e2m1fn:g128: ${macTarget.module.name} (cached)`);
    expect(r.stdout).toMatch(/MACs synthesized likewise .*: 0 synthesized, 1 cached/);
    expect(
      JSON.parse(readFileSync(join(out, 'explore', 'syn', 'results.json'), 'utf8')).rows[0].mac,
    ).toMatchObject({
      ip: macTarget.module.name,
      lutsPerUnit: 321,
      dspsPerUnit: 1,
    });
    expect(r.stdout).toMatch(
      /No dequantizer for int6:g128: the dequant generator has no element format int6/,
    );
    expect(existsSync(join(out, 'explore', 'units'))).toBe(false);
  });

  it.each([
    [['--formats', 'int9'], /unknown format 'int9'/],
    [['--group', '0'], /--group '0' is not allowed: use a positive integer/],
    [['--target', 'virtex'], /--target 'virtex' is not allowed: use one of ice40, ecp5, xc7/],
    [
      ['--preset', 'nf4'],
      /--preset 'nf4' is not allowed: use one of sf4, minifloat-vs-int, lmul, w4-formats/,
    ],
    [
      ['--preset', 'sf4', '--formats', 'int4'],
      /--formats is not allowed with --preset: the preset 'sf4' sets it/,
    ],
    [
      ['--preset', 'lmul', '--clip-search'],
      /--clip-search is not allowed with --preset lmul: it measures multipliers/,
    ],
    [
      ['--formats', 'nf4', '--synth-gemv'],
      /--synth-gemv is not allowed with --engine yowasp: .* use --engine native/,
    ],
    [
      ['--formats', 'nf4', '--activation', 'fp16', '--dot-out', 'e4m3fn'],
      /--dot-out 'e4m3fn' is not allowed: use fp32, fp16, bf16/,
    ],
  ])('%j: names the parameter and writes nothing', async (args, message) => {
    const out = scratch();
    const r = await run(...args, '--size', '256', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(out, 'explore'))).toBe(false);
  });
});
