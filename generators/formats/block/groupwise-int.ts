// Asymmetric group-wise INT-n with an FP16 scale and an integer zero point (AWQ/GPTQ,
// docs/w4a16.md#asymmetric-quantization): per group of G consecutive values,
//   s = fp16(max(max_w - min_w, 1e-5) / (2^n - 1)),  z = clamp(-round(min_w / s), 0, 2^n - 1),
//   q = clamp(round(w / s) + z, 0, 2^n - 1),          ŵ = (q - z) · s.
// Divisions are exact and rounded once (round = RNE, as torch.round); the reference code computes them
// in fp16/fp32, which can differ on near-ties.

import { z } from 'zod';
import { decode, encodeQuotient } from '../codec.ts';
import { dyadicAdd, dyadicMul } from '../dyadic.ts';
import type { IntFormat } from '../format.ts';
import { intOfCode } from '../int-codec.ts';
import { formatByName } from '../presets.ts';
import { compareFinite, integer, negate, type ExactValue, type FiniteValue } from '../value.ts';
import { fromNumber } from '../value-number.ts';

export const groupwiseIntOptionsSchema = z
  .object({
    bits: z.int().min(2).max(8).default(4),
    groupSize: z.int().min(1).default(128),
  })
  .strict();
export type GroupwiseIntOptions = z.input<typeof groupwiseIntOptionsSchema>;

export interface IntGroup {
  /** FP16 code of the scale s. */
  readonly scaleCode: number;
  /** Integer zero point z in [0, 2^bits - 1]. */
  readonly zero: number;
  /** Unsigned codes q in [0, 2^bits - 1]. */
  readonly codes: readonly number[];
}

const FP16 = formatByName('fp16');
const INT32 = formatByName('int32') as IntFormat;
const MIN_RANGE = fromNumber(1e-5) as FiniteValue;
const RNE = { rounding: 'rne', overflow: 'saturate' } as const;

function clamp(n: number, low: number, high: number): number {
  return Math.min(Math.max(n, low), high);
}

/** round(a / b) as an integer (RNE). */
function roundedQuotient(a: FiniteValue, b: FiniteValue): number {
  return intOfCode(INT32, encodeQuotient(INT32, a, b, RNE).code);
}

function quantizeGroup(values: readonly FiniteValue[], bits: number): IntGroup {
  const qmax = 2 ** bits - 1;
  const max = values.reduce((m, v) => (compareFinite(v, m) > 0 ? v : m));
  const min = values.reduce((m, v) => (compareFinite(v, m) < 0 ? v : m));
  const spread = dyadicAdd(max, negate(min) as FiniteValue);
  const range = compareFinite(spread, MIN_RANGE) < 0 ? MIN_RANGE : spread;
  const scaleCode = encodeQuotient(FP16, range, integer(qmax), RNE).code;
  const scale = decode(FP16, scaleCode) as FiniteValue;
  const zero = clamp(-roundedQuotient(min, scale), 0, qmax);
  const codes = values.map((w) => clamp(roundedQuotient(w, scale) + zero, 0, qmax));
  return { scaleCode, zero, codes };
}

/** Quantizes consecutive groups of finite values (the last group may be shorter). */
export function quantizeGroupwiseInt(
  values: readonly (ExactValue | number)[],
  options: GroupwiseIntOptions = {},
): IntGroup[] {
  const { bits, groupSize } = groupwiseIntOptionsSchema.parse(options);
  const exact = values.map((v) => (typeof v === 'number' ? fromNumber(v) : v));
  const bad = exact.findIndex((v) => v.kind !== 'finite');
  if (bad >= 0) throw new Error(`quantizeGroupwiseInt: value ${bad} is not finite`);
  const groups: IntGroup[] = [];
  for (let i = 0; i < exact.length; i += groupSize)
    groups.push(quantizeGroup(exact.slice(i, i + groupSize) as FiniteValue[], bits));
  return groups;
}

/** ŵ = (q - z) · s, exactly. */
export function dequantizeIntGroup(group: IntGroup): FiniteValue[] {
  const scale = decode(FP16, group.scaleCode) as FiniteValue;
  return group.codes.map((q) => dyadicMul(integer(q - group.zero), scale));
}
