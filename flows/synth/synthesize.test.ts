import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../../testbenches/sim/fixtures/units.ts';
import { synthesize } from './synthesize.ts';
import type { SynthEngine, SynthTarget } from './types.ts';

const MUL8 = [fixturePath('mul8.v')];

describe('synthesize', () => {
  let workRoot = '';
  beforeAll(async () => {
    workRoot = await mkdtemp(join(tmpdir(), 'bitsmith-synth-test-'));
  });
  afterAll(async () => {
    await rm(workRoot, { recursive: true, force: true });
  });

  const synthMul8 = (target: SynthTarget, engine?: SynthEngine) =>
    synthesize({
      files: MUL8,
      top: 'mul8',
      target,
      workDir: join(workRoot, `${target}-${engine}`),
      ...(engine ? { engine } : {}),
    });

  it('maps an 8x8 multiplier to iCE40 LUTs and carries, without a DSP', async () => {
    const report = await synthMul8('ice40');
    expect(report).toMatchObject({ target: 'ice40', top: 'mul8', ffs: 16, dsps: 0, rams: 0 });
    expect(report.luts).toBeGreaterThan(50);
    expect(report.carries).toBeGreaterThan(0);
    expect(report.cells.SB_LUT4).toBe(report.luts);
    expect(JSON.parse(await readFile(report.netlistPath, 'utf8')).modules.mul8).toBeDefined();
  });

  it('maps it to 7-series LUTs without DSP48E1 when DSPs are off', async () => {
    const report = await synthMul8('xc7-nodsp');
    expect(report).toMatchObject({ ffs: 16, dsps: 0 });
    expect(report.luts).toBeGreaterThan(50);
    expect(report.cells.DSP48E1).toBeUndefined();
  });

  it('maps it to one DSP48E1 when DSPs are allowed', async () => {
    const report = await synthMul8('xc7');
    expect(report.cells.DSP48E1).toBe(1);
    expect(report.dsps).toBe(1);
  });

  it('maps it to one ECP5 MULT18X18D and counts TRELLIS_FF flip-flops', async () => {
    const report = await synthMul8('ecp5', 'native');
    expect(report.cells.MULT18X18D).toBe(1);
    expect(report).toMatchObject({ target: 'ecp5', ffs: 16, dsps: 1, rams: 0 });
    expect(report.cells.TRELLIS_FF).toBe(16);
  });

  it('gives the same cells with the native yosys binary', async () => {
    const report = await synthMul8('ice40-dsp', 'native');
    expect(report.cells).toEqual({ SB_MAC16: 1 });
    expect(report.seconds).toBeGreaterThan(0);
  });

  it('fails with the check -assert findings for an undriven wire', async () => {
    const synth = synthesize({
      files: [fixturePath('undriven.v')],
      top: 'undriven',
      target: 'generic',
      workDir: join(workRoot, 'undriven'),
    });
    await expect(synth).rejects.toThrow(
      /is used but has no driver[\s\S]*ERROR: Found 4 problems in 'check -assert'/,
    );
  });

  it('rejects an unknown target, naming the allowed ones', async () => {
    const synth = synthesize({
      files: MUL8,
      top: 'mul8',
      target: 'gowin' as SynthTarget,
      workDir: join(workRoot, 'x'),
    });
    await expect(synth).rejects.toThrow(
      'target = "gowin": Invalid option: expected one of "generic"|"ice40"|"ice40-dsp"|"ecp5"|"xc7"|"xc7-nodsp"',
    );
  });
});
