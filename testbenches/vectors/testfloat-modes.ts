// TestFloat's mul and mulAdd vectors in every IEEE rounding mode and both tininess rules, carried in
// testbenches/vectors/external/testfloat-modes/ (origin and line format in that folder's README).

import { hasVectorFile } from '../../generators/formats/conformance/fixtures.ts';
import { testFloatCases, type TestFloatCase } from './external.ts';

/** TestFloat's rounding-mode names (`testfloat_gen -r...`) and the bitsmith rounding each one is. */
export const TESTFLOAT_ROUNDINGS = {
  near_even: 'rne',
  near_maxMag: 'rna',
  minMag: 'rtz',
  min: 'rdown',
  max: 'rup',
} as const;

export type TestFloatRounding = keyof typeof TESTFLOAT_ROUNDINGS;
export type Tininess = 'before' | 'after';
export type TestFloatModeOp = 'f16_mul' | 'f32_mul' | 'f16_mulAdd' | 'f32_mulAdd';

export const TESTFLOAT_MODE_OPS: readonly TestFloatModeOp[] = [
  'f16_mul',
  'f32_mul',
  'f16_mulAdd',
  'f32_mulAdd',
];
export const TININESS_RULES: readonly Tininess[] = ['before', 'after'];

/** Every rounding mode with both tininess rules: the ten configurations each operation has files for. */
export const TESTFLOAT_MODES: readonly { rounding: TestFloatRounding; tininess: Tininess }[] = (
  Object.keys(TESTFLOAT_ROUNDINGS) as TestFloatRounding[]
).flatMap((rounding) => TININESS_RULES.map((tininess) => ({ rounding, tininess })));

/** The files of one operation: TestFloat's level-1 set, then (f16 only) the set near the underflow threshold. */
function testFloatModeFiles(op: TestFloatModeOp, rounding: TestFloatRounding, tininess: Tininess): string[] {
  const sets = op.startsWith('f16') ? [op, `${op}_tiny`] : [op];
  return sets.map((set) => `${set}_${rounding}_${tininess}`);
}

/** The cases of one operation in one configuration, every file of it in order. */
export function testFloatModeCases(
  op: TestFloatModeOp,
  rounding: TestFloatRounding,
  tininess: Tininess,
): TestFloatCase[] {
  return testFloatModeFiles(op, rounding, tininess).flatMap((file) =>
    testFloatCases(file, 'testfloat-modes'),
  );
}

/**
 * Whether this copy carries the files of a configuration: a repository checkout does; the npm package
 * leaves testfloat-modes/ out (5.6 MB), and its units then verify on their other vector sets.
 */
export function hasTestFloatModeCases(
  op: TestFloatModeOp,
  rounding: TestFloatRounding,
  tininess: Tininess,
): boolean {
  return testFloatModeFiles(op, rounding, tininess).every((file) =>
    hasVectorFile(`testfloat-modes/${file}.txt`),
  );
}
