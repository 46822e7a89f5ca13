import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Baselines } from '../ippack/baselines.ts';
import { catalogCost, type ExploreRow } from './explore.ts';
import { PRESETS, presetByName, runMultipliersPreset, type FormatsPreset } from './presets.ts';
import { parseWeightFormats } from './quantize.ts';

const area = (luts: number, dsps = 0) => ({ luts, ffs: 0, carries: 0, dsps, rams: 0 });
/** Invented figures, so the tests check the arithmetic of the measured text, not today's baselines. */
const baselines = {
  engine: 'native',
  yosys: 'test',
  tolerance: 0.05,
  ips: {
    mac_int8_s_acc32: { area: { ice40: area(200) } },
    mac_e4m3fn_kulisch32: { area: { ice40: area(500) } },
    mac_int4_s_acc16: { area: { ice40: area(50, 1) } },
    mac_e2m1_kulisch32: { area: { ice40: area(75) } },
    lmul_bf16_m4: { area: { ecp5: area(100) } },
    fp_mul_e4m3fn: { area: { ecp5: area(400) } },
  },
} as unknown as Baselines;

function rowOf(format: string, sqnrDb: number, extra: Partial<ExploreRow> = {}): ExploreRow {
  return {
    format,
    kind: 'scalar',
    group: 128,
    bitsPerElement: 4.125,
    clipSearch: false,
    mse: 0,
    sqnrDb,
    maxError: 0,
    kl: 0,
    seconds: 0,
    ...extra,
  };
}

const formatsPreset = (name: string) => presetByName(name) as FormatsPreset;

describe('explore presets', () => {
  it('every preset parses, and its named MACs are catalog IPs', () => {
    expect(PRESETS.map((p) => p.name)).toEqual(['sf4', 'minifloat-vs-int', 'lmul', 'w4-formats']);
    for (const p of PRESETS) {
      if (p.kind !== 'formats') continue;
      expect(parseWeightFormats(p.formats, p.group).length).toBeGreaterThan(0);
      for (const ip of Object.values(p.macIps ?? {}))
        expect(() => catalogCost(ip, 'ice40', baselines)).not.toThrow();
    }
    expect(() => presetByName('nf4')).toThrow(
      /--preset 'nf4' is not allowed: use one of sf4, minifloat-vs-int, lmul, w4-formats/,
    );
  });

  it('sf4 prints the SQNR differences of the rows', () => {
    const rows = [
      rowOf('int4:g128', 15),
      rowOf('e2m1fn:g128', 18),
      rowOf('nf4:g128', 18.25),
      rowOf('sf4:g128', 18.75),
      rowOf('fp4_range:g128', 17.5),
      rowOf('fp4_prec2:g128', 18.5),
    ];
    const [sf4, supernormal] = formatsPreset('sf4').claims(rows);
    expect(sf4!.claim).toMatch(/2405\.03103/);
    expect(sf4!.measured).toContain('SF4 − NF4 +0.50 dB, SF4 − E2M1 +0.75 dB');
    expect(supernormal!.claim).toMatch(/\+2\.19%.*1\.22%/);
    expect(supernormal!.measured).toContain('(fp4_range) -0.50 dB, +5 (fp4_prec2) +0.50 dB');
  });

  it('minifloat-vs-int compares the MACs it names and finds the front', () => {
    const mac = (ip: string) => ({ mac: catalogCost(ip, 'ice40', baselines)! });
    const rows = [
      rowOf('int4:g128', 18, mac('mac_int4_s_acc16')),
      rowOf('int8:g128', 44, { ...mac('mac_int8_s_acc32'), bitsPerElement: 8.125 }),
      rowOf('e2m1fn:g128', 19, mac('mac_e2m1_kulisch32')),
      rowOf('e4m3fn:g128', 32, { ...mac('mac_e4m3fn_kulisch32'), bitsPerElement: 8.125 }),
    ];
    const [front, cost] = formatsPreset('minifloat-vs-int').claims(rows);
    // Bits: e2m1 beats int4 at 4.125 bits, int8 beats e4m3 at 8.125. LUTs: int4 (50), e2m1 (75), int8 (200).
    expect(front!.measured).toContain(
      'bits per element: e2m1fn, int8; against MAC LUTs: int4, e2m1fn, int8.',
    );
    expect(cost!.measured).toContain('+150.00% LUTs (500 against 200)');
    expect(cost!.measured).toContain('E2M1 against INT4: +50.00% LUTs (75 against 50 + 1 DSP)');
  });

  it('lmul: the sweep units, their error and the recorded LUTs', () => {
    const out = mkdtempSync(join(tmpdir(), 'bitsmith-explore-'));
    const r = runMultipliersPreset({ samples: 4000, seed: 1, target: 'ecp5', outDir: out, baselines });
    expect(r.rows.map((x) => x.unit)).toEqual([
      'exact e4m3fn',
      'exact e5m2',
      'exact fp16',
      'exact bf16',
      ...[2, 3, 4, 5, 6, 7].map((m) => `L-Mul m=${m}`),
    ]);
    const by = (u: string) => r.rows.find((x) => x.unit === u)!;
    expect(by('L-Mul m=4').luts).toBe(100);
    expect(by('exact e4m3fn').luts).toBe(400);
    expect(by('L-Mul m=5').luts).toBeUndefined();
    // A finer format or more L-Mul bits: a smaller error (E4M3's step 2^-3 against BF16's 2^-7).
    expect(by('exact bf16').meanRelativeError).toBeLessThan(by('exact e4m3fn').meanRelativeError / 4);
    expect(by('L-Mul m=7').meanRelativeError).toBeLessThan(by('L-Mul m=2').meanRelativeError);
    expect(r.claims[0]!.measured).toMatch(/lmul_bf16_m4 100 against fp_mul_e4m3fn 400/);
    const csv = readFileSync(join(out, 'explore', 'lmul', 'results.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv).toHaveLength(11);
    expect(csv[5]).toMatch(/^L-Mul m=2,lmul,,ecp5,,0\.\d{6},4000,1$/);
  });
});
