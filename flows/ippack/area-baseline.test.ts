import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../ip/catalog.ts';
import { measureBaselines, recordFigure, type Measured } from './area-baseline.ts';
import { readBaselines, type BaselineEntry } from './baselines.ts';

const area = { luts: 26, ffs: 0, carries: 4, dsps: 0, rams: 0 };

describe('recordFigure', () => {
  it('puts an area figure in with the fingerprint it was measured under', () => {
    const ips: Record<string, BaselineEntry> = {};
    recordFigure(ips, { ip: 'u', kind: 'area', target: 'ice40', area, key: 'k1' });
    expect(ips.u).toEqual({ area: { ice40: area }, keys: { ice40: 'k1' } });
  });

  it('replaces an Fmax by a skip (and back), never keeping both', () => {
    const ips: Record<string, BaselineEntry> = {
      u: { area: {}, fmax: { ecp5: 120 }, fmaxKeys: { ecp5: 'a' } },
    };
    recordFigure(ips, { ip: 'u', kind: 'fmax', target: 'ecp5', key: 'b', skipped: 'needs 200 MULT18X18D' });
    expect(ips.u!.fmax?.ecp5).toBeUndefined();
    expect(ips.u!.fmaxSkipped?.ecp5).toBe('needs 200 MULT18X18D');
    recordFigure(ips, { ip: 'u', kind: 'fmax', target: 'ecp5', key: 'c', mhz: 130 });
    expect(ips.u).toMatchObject({ fmax: { ecp5: 130 }, fmaxKeys: { ecp5: 'c' } });
    expect(ips.u!.fmaxSkipped?.ecp5).toBeUndefined();
  });

  it('records nothing for a device whose place-and-route tool is missing', () => {
    const ips: Record<string, BaselineEntry> = {};
    recordFigure(ips, {
      ip: 'u',
      kind: 'fmax',
      target: 'ecp5',
      key: 'k',
      skipped: 'nextpnr-ecp5 is not installed',
    });
    expect(ips.u).toEqual({ area: {} });
  });
});

describe('measureBaselines', () => {
  const entry = CATALOG.filter((e) => e.name === 'mul_int4_u_comb');

  it('hands over each figure as it is measured, and none it keeps from the previous file', async () => {
    const workRoot = mkdtempSync(join(tmpdir(), 'bitsmith-baseline-test-'));
    const fresh: Measured[] = [];
    const { baselines } = await measureBaselines(entry, {
      engine: 'native',
      workRoot,
      jobs: 2,
      fmax: false,
      onMeasured: (m) => fresh.push(m),
    });
    expect(fresh.map((m) => `${m.kind} ${m.target}`).sort()).toEqual(['area ecp5', 'area ice40', 'area xc7']);
    expect(baselines.ips.mul_int4_u_comb?.keys).toEqual(
      Object.fromEntries(fresh.map((m) => [m.target, m.key])),
    );

    // Synthesis is deterministic: the same figures as recorded for this unchanged IP.
    expect(baselines.ips.mul_int4_u_comb?.area).toEqual(readBaselines()?.ips.mul_int4_u_comb?.area);

    const again: Measured[] = [];
    await measureBaselines(entry, {
      engine: 'native',
      workRoot,
      jobs: 2,
      fmax: false,
      previous: baselines,
      onMeasured: (m) => again.push(m),
    });
    expect(again).toEqual([]);
  }, 120_000);
});
