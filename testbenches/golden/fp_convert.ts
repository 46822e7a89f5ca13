// Golden model of the format converter, from the arithmetic: a float source is decoded to its exact
// value (a subnormal read as zero of its sign under denormals-are-zero), an integer source is its
// exact value; a float result is that value encoded once with the format library's encoder under the
// policy; an integer result is the value rounded to an integer by the rounding mode (exact BigInt
// arithmetic), saturated to the range, NaN to 0 or the minimum. Under stochastic rounding the random
// bits pick the direction (toward or away from zero) from the exact value, and the value is encoded
// with that directed rounding. Shares no code with the datapath.
import {
  classify,
  decode,
  encode,
  finite,
  floatLayout,
  formatByName,
  testFloatFlagByte,
  zero,
  type ExactValue,
  type FiniteValue,
  type FloatFormat,
  type Policy,
  type RoundingMode,
} from '../../generators/formats/index.ts';
import { variantIs } from './variant.ts';

export interface FpConvertSpec {
  /** A float format name, or 'int' / 'uint' of inWidth bits. */
  inFormat: string;
  inWidth: number;
  outFormat: string;
  outWidth: number;
  policy: Policy;
  inputSubnormals: 'keep' | 'flush';
  nanToInt: 'zero' | 'min';
  /** R: stochastic rounding with R random bits per conversion (float results); absent: policy.rounding. */
  stochasticBits?: number;
}

const isInt = (format: string) => format === 'int' || format === 'uint';

/** The exact value of a source code. */
export function sourceValue(spec: FpConvertSpec, code: bigint): ExactValue {
  if (isInt(spec.inFormat)) {
    const n =
      spec.inFormat === 'int' ? BigInt.asIntN(spec.inWidth, code) : BigInt.asUintN(spec.inWidth, code);
    return n < 0n ? finite(1, -n, 0) : finite(0, n, 0);
  }
  const format = formatByName(spec.inFormat);
  const value = decode(format, Number(code));
  return spec.inputSubnormals === 'flush' && classify(format, Number(code)) === 'subnormal'
    ? zero(value.sign)
    : value;
}

/** The result code and flag byte of one conversion; `random`: the R random bits under stochastic rounding. */
export function fpConvertGolden(
  spec: FpConvertSpec,
  code: bigint,
  random?: bigint,
): { code: bigint; flags: number } {
  const x = sourceValue(spec, code);
  if (!isInt(spec.outFormat)) {
    const format = formatByName(spec.outFormat);
    let policy = spec.policy;
    if (spec.stochasticBits !== undefined) {
      if (random === undefined)
        throw new Error('fp_convert golden: stochastic rounding needs the random bits');
      policy = {
        ...policy,
        rounding: stochasticDirection(format as FloatFormat, x, spec.stochasticBits, random),
      };
    }
    const r = encode(format, x, policy);
    return { code: BigInt(r.code), flags: testFloatFlagByte(r.flags) };
  }
  return toInt(spec, x);
}

/**
 * The exponent of the result's quantum (its last place) for a finite nonzero x: 2^(e − M) for a value
 * whose leading bit weighs 2^e, e ≥ emin (above the largest finite value too: the exponent is
 * unbounded), and the subnormal quantum 2^(emin − M) below 2^emin.
 */
export function quantumExponent(format: FloatFormat, x: FiniteValue): number {
  const e = x.sig.toString(2).length - 1 + x.exp;
  const floor = variantIs('fp_convert.stochastic-normal-quantum') ? e : floatLayout(format).emin;
  return Math.max(e, floor) - format.mantBits;
}

/** The top `bits` bits of the part of |x| below 2^quantum, as an integer below 2^bits. */
function droppedBits(x: FiniteValue, quantum: number, bits: number): bigint {
  // |x| / 2^(quantum − bits), truncated: its low `bits` bits.
  const shift = x.exp - (quantum - bits);
  const scaled = shift >= 0 ? x.sig << BigInt(shift) : x.sig >> BigInt(-shift);
  return scaled & ((1n << BigInt(bits)) - 1n);
}

/** f: the top R bits of the part of |x| below the result's quantum (0 ≤ f < 2^R). */
export function droppedTop(format: FloatFormat, x: FiniteValue, R: number): bigint {
  return droppedBits(x, quantumExponent(format, x), R);
}

/**
 * Stochastic rounding (Croci et al., R. Soc. Open Sci. 2022; docs/fp_convert.md#stochastic-rounding):
 * the magnitude rounds away from zero iff f + r ≥ 2^R, r the R random bits; the dropped bits below
 * the top R are not read (the whole dropped part d, in quanta, gives the same: d · 2^R + r ≥ 2^R). Zero, Inf and NaN are not rounded.
 */
function stochasticDirection(format: FloatFormat, x: ExactValue, R: number, r: bigint): RoundingMode {
  if (x.kind !== 'finite' || x.sig === 0n) return 'rtz';
  const one = 1n << BigInt(R);
  const quantum = quantumExponent(format, x);
  let f = droppedBits(x, quantum, R);
  // (A wrong model: the bits below f, nonzero when x is off the grid 2^(quantum − R), jammed into f.)
  if (variantIs('fp_convert.stochastic-sticky-jammed') && x.exp < quantum - R) f |= 1n;
  const sum = f + r;
  const away = variantIs('fp_convert.stochastic-strict') ? sum > one : sum >= one;
  return away ? (x.sign ? 'rdown' : 'rup') : 'rtz';
}

const INVALID = 0x10;
const INEXACT = 0x01;

/** Round to an integer by the rounding mode, then saturate (IEEE 754-2019 §5.8: invalid beyond the range). */
function toInt(spec: FpConvertSpec, x: ExactValue): { code: bigint; flags: number } {
  const n = spec.outWidth;
  const signed = spec.outFormat === 'int';
  const min = signed ? -(1n << BigInt(n - 1)) : 0n;
  const max = signed ? (1n << BigInt(n - 1)) - 1n : (1n << BigInt(n)) - 1n;
  const codeOf = (v: bigint) => BigInt.asUintN(n, v);
  if (x.kind === 'nan') return { code: codeOf(spec.nanToInt === 'min' ? min : 0n), flags: INVALID };
  if (x.kind === 'inf') return { code: codeOf(x.sign ? min : max), flags: INVALID };
  // |x| = sig · 2^exp = q + r / 2^k with 0 ≤ r < 2^k.
  let q: bigint;
  let r = 0n;
  let k = 0n;
  if (x.exp >= 0) q = x.sig << BigInt(x.exp);
  else {
    k = BigInt(-x.exp);
    q = x.sig >> k;
    r = x.sig - (q << k);
  }
  const half = k === 0n ? 0n : 1n << (k - 1n);
  const above = r > half;
  const tie = r !== 0n && r === half;
  const up = ((): boolean => {
    if (r === 0n) return false;
    switch (spec.policy.rounding ?? 'rne') {
      case 'rne':
        return above || (tie && (q & 1n) === 1n);
      case 'rna':
        return above || tie;
      case 'rnz':
        return above;
      case 'rnd':
        return above || (tie && x.sign === 1);
      case 'rtz':
        return false;
      case 'rup':
        return x.sign === 0;
      case 'rdown':
        return x.sign === 1;
    }
  })();
  const magnitude = q + (up ? 1n : 0n);
  const value = x.sign ? -magnitude : magnitude;
  if (value > max) return { code: codeOf(max), flags: INVALID };
  if (value < min) return { code: codeOf(min), flags: INVALID };
  return { code: codeOf(value), flags: r !== 0n ? INEXACT : 0 };
}
