import { describe, expect, it } from 'vitest';
import { alignToUnit } from '../../testbenches/align-vectors.ts';
import { dotPlan } from '../../testbenches/plans/dot.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { dot, dotCutPoints } from './dot.ts';

describe('dot in the IR evaluator matches its golden model', () => {
  for (const raw of [
    { lanes: 4, latency: 0 },
    { lanes: 3, sum: 'tree', outFormat: 'bf16', latency: 1 },
    { lanes: 2, aFormat: 'fp16', bFormat: 'fp16', outFormat: 'fp16', rounding: 'rdown', latency: 2 },
    // Lane counts that are not powers of two: a term carried up a level still owes its +1.
    { lanes: 5, latency: 0 },
    { lanes: 7, aFormat: 'e5m2', bFormat: 'e4m3fn', outFormat: 'bf16', rounding: 'rup', latency: 0 },
    { lanes: 1, latency: 0 },
    // Every multiplier: Booth rows for wide and narrow significands, `*` for narrow ones.
    { lanes: 3, aFormat: 'bf16', bFormat: 'fp16', multiplier: 'booth4', latency: 0 },
    { lanes: 3, multiplier: 'booth4', latency: 1 },
    { lanes: 3, multiplier: 'behavioural', latency: 0 },
  ]) {
    it(JSON.stringify(raw), () => {
      const p = parseParams(dot, raw);
      const module = dot.build(p);
      const v = alignToUnit(dotPlan.vectors(p, { kind: 'default' }, 3), unitUnderTest(module, []));
      const got = runVectors(module, v.stimulus);
      expect(got.findIndex((row, i) => row[0] !== v.expected[i]![0])).toBe(-1);
    });
  }

  // Every latency places a different set of cuts (dotCutPoints): each must leave the sum unchanged,
  // with idle input cycles in between.
  for (const raw of [
    { lanes: 8, sum: 'exact' },
    { lanes: 5, sum: 'tree', outFormat: 'bf16' },
  ] as const) {
    const points = dotCutPoints(raw.lanes, raw.sum).length;
    it(`${JSON.stringify(raw)} at every latency from 0 to ${points}`, () => {
      for (let latency = 0; latency <= points; latency++) {
        const p = parseParams(dot, { ...raw, latency });
        const module = dot.build(p);
        const v = alignToUnit(
          dotPlan.vectors(p, { kind: 'random', count: 400 }, latency),
          unitUnderTest(module, []),
        );
        expect(module.timing.kind === 'pipelined' ? module.timing.latency : 0).toBe(latency);
        const got = runVectors(module, v.stimulus, { idle: (c) => c % 4 === 1 });
        expect(
          got.findIndex((row, i) => row[0] !== v.expected[i]![0]),
          `latency ${latency}`,
        ).toBe(-1);
      }
    });
  }

  it('refuses a latency beyond its cut points', () => {
    expect(dotCutPoints(8, 'exact')).toHaveLength(12);
    expect(() => parseParams(dot, { lanes: 8, latency: 13 })).toThrow(
      /'latency' = 13 is not allowed: must be at most 12 for 8 lanes with the exact sum: it has 12 cut points/,
    );
    expect(dotCutPoints(2, 'tree')).toHaveLength(6);
  });

  it('names its lanes and refuses out-of-range lane counts', () => {
    expect(dot.build(parseParams(dot, { lanes: 8 })).name).toBe('dot8_e4m3fn_e4m3fn_fp32_l2');
    expect(dot.build(parseParams(dot, { lanes: 8, multiplier: 'booth4' })).name).toBe(
      'dot8_e4m3fn_e4m3fn_fp32_booth4_l2',
    );
    expect(() => parseParams(dot, { lanes: 65 })).toThrow(
      /'lanes' = 65 is not allowed: must be an integer from 1 to 64/,
    );
  });
});
