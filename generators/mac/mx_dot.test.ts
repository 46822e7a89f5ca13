import { describe, expect, it } from 'vitest';
import { alignToUnit } from '../../testbenches/align-vectors.ts';
import { mxDotPlan } from '../../testbenches/plans/mx_dot.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { dotCutPoints } from './dot.ts';
import { mxDot } from './mx_dot.ts';

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
