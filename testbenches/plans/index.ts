import { verificationOf } from '../registry.ts';
import type { VerificationPlan } from './plan.ts';

/** The verification plan of a generator checked vector by vector, by the generator's name. */
export function planFor(generator: string): VerificationPlan<unknown> {
  const verified = verificationOf(generator);
  if (verified === undefined || !('plan' in verified))
    throw new Error(`no verification plan for generator '${generator}'`);
  return verified.plan;
}
