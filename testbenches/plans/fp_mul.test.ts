// fp_mul's default vectors take TestFloat's cases for the unit's own rounding mode and tininess rule,
// so `bitsmith verify fp_mul_fp16 --set rounding=rtz` checks the unit against TestFloat in that mode.

import { describe, expect, it } from 'vitest';
import { parseParams } from '../../generators/generator.ts';
import { runVectors } from '../../generators/hdl/evaluate.ts';
import { fpMul } from '../../generators/mul/fp_mul.ts';
import { fpMulPlan } from './fp_mul.ts';

const fp16 = { aFormat: 'fp16', bFormat: 'fp16', outFormat: 'fp16', flags: true };
const vectors = (raw: Record<string, unknown>) =>
  fpMulPlan.vectors(parseParams(fpMul, { ...fp16, ...raw }), { kind: 'default' }, 1);

describe("fp_mul's default vectors follow the unit's rounding mode", () => {
  it.each([
    ['rne', 'after', 'TestFloat f16_mul cases'],
    ['rtz', 'after', 'TestFloat f16_mul cases (minMag, tininess after rounding)'],
    ['rup', 'before', 'TestFloat f16_mul cases (max, tininess before rounding)'],
  ])('%s, tininess %s: %s', (rounding, tininess, description) => {
    const set = vectors({ rounding, tininess });
    expect(set.description).toContain(description);
  });

  it('the set of one mode fails a unit built for another', () => {
    const rtz = vectors({ rounding: 'rtz' });
    const rne = fpMul.build(parseParams(fpMul, { ...fp16, rounding: 'rne', latency: 0 }));
    const got = runVectors(rne, rtz.stimulus);
    const wrong = got.filter((row, i) => row.some((v, j) => v !== rtz.expected[i]![j])).length;
    expect(wrong).toBeGreaterThan(1000);
    const rtzUnit = fpMul.build(parseParams(fpMul, { ...fp16, rounding: 'rtz', latency: 0 }));
    expect(runVectors(rtzUnit, rtz.stimulus)).toEqual(rtz.expected);
  });
});
