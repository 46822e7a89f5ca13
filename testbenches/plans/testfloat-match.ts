import { formatByName, resolvePolicy } from '../../generators/formats/index.ts';
import { outputPolicy, type RoundingParams } from '../../generators/float-params.ts';

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
