import { dotPlan } from './dot.ts';
import { fpAddPlan } from './fp_add.ts';
import { fpConvertPlan } from './fp_convert.ts';
import { fpMacPlan } from './fp_mac.ts';
import { dequantPlan } from './dequant.ts';
import { fpMulPlan } from './fp_mul.ts';
import { intMacPlan } from './int_mac.ts';
import { intMulPlan } from './int_mul.ts';
import { lmulPlan } from './lmul.ts';
import { mixedMacPlan } from './mixed_mac.ts';
import { multiFpMulPlan } from './multi_fp_mul.ts';
import type { VerificationPlan } from './plan.ts';
import { reconfMulPlan } from './reconf_mul.ts';

// One entry per generator; the order does not matter.
const plans = [
  intMulPlan,
  intMacPlan,
  fpMulPlan,
  lmulPlan,
  reconfMulPlan,
  multiFpMulPlan,
  dequantPlan,
  fpMacPlan,
  dotPlan,
  mixedMacPlan,
  fpAddPlan,
  fpConvertPlan,
] as unknown as VerificationPlan<unknown>[];

/** The verification plan of a generator, by the generator's name. */
export function planFor(generator: string): VerificationPlan<unknown> {
  const plan = plans.find((p) => p.generator === generator);
  if (plan === undefined) throw new Error(`no verification plan for generator '${generator}'`);
  return plan;
}
