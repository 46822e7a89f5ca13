// Per-group choice among codebooks (RaZeR's special value, docs/razer.md#choosing-the-special-value;
// BitMoD's data type, docs/bitmod.md#per-group-selection):
// for each candidate, scale = fp16(absmax / max|candidate|), quantize, and keep the candidate with the
// smallest squared error (exact; ties go to the lower index). The index is the group's metadata.

import { z } from 'zod';
import { decode, encode, encodeQuotient } from '../codec.ts';
import { dyadicAdd, dyadicMul } from '../dyadic.ts';
import type { CodebookFormat } from '../format.ts';
import { formatByName } from '../presets.ts';
import { ROUNDING_MODES } from '../rounding.ts';
import {
  compareFinite,
  compareMagnitudes,
  finite,
  negate,
  type ExactValue,
  type FiniteValue,
} from '../value.ts';
import { fromNumber } from '../value-number.ts';

export const codebookGroupOptionsSchema = z
  .object({
    /** Element rounding; research quantizers tie to the lower value ('rnd'). */
    rounding: z.enum(ROUNDING_MODES).default('rne'),
  })
  .strict();
export type CodebookGroupOptions = z.input<typeof codebookGroupOptionsSchema>;

export interface CodebookGroup {
  /** Which candidate codebook the group uses (RaZeR `mod`, BitMoD type). */
  readonly index: number;
  /** FP16 code of the group scale. */
  readonly scaleCode: number;
  readonly codes: readonly number[];
}

const FP16 = formatByName('fp16');
const ZERO = finite(0, 0n, 0);

function largestMagnitude(values: readonly FiniteValue[]): FiniteValue {
  const amax = values.reduce((m, v) => (compareMagnitudes(v, m) > 0 ? v : m), ZERO);
  return finite(0, amax.sig, amax.exp);
}

function codebookMagnitude(candidate: CodebookFormat): FiniteValue {
  return largestMagnitude(
    candidate.values.filter((v): v is number => v !== null).map((v) => fromNumber(v) as FiniteValue),
  );
}

function squaredError(values: readonly FiniteValue[], decoded: readonly FiniteValue[]): FiniteValue {
  return values.reduce((sum, v, i) => {
    const diff = dyadicAdd(v, negate(decoded[i]!) as FiniteValue);
    return dyadicAdd(sum, dyadicMul(diff, diff));
  }, ZERO);
}

function dequantize(candidate: CodebookFormat, scale: FiniteValue, codes: readonly number[]): FiniteValue[] {
  return codes.map((c) => dyadicMul(decode(candidate, c) as FiniteValue, scale));
}

/** Quantizes one group of finite values with the best of the candidate codebooks. */
export function quantizeCodebookGroup(
  values: readonly (ExactValue | number)[],
  candidates: readonly CodebookFormat[],
  options: CodebookGroupOptions = {},
): CodebookGroup {
  const { rounding } = codebookGroupOptionsSchema.parse(options);
  const exact = values.map((v) => (typeof v === 'number' ? fromNumber(v) : v));
  if (exact.some((v) => v.kind !== 'finite')) throw new Error('quantizeCodebookGroup: values must be finite');
  const finiteValues = exact as FiniteValue[];
  const amax = largestMagnitude(finiteValues);
  if (amax.sig === 0n)
    return { index: 0, scaleCode: 0, codes: finiteValues.map(() => encode(candidates[0]!, ZERO).code) };

  let best: { group: CodebookGroup; error: FiniteValue } | undefined;
  candidates.forEach((candidate, index) => {
    const scaleCode = encodeQuotient(FP16, amax, codebookMagnitude(candidate), {
      rounding: 'rne',
      overflow: 'saturate',
    }).code;
    const scale = decode(FP16, scaleCode) as FiniteValue;
    const codes = finiteValues.map((v) => encodeQuotient(candidate, v, scale, { rounding }).code);
    const error = squaredError(finiteValues, dequantize(candidate, scale, codes));
    if (!best || compareFinite(error, best.error) < 0) best = { group: { index, scaleCode, codes }, error };
  });
  return best!.group;
}

/** Exact values code · scale of a group. */
export function dequantizeCodebookGroup(
  group: CodebookGroup,
  candidates: readonly CodebookFormat[],
): FiniteValue[] {
  return dequantize(candidates[group.index]!, decode(FP16, group.scaleCode) as FiniteValue, group.codes);
}
