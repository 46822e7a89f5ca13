// The exact codec of every scalar format: decode a code to its exact value, encode an exact value
// (or an exact quotient, or a double) with a policy. All encodes of a format go through the same
// per-kind encoder; only the rounder differs (BigInt for exact values, doubles for numbers).

import {
  encodeCodebookByComparison,
  encodeCodebookSpecial,
  codebookTable,
  decodeCodebook,
} from './codebook-codec.ts';
import { classifyFloat, decodeFloat, type CodeClass } from './decode-float.ts';
import { encodeFloatInf, encodeFloatMagnitude, encodeFloatNaN, encodeFloatZero } from './encode-float.ts';
import { exactMagnitude } from './exact-magnitude.ts';
import { INVALID_FLAGS, NO_FLAGS, type Encoded } from './flags.ts';
import { floatLayout } from './float-layout.ts';
import { formatBits, type Format } from './format.ts';
import { decodeInt, encodeIntMagnitude, encodeIntSpecial } from './int-codec.ts';
import { numberMagnitude } from './number-magnitude.ts';
import { resolvePolicy, type Policy, type ResolvedPolicy } from './policy.ts';
import type { Magnitude } from './rounding.ts';
import { inf, nan, type ExactValue, type FiniteValue, type Sign } from './value.ts';

export type { CodeClass };

/** Throws unless code is an integer code of the format. */
export function checkCode(format: Format, code: number): void {
  const bits = formatBits(format);
  if (!Number.isInteger(code) || code < 0 || code >= 2 ** bits) {
    throw new Error(
      `code ${code} is not a ${bits}-bit code of ${format.name} (allowed: 0 to ${2 ** bits - 1})`,
    );
  }
}

const decodeCache = new WeakMap<Format, ExactValue[]>();
const CACHED_BITS = 16;

function decodeUncached(format: Format, code: number): ExactValue {
  switch (format.kind) {
    case 'float':
      return decodeFloat(format, floatLayout(format), code);
    case 'int':
      return decodeInt(format, code);
    case 'codebook':
      return decodeCodebook(format, code);
  }
}

/** The exact value of a code. Results are shared immutable records (cached for formats of 16 bits or fewer). */
export function decode(format: Format, code: number): ExactValue {
  checkCode(format, code);
  if (formatBits(format) > CACHED_BITS) return decodeUncached(format, code);
  let values = decodeCache.get(format);
  if (!values) {
    values = [];
    decodeCache.set(format, values);
  }
  return (values[code] ??= Object.freeze(decodeUncached(format, code)));
}

/** zero | subnormal | normal | inf | nan for floats; zero | finite for integers; zero | finite | unused for codebooks. */
export function classify(format: Format, code: number): CodeClass {
  checkCode(format, code);
  if (format.kind === 'float') return classifyFloat(format, floatLayout(format), code);
  const value = decode(format, code);
  if (value.kind === 'nan') return 'unused';
  return value.kind === 'finite' && value.sig === 0n ? 'zero' : 'finite';
}

function signOf(p: FiniteValue): number {
  return p.sig === 0n ? 0 : p.sign === 1 ? -1 : 1;
}

/** Sign of x - p for x = (-1)^sign · mag and a finite point p. */
function compareSigned(sign: Sign, mag: Magnitude, p: FiniteValue): number {
  const pSide = signOf(p);
  const xSide = sign === 1 ? -1 : 1;
  if (pSide !== xSide) return xSide > pSide ? 1 : -1;
  return xSide * mag.compareTo(p.sig, p.exp);
}

function encodeMagnitude(format: Format, sign: Sign, mag: Magnitude, policy: ResolvedPolicy): Encoded {
  switch (format.kind) {
    case 'float':
      return encodeFloatMagnitude(floatLayout(format), sign, mag, policy);
    case 'int':
      return encodeIntMagnitude(format, sign, mag, policy);
    case 'codebook': {
      const table = codebookTable(format);
      return encodeCodebookByComparison(
        table,
        sign,
        (i) => compareSigned(sign, mag, table.points[i]!),
        policy,
      );
    }
  }
}

function encodeZero(format: Format, sign: Sign, policy: ResolvedPolicy): Encoded {
  switch (format.kind) {
    case 'float':
      return encodeFloatZero(floatLayout(format), sign, policy);
    case 'int':
      return { code: 0, flags: NO_FLAGS };
    case 'codebook': {
      const table = codebookTable(format);
      return encodeCodebookByComparison(table, sign, (i) => -signOf(table.points[i]!), policy);
    }
  }
}

function encodeSpecial(
  format: Format,
  value: ExactValue & { kind: 'nan' | 'inf' },
  policy: ResolvedPolicy,
): Encoded {
  switch (format.kind) {
    case 'float': {
      const layout = floatLayout(format);
      return value.kind === 'nan'
        ? encodeFloatNaN(layout, value.sign, value.quiet, policy)
        : encodeFloatInf(layout, value.sign, policy);
    }
    case 'int':
      return encodeIntSpecial(format, value.kind, value.sign, policy);
    case 'codebook':
      return encodeCodebookSpecial(codebookTable(format), value.kind, value.sign, policy);
  }
}

/** Encodes an exact value with one rounding, as the policy says (defaults: docs/ieee-and-fp8.md#policy). */
export function encode(format: Format, value: ExactValue, policy?: Policy): Encoded {
  const p = resolvePolicy(format, policy);
  if (value.kind !== 'finite') return encodeSpecial(format, value, p);
  if (value.sig === 0n) return encodeZero(format, value.sign, p);
  return encodeMagnitude(format, value.sign, exactMagnitude(value.sig, 1n, value.exp), p);
}

/**
 * Encodes dividend / divisor exactly rounded (quantizers divide by a scale). IEEE special cases:
 * NaN in gives NaN, 0/0 and Inf/Inf are invalid, x/0 is ±Inf, x/Inf is ±0.
 */
export function encodeQuotient(
  format: Format,
  dividend: ExactValue,
  divisor: ExactValue,
  policy?: Policy,
): Encoded {
  const p = resolvePolicy(format, policy);
  const sign = (dividend.sign ^ divisor.sign) as Sign;
  if (dividend.kind === 'nan' || divisor.kind === 'nan') {
    const quiet = (dividend.kind !== 'nan' || dividend.quiet) && (divisor.kind !== 'nan' || divisor.quiet);
    return encodeSpecial(format, nan(0, quiet), p);
  }
  const dividendZero = dividend.kind === 'finite' && dividend.sig === 0n;
  const divisorZero = divisor.kind === 'finite' && divisor.sig === 0n;
  if ((dividendZero && divisorZero) || (dividend.kind === 'inf' && divisor.kind === 'inf')) {
    const result = encodeSpecial(format, nan(0, true), p);
    return { code: result.code, flags: INVALID_FLAGS };
  }
  if (dividend.kind === 'inf' || divisorZero) return encodeSpecial(format, inf(sign), p);
  if (divisor.kind === 'inf' || dividendZero) return encodeZero(format, sign, p);
  const a = dividend as FiniteValue;
  const b = divisor as FiniteValue;
  return encodeMagnitude(format, sign, exactMagnitude(a.sig, b.sig, a.exp - b.exp), p);
}

/**
 * Encodes a double. Equivalent to encode(format, fromNumber(x), policy) — same code, same flags —
 * but rounds with double arithmetic (exact, see number-magnitude.ts), for golden models on hot paths.
 * A JavaScript NaN is taken as a positive quiet NaN.
 */
export function encodeNumber(format: Format, x: number, policy?: Policy): Encoded {
  const p = resolvePolicy(format, policy);
  if (x !== x) return encodeSpecial(format, nan(0, true), p);
  if (x === Infinity || x === -Infinity) return encodeSpecial(format, inf(x < 0 ? 1 : 0), p);
  if (x === 0) return encodeZero(format, Object.is(x, -0) ? 1 : 0, p);
  const sign: Sign = x < 0 ? 1 : 0;
  if (format.kind === 'codebook') {
    const table = codebookTable(format);
    const points = table.pointDoubles;
    if (points)
      return encodeCodebookByComparison(
        table,
        sign,
        (i) => (x < points[i]! ? -1 : x > points[i]! ? 1 : 0),
        p,
      );
  }
  return encodeMagnitude(format, sign, numberMagnitude(Math.abs(x)), p);
}
