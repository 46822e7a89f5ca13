import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../flows/target.ts';
import type { FpAddParams } from '../../generators/float/fp_add.ts';
import { fpAddPlan } from './fp_add.ts';

const add = (raw: Record<string, unknown>) => resolveTarget('fp_add', raw).params as FpAddParams;

describe('the fp_add plan', () => {
  it('runs every pair of two 8-bit formats, both operations with a sub input', () => {
    const v = fpAddPlan.vectors(
      add({ aFormat: 'e4m3fn', bFormat: 'e5m2', outFormat: 'fp16', operation: 'input' }),
      { kind: 'default' },
      1,
    );
    expect(v.stimulus).toHaveLength(2 * 65_536);
    expect(new Set(v.stimulus.map((s) => s.join(':'))).size).toBe(2 * 65_536);
  });

  it('adds TestFloat f16_add to fp16 units, with b negated for a subtraction', () => {
    const sum = fpAddPlan.vectors(
      add({ aFormat: 'fp16', bFormat: 'fp16', outFormat: 'fp16' }),
      { kind: 'default' },
      1,
    );
    const diff = fpAddPlan.vectors(
      add({ aFormat: 'fp16', bFormat: 'fp16', outFormat: 'fp16', operation: 'subtract' }),
      { kind: 'default' },
      1,
    );
    expect(sum.description).toMatch(/46464 TestFloat f16_add cases/);
    // The TestFloat part follows the 34 × 34 corner pairs; its b differs by the sign bit, its expected results do not.
    const at = 34 * 34;
    expect(diff.stimulus[at]![1]! ^ sum.stimulus[at]![1]!).toBe(0x8000n);
    expect(diff.expected[at]).toEqual(sum.expected[at]);
  });
});
