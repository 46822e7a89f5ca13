import { describe, expect, it } from 'vitest';
import { intMulPlan } from '../../testbenches/plans/int_mul.ts';
import { parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { intMul } from './int_mul.ts';

describe('int_mul in the IR evaluator matches its golden model', () => {
  for (const raw of [
    { aWidth: 5, bWidth: 4, latency: 0 },
    { aWidth: 4, bWidth: 5, aSigned: false, bSigned: true, latency: 1 },
    { aWidth: 4, bWidth: 4, aSigned: false, bSigned: false, latency: 3, ready: true },
  ]) {
    it(JSON.stringify(raw), () => {
      const p = parseParams(intMul, raw);
      const v = intMulPlan.vectors(p, { kind: 'exhaustive' }, 1);
      expect(runVectors(intMul.build(p), v.stimulus)).toEqual(v.expected);
    });
  }

  it('refuses backpressure on a combinational multiplier', () => {
    expect(() => parseParams(intMul, { latency: 0, ready: true })).toThrow(
      /'ready' = true is not allowed: .*latency 1 or more/,
    );
  });
});
