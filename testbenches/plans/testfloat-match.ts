import { formatByName, resolvePolicy, type ResolvedPolicy } from '../../generators/formats/index.ts';
import { outputPolicy, type RoundingParams } from '../../generators/float-params.ts';
import { testFloatCases, type TestFloatCase } from '../vectors/external.ts';
import {
  hasTestFloatModeCases,
  TESTFLOAT_ROUNDINGS,
  testFloatModeCases,
  type TestFloatModeOp,
  type TestFloatRounding,
} from '../vectors/testfloat-modes.ts';

/** A two-operand float unit's formats and policy, as TestFloat's files fix them. */
interface TwoOperandUnit extends RoundingParams {
  aFormat: string;
  bFormat: string;
  outFormat: string;
  inputSubnormals: string;
}

/**
 * The TestFloat file (`f16_<op>` or `f32_<op>`) that checks a unit, when the unit is configured
 * exactly as TestFloat runs: one format throughout, RNE, IEEE overflow, subnormals kept, tininess
 * after rounding, canonical NaN. Otherwise undefined.
 */
export function testFloatFileFor(p: TwoOperandUnit, operation: string): string | undefined {
  const prefix = ({ fp16: 'f16', fp32: 'f32' } as Record<string, string>)[p.outFormat];
  if (prefix === undefined || p.aFormat !== p.outFormat || p.bFormat !== p.outFormat) return undefined;
  if (p.inputSubnormals !== 'keep') return undefined;
  const policy = resolvePolicy(formatByName(p.outFormat), outputPolicy(p));
  const sameAsTestFloat =
    policy.rounding === 'rne' &&
    policy.overflow === 'ieee' &&
    policy.subnormals === 'keep' &&
    policy.tininess === 'after' &&
    policy.nan === 'canonical';
  return sameAsTestFloat ? `${prefix}_${operation}` : undefined;
}

/** TestFloat's lines for a unit, and what they are for a report ('46464 TestFloat f16_mul cases'). */
export interface TestFloatSet {
  cases: TestFloatCase[];
  description: string;
}

/**
 * TestFloat's cases of `operation` ('mul' or 'mulAdd') for an fp16 or fp32 unit of one format with
 * IEEE overflow and subnormals kept: TestFloat's level-1 file (testfloat/) in RNE with tininess after
 * rounding, as TestFloat runs by default; in another of its five rounding modes or with tininess
 * before rounding, that configuration's files (testfloat-modes/, the f16 ones with the set near the
 * underflow threshold). Undefined for any other unit.
 */
export function testFloatSetFor(
  format: string,
  operation: 'mul' | 'mulAdd',
  policy: ResolvedPolicy,
): TestFloatSet | undefined {
  const prefix = ({ fp16: 'f16', fp32: 'f32' } as Record<string, 'f16' | 'f32'>)[format];
  if (prefix === undefined || policy.overflow !== 'ieee' || policy.subnormals !== 'keep') return undefined;
  const op: TestFloatModeOp = `${prefix}_${operation}`;
  if (policy.rounding === 'rne' && policy.tininess === 'after') {
    const cases = testFloatCases(op);
    return { cases, description: `${cases.length} TestFloat ${op} cases` };
  }
  const rounding = (Object.keys(TESTFLOAT_ROUNDINGS) as TestFloatRounding[]).find(
    (name) => TESTFLOAT_ROUNDINGS[name] === policy.rounding,
  );
  if (rounding === undefined || !hasTestFloatModeCases(op, rounding, policy.tininess)) return undefined;
  const cases = testFloatModeCases(op, rounding, policy.tininess);
  return {
    cases,
    description: `${cases.length} TestFloat ${op} cases (${rounding}, tininess ${policy.tininess} rounding)`,
  };
}
