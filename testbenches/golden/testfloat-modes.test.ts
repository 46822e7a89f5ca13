// The golden models of fp_mul and of fp_mac's FMA form against Berkeley TestFloat 3e in every rounding
// mode and both tininess rules (testfloat-modes/ in testbenches/vectors/external/README.md): result
// and flags of every line, f16 and f32.

import { describe, expect, it } from 'vitest';
import { TESTFLOAT_POLICY } from '../../generators/formats/reference-policies.ts';
import type { Policy } from '../../generators/formats/index.ts';
import {
  TESTFLOAT_MODE_OPS,
  TESTFLOAT_MODES,
  TESTFLOAT_ROUNDINGS,
  testFloatModeCases,
  type TestFloatModeOp,
  type TestFloatRounding,
  type Tininess,
} from '../vectors/testfloat-modes.ts';
import { fpMacGolden } from './fp_mac.ts';
import { fpMulGolden, type FloatResult } from './fp_mul.ts';

const FORMAT = { f16: 'fp16', f32: 'fp32' } as const;
/** Lines per configuration: level 1, plus the near-threshold set for f16 (the folder's README). */
const LINES: Record<TestFloatModeOp, number> = {
  f16_mul: 9_293 + 17_100,
  f32_mul: 9_293,
  f16_mulAdd: 9_973 + 17_100,
  f32_mulAdd: 9_973,
};

/** SoftFloat's policy (canonical NaN, IEEE overflow, subnormals kept) with this rounding and tininess. */
function policyOf(rounding: TestFloatRounding, tininess: Tininess): Policy {
  return { ...TESTFLOAT_POLICY, rounding: TESTFLOAT_ROUNDINGS[rounding], tininess };
}

/** The golden model of the unit that computes `op`: fp_mul, or fp_mac without an accumulator (an FMA). */
function golden(op: TestFloatModeOp, policy: Policy): (operands: number[]) => FloatResult {
  const format = FORMAT[op.slice(0, 3) as keyof typeof FORMAT];
  if (op.endsWith('_mul')) {
    const spec = {
      aFormat: format,
      bFormat: format,
      outFormat: format,
      policy,
      inputSubnormals: 'keep' as const,
    };
    return ([a, b]) => fpMulGolden(spec, a!, b!);
  }
  const spec = { aFormat: format, bFormat: format, accFormat: format, accumulator: 'none' as const, policy };
  return ([a, b, c]) => fpMacGolden(spec, [{ a: a!, b: b!, c: c!, clear: true }])[0]!;
}

const CASES = TESTFLOAT_MODE_OPS.flatMap((op) =>
  TESTFLOAT_MODES.map((m) => [op, m.rounding, m.tininess] as const),
);

describe('golden models against TestFloat in every rounding mode', () => {
  it.each(CASES)('%s, %s, tininess %s: result and flags of every line', (op, rounding, tininess) => {
    const cases = testFloatModeCases(op, rounding, tininess);
    expect(cases).toHaveLength(LINES[op]);
    const model = golden(op, policyOf(rounding, tininess));
    const failures: string[] = [];
    for (const c of cases) {
      const got = model(c.operands);
      if (got.code === c.result && got.flags === c.flags) continue;
      const hex = (n: number) => n.toString(16).toUpperCase();
      if (failures.push(`${c.operands.map(hex).join(' ')}: got ${hex(got.code)}/${hex(got.flags)}`) >= 5)
        break;
    }
    expect(failures).toEqual([]);
  });

  // The near-threshold sets are what tell the two tininess rules apart: their expected underflow flags
  // must differ, or the 'before' runs above would check nothing that 'after' does not. Rounding toward
  // zero is the exception: it never carries a tiny result up to the smallest normal, so the rules agree.
  it.each(Object.keys(TESTFLOAT_ROUNDINGS) as TestFloatRounding[])(
    'f16 near-threshold sets, %s: the tininess rules differ in the underflow flag alone',
    (rounding) => {
      for (const op of ['f16_mul', 'f16_mulAdd'] as const) {
        const before = testFloatModeCases(op, rounding, 'before');
        const after = testFloatModeCases(op, rounding, 'after');
        expect(before.map((c) => c.result)).toEqual(after.map((c) => c.result));
        // Flag bytes that differ, as XORs: only the underflow bit (0x02) may.
        const differences = before.map((c, i) => c.flags ^ after[i]!.flags).filter((x) => x !== 0);
        expect(new Set(differences)).toEqual(new Set(rounding === 'minMag' ? [] : [0x02]));
      }
    },
  );
});
