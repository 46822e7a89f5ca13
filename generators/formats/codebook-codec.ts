// Codebook formats: a table of exact values. Encoding finds the neighbours of x among the sorted
// values and the midpoints between them, then lets the rounding rule pick.

import { dyadicMidpoint } from './dyadic.ts';
import { INVALID_FLAGS, INEXACT_FLAGS, NO_FLAGS, OVERFLOW_FLAGS, type Encoded } from './flags.ts';
import type { CodebookFormat } from './format.ts';
import type { ResolvedPolicy } from './policy.ts';
import { isNearestRule, magnitudeRule, type MagnitudeRule } from './rounding.ts';
import {
  compareFinite,
  compareMagnitudes,
  nan,
  type ExactValue,
  type FiniteValue,
  type Sign,
} from './value.ts';
import { fromNumber, isExactDouble, toNumber } from './value-number.ts';

interface Entry {
  value: FiniteValue;
  code: number;
  /** For a zero entry: the code of -0 when the codebook also has one. */
  negativeZeroCode?: number;
}

export interface CodebookTable {
  readonly values: readonly ExactValue[];
  /** Distinct values, ascending. */
  readonly entries: readonly Entry[];
  /** Sorted values and midpoints interleaved: points[2j] = entries[j], points[2j+1] = their midpoint. */
  readonly points: readonly FiniteValue[];
  /** The same points as doubles, when every one is exactly a double (the fast path compares doubles). */
  readonly pointDoubles: Float64Array | undefined;
}

const cache = new WeakMap<CodebookFormat, CodebookTable>();

export function codebookTable(format: CodebookFormat): CodebookTable {
  let table = cache.get(format);
  if (!table) {
    table = buildTable(format);
    cache.set(format, table);
  }
  return table;
}

function buildTable(format: CodebookFormat): CodebookTable {
  // Unused codes decode to NaN: they are never produced by encoding.
  const values = format.values.map((v) => (v === null ? nan(0, true) : fromNumber(v)));
  const entries: Entry[] = [];
  const byValue = values
    .map((value, code) => ({ value, code }))
    .filter((e): e is Entry => e.value.kind === 'finite')
    .sort((a, b) => compareFinite(a.value, b.value) || a.value.sign - b.value.sign || a.code - b.code);
  for (const e of byValue) {
    const last = entries[entries.length - 1];
    if (last && compareFinite(last.value, e.value) === 0) {
      if (e.value.sig === 0n && e.value.sign === 1 && last.value.sign === 0) last.negativeZeroCode ??= e.code;
      continue;
    }
    entries.push(
      e.value.sig === 0n && e.value.sign === 1
        ? { value: e.value, code: e.code, negativeZeroCode: e.code }
        : { ...e },
    );
  }
  const points: FiniteValue[] = [];
  entries.forEach((e, j) => {
    if (j > 0) points.push(dyadicMidpoint(entries[j - 1]!.value, e.value));
    points.push(e.value);
  });
  const exact = points.every(isExactDouble);
  return { values, entries, points, pointDoubles: exact ? Float64Array.from(points, toNumber) : undefined };
}

export function decodeCodebook(format: CodebookFormat, code: number): ExactValue {
  return codebookTable(format).values[code]!;
}

function codeOf(entry: Entry, sign: Sign): number {
  return sign === 1 && entry.negativeZeroCode !== undefined ? entry.negativeZeroCode : entry.code;
}

/**
 * Which neighbour a tie goes to. nearest-even generalises RNE: zero, else the value with more trailing
 * zero bits (on any binary float grid that is exactly IEEE RNE), else the smaller magnitude.
 * Equal magnitudes (a tie at zero) go to the side of x's sign.
 */
function tieWinner(lower: Entry, upper: Entry, rule: MagnitudeRule, xSign: Sign): Entry {
  const lo = lower.value;
  const hi = upper.value;
  if (rule === 'nearest-even') {
    if ((lo.sig === 0n) !== (hi.sig === 0n)) return lo.sig === 0n ? lower : upper;
    if (lo.exp !== hi.exp) return lo.exp > hi.exp ? lower : upper;
  }
  const c = compareMagnitudes(lo, hi);
  if (c === 0) return xSign === 1 ? lower : upper;
  const smaller = c < 0 ? lower : upper;
  const larger = c < 0 ? upper : lower;
  return rule === 'nearest-away' ? larger : smaller;
}

/**
 * Encodes a real x known only through comparisons: compare(i) = sign(x - points[i]).
 * xSign is x's sign (the sign of zero for a zero x).
 */
export function encodeCodebookByComparison(
  table: CodebookTable,
  xSign: Sign,
  compare: (pointIndex: number) => number,
  policy: ResolvedPolicy,
): Encoded {
  const { entries, points } = table;
  // Largest i with points[i] <= x, or -1.
  let lo = -1;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (compare(mid) >= 0) lo = mid;
    else hi = mid - 1;
  }
  if (lo < 0) return { code: codeOf(entries[0]!, xSign), flags: OVERFLOW_FLAGS };
  const equal = compare(lo) === 0;
  if (lo % 2 === 0 && equal) return { code: codeOf(entries[lo / 2]!, xSign), flags: NO_FLAGS };
  if (lo === points.length - 1)
    return { code: codeOf(entries[entries.length - 1]!, xSign), flags: OVERFLOW_FLAGS };

  const lower = entries[Math.floor(lo / 2)]!;
  const upper = entries[Math.floor(lo / 2) + 1]!;
  const rule = magnitudeRule(policy.rounding, xSign);
  let chosen: Entry;
  if (!isNearestRule(rule)) {
    const towardPositive = (rule === 'away') === (xSign === 0);
    chosen = towardPositive ? upper : lower;
  } else if (lo % 2 === 1 && equal) {
    chosen = tieWinner(lower, upper, rule, xSign);
  } else {
    chosen = lo % 2 === 0 ? lower : upper;
  }
  return { code: codeOf(chosen, xSign), flags: INEXACT_FLAGS };
}

export function encodeCodebookSpecial(
  table: CodebookTable,
  kind: 'nan' | 'inf',
  sign: Sign,
  policy: ResolvedPolicy,
): Encoded {
  const { entries } = table;
  if (kind === 'nan' && policy.nan === 'zero') {
    const zeroEntry = entries.find((e) => e.value.sig === 0n)!;
    return { code: zeroEntry.code, flags: INVALID_FLAGS };
  }
  const end = sign === 1 ? entries[0]! : entries[entries.length - 1]!;
  return { code: end.code, flags: INVALID_FLAGS };
}
