import { describe, expect, it } from 'vitest';
import {
  areaGrowth,
  describeFmaxDrop,
  describeGrowth,
  fmaxDropped,
  formatBaselines,
  type Baselines,
} from './baselines.ts';
import type { AreaFigures } from './results.ts';

const area = (luts: number, extra: Partial<AreaFigures> = {}): AreaFigures => ({
  luts,
  ffs: 10,
  carries: 4,
  dsps: 0,
  rams: 0,
  ...extra,
});

describe('areaGrowth', () => {
  it('allows up to 5% more and any shrinking', () => {
    expect(areaGrowth(area(100), area(105))).toEqual([]);
    expect(areaGrowth(area(100), area(60, { ffs: 2 }))).toEqual([]);
  });

  it('flags more than 5% in any resource', () => {
    expect(areaGrowth(area(100), area(106))).toEqual([{ resource: 'luts', baseline: 100, measured: 106 }]);
    expect(areaGrowth(area(100), area(100, { ffs: 11 }))).toEqual([
      { resource: 'ffs', baseline: 10, measured: 11 },
    ]);
  });

  it('flags a resource that was not used before (a new DSP)', () => {
    expect(areaGrowth(area(100), area(90, { dsps: 1 }))).toEqual([
      { resource: 'dsps', baseline: 0, measured: 1 },
    ]);
  });

  it('says what grew and how to record it deliberately', () => {
    const text = describeGrowth('mac_x', 'ice40', areaGrowth(area(200), area(220, { dsps: 1 })));
    expect(text).toBe(
      'mac_x on ice40 grew more than 5% over its baseline: luts 200 -> 220 (+10.0%), dsps 0 -> 1 (from 0). ' +
        'If the growth is intended, run `bitsmith baseline --update` and commit ip/baselines.json.',
    );
  });
});

describe('fmaxDropped', () => {
  it('allows a drop of up to 10% and any rise', () => {
    expect(fmaxDropped(100, 90)).toBe(false);
    expect(fmaxDropped(100, 250)).toBe(false);
    expect(fmaxDropped(100, 89.9)).toBe(true);
    expect(fmaxDropped(200, 179)).toBe(true);
  });

  it('says what dropped and how to record it deliberately', () => {
    expect(describeFmaxDrop('mac_x', 'ecp5', 150, 120)).toBe(
      'mac_x on ecp5 lost more than 10% of its Fmax baseline: 150.00 -> 120.00 MHz (-20.0%). ' +
        'If the drop is intended, run `bitsmith baseline --update` and commit ip/baselines.json.',
    );
  });
});

describe('formatBaselines', () => {
  it('sorts IPs and fixes the key order, so equal figures give equal files', () => {
    const b: Baselines = {
      ips: {
        zeta: { area: { xc7: area(3), ice40: { rams: 0, dsps: 0, carries: 1, ffs: 2, luts: 5 } } },
        alpha: { fmax: { ecp5: 180.25, ice40: 100.5 }, area: { ice40: area(7) } },
      },
      yosys: 'Yosys 0.23',
      tolerance: 0.05,
      engine: 'native',
    };
    const text = formatBaselines(b);
    expect(Object.keys(JSON.parse(text))).toEqual(['engine', 'yosys', 'tolerance', 'ips']);
    expect(Object.keys(JSON.parse(text).ips)).toEqual(['alpha', 'zeta']);
    expect(Object.keys(JSON.parse(text).ips.zeta.area)).toEqual(['ice40', 'xc7']);
    expect(Object.keys(JSON.parse(text).ips.zeta.area.ice40)).toEqual([
      'luts',
      'ffs',
      'carries',
      'dsps',
      'rams',
    ]);
    expect(formatBaselines(JSON.parse(text))).toBe(text);
  });
});
