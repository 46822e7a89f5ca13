// Per-group choice among codebooks (RaZeR's special value, docs/razer.md#choosing-the-special-value;
// BitMoD's data type, docs/bitmod.md#per-group-selection):
// for each candidate, scale = fp16(absmax / max|candidate|), quantize, and keep the candidate with the
// smallest squared error (exact; ties go to the lower index). The index is the group's metadata.

import { z } from 'zod';
import { bitLength } from '../bigint-bits.ts';
import { codebookTable, encodeCodebookByComparison } from '../codebook-codec.ts';
import { decode, encode, encodeQuotient } from '../codec.ts';
import { dyadicAdd, dyadicMul } from '../dyadic.ts';
import type { CodebookFormat } from '../format.ts';
import { resolvePolicy } from '../policy.ts';
import { formatByName } from '../presets.ts';
import { ROUNDING_MODES, type RoundingMode } from '../rounding.ts';
import {
  compareFinite,
  compareMagnitudes,
  finite,
  negate,
  type ExactValue,
  type FiniteValue,
} from '../value.ts';
import { fromNumber, toNumber } from '../value-number.ts';

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
const SATURATE_RNE = { rounding: 'rne', overflow: 'saturate' } as const;

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
    const scaleCode = encodeQuotient(FP16, amax, codebookMagnitude(candidate), SATURATE_RNE).code;
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

// The fast path: the same choice with double arithmetic, each step exact or checked.
// - Elements: x / s against a codebook point p is x against p·s. A point has at most 42 significant bits
//   and an FP16 scale at most 11, so p·s is exactly a double (their range checked below) and comparing
//   doubles decides each comparison the codec makes; the codec's result is a function of where x falls
//   (the point index, whether it equals that point, x's sign), tabulated once per candidate from
//   encodeCodebookByComparison itself, so ties follow the codec's rule.
// - Errors: Σ(x − a)² − Σ(x − b)² = Σ (b − a)(2x − a − b) over the elements where a ≠ b, summed in
//   doubles with a rigorous error bound; when the bound cannot decide the sign, exact dyadic sums do.

interface PreparedCandidate {
  readonly magnitude: FiniteValue;
  /** Sorted values and midpoints (the codec's points), as doubles. */
  readonly points: Float64Array;
  /** The chosen value, by ((lo + 1) · 2 + equal) · 2 + sign (lo: last point <= x, -1 if none). */
  readonly outcome: Float64Array;
}

const prepared = new WeakMap<readonly CodebookFormat[], Map<string, PreparedCandidate[] | null>>();

/** Whether p·s is exactly a double for every FP16 s in [2^-24, 65504]. */
function fp16ProductsExact(points: readonly FiniteValue[]): boolean {
  return points.every((p) => {
    if (p.sig === 0n) return true;
    const bits = bitLength(p.sig);
    return bits <= 42 && p.exp >= -998 && p.exp + bits <= 1000;
  });
}

function prepare(candidates: readonly CodebookFormat[], rounding: RoundingMode): PreparedCandidate[] | null {
  let byRounding = prepared.get(candidates);
  if (!byRounding) prepared.set(candidates, (byRounding = new Map()));
  let result = byRounding.get(rounding);
  if (result !== undefined) return result;
  result = [];
  for (const candidate of candidates) {
    const table = codebookTable(candidate);
    if (!table.pointDoubles || !fp16ProductsExact(table.points)) {
      result = null;
      break;
    }
    const policy = resolvePolicy(candidate, { rounding });
    const count = table.points.length;
    const outcome = new Float64Array((count + 1) * 4);
    for (let lo = -1; lo < count; lo++)
      for (const equal of [0, 1])
        for (const sign of [0, 1] as const) {
          const compare = (i: number) => (i < lo ? 1 : i > lo ? -1 : equal ? 0 : 1);
          const { code } = encodeCodebookByComparison(table, sign, compare, policy);
          outcome[((lo + 1) * 2 + equal) * 2 + sign] = toNumber(decode(candidate, code));
        }
    result.push({ magnitude: codebookMagnitude(candidate), points: table.pointDoubles, outcome });
  }
  byRounding.set(rounding, result);
  return result;
}

/** Whether Σ(x − a)² < Σ(x − b)² over x[from..from+n), a[0..n), b[0..n), exactly. */
function lessSquaredError(
  x: Float64Array,
  from: number,
  a: Float64Array,
  b: Float64Array,
  n: number,
): boolean {
  let sum = 0;
  let size = 0;
  let differ = 0;
  for (let i = 0; i < n; i++) {
    const ai = a[i]!;
    const bi = b[i]!;
    if (ai === bi) continue;
    const ea = x[from + i]! - ai;
    const eb = x[from + i]! - bi;
    const d = bi - ai;
    sum += d * (ea + eb);
    size += Math.abs(d) * (Math.abs(ea) + Math.abs(eb));
    differ++;
  }
  if (differ === 0) return false;
  // Each term has relative error at most 5u against |b − a|(|x − a| + |x − b|), the recursive sum adds
  // (n − 1)u of the same total; underflow adds at most 2^-1075 per product. The bound takes 8× of that.
  const bound = (differ + 8) * 2 ** -50 * size + differ * 2 ** -1070;
  if (Math.abs(sum) > bound) return sum < 0;
  let exact: FiniteValue = ZERO;
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) continue;
    const xi = fromNumber(x[from + i]!) as FiniteValue;
    const ea = dyadicAdd(xi, negate(fromNumber(a[i]!)) as FiniteValue);
    const eb = dyadicAdd(xi, negate(fromNumber(b[i]!)) as FiniteValue);
    exact = dyadicAdd(exact, dyadicAdd(dyadicMul(ea, ea), negate(dyadicMul(eb, eb)) as FiniteValue));
  }
  return exact.sig !== 0n && exact.sign === 1;
}

/**
 * Dequantized values of `values` in groups of `groupSize` (the last may be shorter), each group with its
 * best candidate: the same doubles as quantizeCodebookGroup then dequantizeCodebookGroup per group
 * (rounded to the nearest double, which they are exactly), in double arithmetic.
 */
export function quantizeDequantizeCodebookGroups(
  values: Float64Array,
  groupSize: number,
  candidates: readonly CodebookFormat[],
  options: CodebookGroupOptions = {},
): Float64Array {
  const { rounding } = codebookGroupOptionsSchema.parse(options);
  if (!Number.isSafeInteger(groupSize) || groupSize < 1)
    throw new Error(`group size ${groupSize} is not allowed: use a positive integer`);
  const out = new Float64Array(values.length);
  const fast = prepare(candidates, rounding);
  const trials = candidates.map(() => new Float64Array(groupSize));
  const thresholds = new Float64Array(Math.max(...(fast ?? []).map((c) => c.points.length), 0));
  for (let start = 0; start < values.length; start += groupSize) {
    const n = Math.min(groupSize, values.length - start);
    let amax = 0;
    for (let i = start; i < start + n; i++) {
      const m = Math.abs(values[i]!);
      if (!(m <= Number.MAX_VALUE)) throw new Error('quantizeCodebookGroup: values must be finite');
      if (m > amax) amax = m;
    }
    const scales = fast && amax > 0 ? groupScales(fast, fromNumber(amax) as FiniteValue) : undefined;
    if (!fast || !scales) {
      // All zero, or a scale that rounds to zero: the straightforward path.
      const group = quantizeCodebookGroup(Array.from(values.subarray(start, start + n)), candidates, options);
      dequantizeCodebookGroup(group, candidates).forEach((v, i) => (out[start + i] = toNumber(v)));
      continue;
    }
    let best = 0;
    for (let k = 0; k < fast.length; k++) {
      const { points, outcome } = fast[k]!;
      const s = scales[k]!;
      const q = trials[k]!;
      const last = points.length - 1;
      for (let j = 0; j <= last; j++) thresholds[j] = points[j]! * s;
      for (let i = 0; i < n; i++) {
        const x = values[start + i]!;
        let lo = -1;
        let hi = last;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (x >= thresholds[mid]!) lo = mid;
          else hi = mid - 1;
        }
        const equal = lo >= 0 && x === thresholds[lo] ? 1 : 0;
        const sign = x < 0 || (x === 0 && 1 / x < 0) ? 1 : 0;
        q[i] = outcome[((lo + 1) * 2 + equal) * 2 + sign]! * s;
      }
      if (k > 0 && lessSquaredError(values, start, q, trials[best]!, n)) best = k;
    }
    out.set(trials[best]!.subarray(0, n), start);
  }
  return out;
}

/** Each candidate's FP16 scale as a double, or undefined when one is zero. */
function groupScales(fast: readonly PreparedCandidate[], amax: FiniteValue): number[] | undefined {
  const scales = fast.map((c) =>
    toNumber(decode(FP16, encodeQuotient(FP16, amax, c.magnitude, SATURATE_RNE).code)),
  );
  return scales.every((s) => s > 0) ? scales : undefined;
}
