import type { z } from 'zod';
import { dequant } from '../generators/dequant/dequant.ts';
import { fpAdd } from '../generators/float/fp_add.ts';
import { fpConvert } from '../generators/float/fp_convert.ts';
import { gemv } from '../generators/gemv/gemv.ts';
import { lutGemv } from '../generators/mpgemm/lut-gemv.ts';
import { bitserialGemv } from '../generators/mpgemm/bitserial-gemv.ts';
import type { Generator } from '../generators/generator.ts';
import { dot } from '../generators/mac/dot.ts';
import { fpMac } from '../generators/mac/fp_mac.ts';
import { intMac } from '../generators/mac/int_mac.ts';
import { mixedMac } from '../generators/mac/mixed_mac.ts';
import { mxDot } from '../generators/mac/mx_dot.ts';
import { fpMul } from '../generators/mul/fp_mul.ts';
import { intMul } from '../generators/mul/int_mul.ts';
import { lmul } from '../generators/mul/lmul.ts';
import { multiFpMul } from '../generators/mul/multi_fp_mul.ts';
import { reconfMul } from '../generators/mul/reconf_mul.ts';
import { quantize } from '../generators/quantize/quantize.ts';
import { bitserialGemvStreamingPlan, gemvStreamingPlan, lutGemvStreamingPlan } from './gemv-conformance.ts';
import { dequantPlan } from './plans/dequant.ts';
import { dotPlan } from './plans/dot.ts';
import { fpAddPlan } from './plans/fp_add.ts';
import { fpConvertPlan } from './plans/fp_convert.ts';
import { fpMacPlan } from './plans/fp_mac.ts';
import { fpMulPlan } from './plans/fp_mul.ts';
import { intMacPlan } from './plans/int_mac.ts';
import { intMulPlan } from './plans/int_mul.ts';
import { lmulPlan } from './plans/lmul.ts';
import { mixedMacPlan } from './plans/mixed_mac.ts';
import { mxDotPlan } from './plans/mx_dot.ts';
import { multiFpMulPlan } from './plans/multi_fp_mul.ts';
import type { VerificationPlan } from './plans/plan.ts';
import { reconfMulPlan } from './plans/reconf_mul.ts';
import { quantizePlan } from './plans/quantize.ts';
import type { StreamingPlan } from './streaming-plan.ts';

/**
 * A generator and how its units are checked: vector by vector with a plan whose expected values come
 * from a golden model, or, for a sequential (streaming) core, job by job.
 */
export type Verified =
  | { readonly generator: Generator; readonly plan: VerificationPlan<unknown> }
  | { readonly generator: Generator; readonly streaming: StreamingPlan };

/** Pair a generator with its plan; the plan must take the generator's own validated parameters. */
export function checkedBy<S extends z.ZodType>(
  generator: Generator<S>,
  plan: VerificationPlan<z.output<S>>,
): Verified {
  // The pairing is where the types meet; the registry holds every pair under one type.
  return { generator: generator as unknown as Generator, plan: plan as VerificationPlan<unknown> };
}

/** Every generator with its verification; `testbenches/registry.test.ts` checks that none is missing. */
export const VERIFIED: readonly Verified[] = [
  checkedBy(intMul, intMulPlan),
  checkedBy(intMac, intMacPlan),
  checkedBy(fpMul, fpMulPlan),
  checkedBy(lmul, lmulPlan),
  checkedBy(reconfMul, reconfMulPlan),
  checkedBy(multiFpMul, multiFpMulPlan),
  checkedBy(fpMac, fpMacPlan),
  checkedBy(fpAdd, fpAddPlan),
  checkedBy(fpConvert, fpConvertPlan),
  checkedBy(dot, dotPlan),
  checkedBy(mxDot, mxDotPlan),
  checkedBy(mixedMac, mixedMacPlan),
  checkedBy(dequant, dequantPlan),
  checkedBy(quantize, quantizePlan),
  { generator: gemv, streaming: gemvStreamingPlan },
  { generator: lutGemv, streaming: lutGemvStreamingPlan },
  { generator: bitserialGemv, streaming: bitserialGemvStreamingPlan },
];

/** How a generator's units are checked, by the generator's name. */
export function verificationOf(generator: string): Verified | undefined {
  return VERIFIED.find((v) => v.generator.name === generator);
}
