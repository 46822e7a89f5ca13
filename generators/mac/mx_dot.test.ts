import { describe, expect, it } from 'vitest';
import { alignToUnit } from '../../testbenches/align-vectors.ts';
import { mxDotPlan } from '../../testbenches/plans/mx_dot.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { dotCutPoints } from './dot.ts';
import { mxDot, mxDotCutPoints } from './mx_dot.ts';

function mismatches(
  raw: Record<string, unknown>,
  kind: Parameters<typeof mxDotPlan.vectors>[1],
  seed: number,
) {
  const p = parseParams(mxDot, raw);
  const module = mxDot.build(p);
  const v = alignToUnit(mxDotPlan.vectors(p, kind, seed), unitUnderTest(module, []));
  const got = runVectors(module, v.stimulus);
  return got.filter((row, i) => row[0] !== v.expected[i]![0]).length;
}

describe('mx_dot in the IR evaluator matches its golden model', () => {
  it('mxfp8_e4m3 × mxfp8_e4m3 → fp32, default vectors', () => {
    expect(mismatches({ latency: 0 }, { kind: 'default' }, 3)).toBe(0);
  });
  it('mxint8 × mxfp6_e2m3 → bf16, rounding down, default vectors', () => {
    expect(
      mismatches(
        { aFormat: 'mxint8', bFormat: 'mxfp6_e2m3', outFormat: 'bf16', rounding: 'rdown', latency: 3 },
        { kind: 'default' },
        4,
      ),
    ).toBe(0);
  });
  it('nvfp4 × nvfp4 → fp32 and bf16, default vectors', () => {
    expect(mismatches({ aFormat: 'nvfp4', bFormat: 'nvfp4', latency: 2 }, { kind: 'default' }, 5)).toBe(0);
    expect(
      mismatches(
        { aFormat: 'nvfp4', bFormat: 'nvfp4', outFormat: 'bf16', latency: 0 },
        { kind: 'default' },
        6,
      ),
    ).toBe(0);
  });
  it('DotGeneral: mxfp8_e5m2 × mxfp8_e4m3 → fp32 and nvfp4 → bf16, default vectors', () => {
    expect(
      mismatches({ aFormat: 'mxfp8_e5m2', accumulate: 'exact', latency: 0 }, { kind: 'default' }, 7),
    ).toBe(0);
    expect(
      mismatches(
        {
          aFormat: 'nvfp4',
          bFormat: 'nvfp4',
          outFormat: 'bf16',
          accumulate: 'exact',
          segment: '8',
          latency: 5,
        },
        { kind: 'default' },
        8,
      ),
    ).toBe(0);
  });
  for (const format of ['mxint8', 'nvfp4']) {
    it(`DotGeneral of ${format} at every latency`, () => {
      const points = mxDotCutPoints(format, format === 'nvfp4' ? 16 : 32, 'exact').length;
      for (let latency = 0; latency <= points; latency++)
        expect(
          mismatches(
            { aFormat: format, bFormat: format, accumulate: 'exact', latency },
            { kind: 'random', count: 150 },
            latency,
          ),
        ).toBe(0);
    });
  }
  // Every latency places a different set of cuts: each must leave the result unchanged.
  for (const format of ['mxfp4', 'nvfp4']) {
    it(`${format} at every latency`, () => {
      const points = dotCutPoints(format === 'nvfp4' ? 16 : 32, 'exact').length;
      for (let latency = 0; latency <= points; latency++)
        expect(
          mismatches({ aFormat: format, bFormat: format, latency }, { kind: 'random', count: 200 }, latency),
        ).toBe(0);
    });
  }
});

describe('mx_dot DotGeneral parameters', () => {
  it('takes maxBlocks and segment only with exact accumulation', () => {
    expect(() => parseParams(mxDot, { maxBlocks: 64 })).toThrow(
      /'maxBlocks' = 64 is not allowed: applies to accumulate 'exact' only/,
    );
    expect(() => parseParams(mxDot, { segment: '32' })).toThrow(/'segment' = "32" is not allowed/);
    expect(parseParams(mxDot, { accumulate: 'exact', maxBlocks: 64, segment: '32' }).maxBlocks).toBe(64);
  });
  it('sizes the accumulator for every scale and maxBlocks blocks', () => {
    // MX: the scales' sum spans 2^0 … 2^508 beyond the block sum's own bits; 12 carry bits for 4096.
    const accWidth = (raw: Record<string, unknown>) =>
      mxDot
        .build(parseParams(mxDot, { accumulate: 'exact', latency: 0, ...raw }))
        .registers.find((r) => r.name === 'acc_sum_q')!.type.width;
    expect(accWidth({ maxBlocks: 4096 }) - accWidth({ maxBlocks: 2 })).toBe(11);
    expect(accWidth({ maxBlocks: 2 })).toBeGreaterThan(508);
  });
});
