import { z } from 'zod';

/**
 * RaZeR special values (generators/formats/razer.ts) are E2M1 values with one fraction bit; twice a
 * special value must fit the 8-bit signed weight of the datapaths that multiply it: −64 … 63.5.
 */
export const SPECIAL_VALUE_RANGE = { min: -64, max: 63.5 } as const;

/** Why a list of special values does not fit, or undefined when it does. */
function specialValueProblem(values: readonly number[]): string | undefined {
  const { min, max } = SPECIAL_VALUE_RANGE;
  for (const [i, v] of values.entries()) {
    if (!Number.isInteger(v * 2)) {
      return `entry ${i} (${v}) is not a multiple of 0.5: RaZeR special values are multiples of 0.5 (one fraction bit)`;
    }
    if (v < min || v > max) {
      return `entry ${i} (${v}) is outside ${min} … ${max}: twice a special value must fit an 8-bit signed weight`;
    }
  }
  return undefined;
}

/** The RaZeR special value of each 2-bit sv index, in E2M1 units: one rule for every generator. */
export function specialValuesParam() {
  return z
    .array(z.number({ error: 'must be a finite number' }))
    .length(4, { error: 'needs exactly 4 values, one per 2-bit sv index' })
    .superRefine((values, ctx) => {
      const problem = specialValueProblem(values);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    });
}
