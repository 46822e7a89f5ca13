import { intMacPlan } from './int_mac.ts';
import { intMulPlan } from './int_mul.ts';
import { fpMulPlan } from './fp_mul.ts';
import { lmulPlan } from './lmul.ts';
import type { VerificationPlan } from './plan.ts';

const plans: VerificationPlan<never>[] = [
  intMulPlan,
  intMacPlan,
  fpMulPlan,
  lmulPlan,
] as VerificationPlan<never>[];

/** The verification plan of a generator, by the generator's name. */
export function planFor(generator: string): VerificationPlan<unknown> {
  const plan = plans.find((p) => p.generator === generator);
  if (plan === undefined) throw new Error(`no verification plan for generator '${generator}'`);
  return plan as VerificationPlan<unknown>;
}
