// Dot-product error of `explore --activation` (docs/explore.md#dot-products): W as rows of K weights, x a
// sample of K activations; y = W·x in fp64 against ŷ = Ŵ·x̂, the dequantized weights times the
// activations rounded to the activation format, summed as a GEMV core sums them (gemvRowSum).

import { dyadicAdd, dyadicMul } from '../../generators/formats/dyadic.ts';
import {
  decodeNumber,
  encode,
  encodeNumber,
  finite,
  formatByName,
  formatNames,
  fromNumber,
  type FiniteValue,
  type Format,
} from '../../generators/formats/index.ts';

export const DEFAULT_DOT_LENGTH = 4096;

/** The output formats of `gemv`, for ŷ (--dot-out). */
export const DOT_OUT_FORMATS = ['fp32', 'fp16', 'bf16'] as const;

/** --dot-out's format. */
export function parseDotOutFormat(name: string): Format {
  if (!(DOT_OUT_FORMATS as readonly string[]).includes(name))
    throw new Error(`--dot-out '${name}' is not allowed: use ${DOT_OUT_FORMATS.join(', ')}`);
  return formatByName(name);
}

/** An activation format: a signed float format of the formats library (activations carry no scale here). */
export function parseActivationFormat(name: string): Format {
  const floats = formatNames().filter((n) => {
    const f = formatByName(n);
    return f.kind === 'float' && f.signed;
  });
  if (!floats.includes(name))
    throw new Error(
      `--activation '${name}' is not allowed: use a signed float format (${floats.join(', ')})`,
    );
  return formatByName(name);
}

/** Each value rounded to `format` (nearest even, saturating), read back as a double. */
export function roundActivations(format: Format, x: Float64Array): Float64Array {
  return x.map((v) =>
    decodeNumber(format, encodeNumber(format, v, { rounding: 'rne', overflow: 'saturate' }).code),
  );
}

/** How ŷ is summed: in groups of `group` products, the row's sum rounded to `outFormat` (gemvRowSum). */
export interface GemvArithmetic {
  group: number;
  outFormat: Format;
}

const FP32 = formatByName('fp32');

/**
 * Σ_j wq[j]·xq[j] over one row as the GEMV cores compute it (testbenches/golden/gemv.ts, whose `exact`
 * accumulation this follows): each group's products summed exactly, each group's sum added to an fp32
 * sum (from +0) with one rounding to nearest even, and that sum rounded once to `outFormat`. A group
 * sum already holds its scale: ŵ = (q − z)·s.
 */
export function gemvRowSum(wq: Float64Array, xq: Float64Array, arithmetic: GemvArithmetic): number {
  let acc = 0;
  for (let first = 0; first < xq.length; first += arithmetic.group) {
    let sum: FiniteValue = finite(0, 0n, 0);
    const last = Math.min(first + arithmetic.group, xq.length);
    for (let j = first; j < last; j++) {
      if (wq[j] === 0 || xq[j] === 0) continue;
      const product = dyadicMul(fromNumber(wq[j]!) as FiniteValue, fromNumber(xq[j]!) as FiniteValue);
      sum = dyadicAdd(sum, product);
    }
    if (sum.sig === 0n) continue;
    acc = decodeNumber(FP32, encode(FP32, dyadicAdd(fromNumber(acc) as FiniteValue, sum)).code);
  }
  return arithmetic.outFormat.name === FP32.name
    ? acc
    : decodeNumber(arithmetic.outFormat, encodeNumber(arithmetic.outFormat, acc).code);
}

/**
 * sqrt(Σ_r (ŷ_r − y_r)² / Σ_r y_r²) over the floor(n / K) rows of K weights (elements past the last full row
 * are left out): y_r = Σ_j w[rK + j]·x[j] in fp64, ŷ_r the same with ŵ and x̂, summed by gemvRowSum.
 */
export function dotRelativeError(
  w: Float64Array,
  wq: Float64Array,
  x: Float64Array,
  xq: Float64Array,
  arithmetic: GemvArithmetic,
): number {
  const k = x.length;
  const rows = Math.floor(w.length / k);
  if (rows === 0)
    throw new Error(`dot products: the tensor has ${w.length} elements, fewer than one row of ${k}`);
  let signal = 0;
  let noise = 0;
  for (let r = 0; r < rows; r++) {
    let y = 0;
    for (let j = 0; j < k; j++) y += w[r * k + j]! * x[j]!;
    const yq = gemvRowSum(wq.subarray(r * k, (r + 1) * k), xq, arithmetic);
    signal += y * y;
    noise += (yq - y) ** 2;
  }
  return signal === 0 ? (noise === 0 ? 0 : Infinity) : Math.sqrt(noise / signal);
}
