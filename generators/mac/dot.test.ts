import { describe, expect, it } from 'vitest';
import { dotPlan } from '../../testbenches/plans/dot.ts';
import { parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { dot } from './dot.ts';

describe('dot in the IR evaluator matches its golden model', () => {
  for (const raw of [
    { lanes: 4, latency: 0 },
    { lanes: 3, sum: 'tree', outFormat: 'bf16', latency: 1 },
    { lanes: 2, aFormat: 'fp16', bFormat: 'fp16', outFormat: 'fp16', rounding: 'rdown', latency: 2 },
  ]) {
    it(JSON.stringify(raw), () => {
      const p = parseParams(dot, raw);
      const v = dotPlan.vectors(p, { kind: 'default' }, 3);
      const got = runVectors(dot.build(p), v.stimulus);
      expect(got.findIndex((row, i) => row[0] !== v.expected[i]![0])).toBe(-1);
    });
  }

  it('names its lanes and refuses out-of-range lane counts', () => {
    expect(dot.build(parseParams(dot, { lanes: 8 })).name).toBe('dot8_e4m3fn_e4m3fn_fp32_l2');
    expect(() => parseParams(dot, { lanes: 65 })).toThrow(
      /'lanes' = 65 is not allowed: must be an integer from 1 to 64/,
    );
  });
});
