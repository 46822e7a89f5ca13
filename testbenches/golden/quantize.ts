// Golden model of the MX activation quantizer (docs/mx-nvfp4.md#the-quantize-generator), from OCP Algorithm 1
// with exact integers: shared exponent floor(log2 amax) − emax_elem (raised to −127), every element
// V_i / 2^shared rounded to the element grid (ties to even, away or toward zero) and clamped to ±max.
// The element rounding is written here from the formats' parameters, not taken from the formats
// library's encoder, so that it is a second implementation beside the library's quantizer
// (quantizeMxBlock). NVFP4's golden model (quantize-nvfp4.ts) rounds its quotients here too.
import { decode, formatByName, type ExactValue } from '../../generators/formats/index.ts';
import { variantIs } from './variant.ts';

/** Ties to even, away from zero, or toward zero (as the NVFP4 reference code's `<= mid` rounds). */
export type QuantizeRounding = 'rne' | 'rna' | 'rnz';
export type TieRule = QuantizeRounding;

export interface QuantizeSpec {
  /** MX format: mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3, mxfp4 or mxint8; or nvfp4. */
  format: string;
  /** fp32, fp16 or bf16. */
  inFormat: string;
  rounding: QuantizeRounding;
  inputSubnormals: 'keep' | 'flush';
  /** NVFP4's block scale rounding: 'rne' (nearest, ties to even) or 'up' (no element clips). */
  scaleRounding?: 'rne' | 'up';
}

export interface QuantizedBlock {
  scale: number;
  elements: number[];
}

/** An element format: exponent and mantissa bits, bias, largest magnitude maxSig · 2^maxExp and its code. */
interface ElementFormat {
  expBits: number;
  mantBits: number;
  bias: number;
  maxSig: bigint;
  maxExp: number;
  maxCode: number;
  /** emax_elem: floor(log2 max). */
  emax: number;
}

/** The OCP MX element formats (docs/mx-nvfp4.md#element-formats), and FP16 for scales; INT8 separately. */
const ELEMENTS: Record<string, ElementFormat> = {
  mxfp8_e4m3: { expBits: 4, mantBits: 3, bias: 7, maxSig: 7n, maxExp: 6, maxCode: 0x7e, emax: 8 }, // 448
  mxfp8_e5m2: { expBits: 5, mantBits: 2, bias: 15, maxSig: 7n, maxExp: 13, maxCode: 0x7b, emax: 15 }, // 57344
  mxfp6_e3m2: { expBits: 3, mantBits: 2, bias: 3, maxSig: 7n, maxExp: 2, maxCode: 0x1f, emax: 4 }, // 28
  mxfp6_e2m3: { expBits: 2, mantBits: 3, bias: 1, maxSig: 15n, maxExp: -1, maxCode: 0x1f, emax: 2 }, // 7.5
  mxfp4: { expBits: 2, mantBits: 1, bias: 1, maxSig: 3n, maxExp: 1, maxCode: 0x7, emax: 2 }, // 6
  // The int8 format's group scale.
  fp16: { expBits: 5, mantBits: 10, bias: 15, maxSig: 2047n, maxExp: 5, maxCode: 0x7bff, emax: 15 }, // 65504
};
const MXINT8_EMAX = 0;
/** Smallest normal exponent of each input format: below it a value is subnormal. */
const INPUT_EMIN: Record<string, number> = { fp32: -126, bf16: -126, fp16: -14 };

const SCALE_BIAS = 127;
const SCALE_NAN = 0xff;

export function elementBits(format: string): number {
  const e = ELEMENTS[format];
  return e === undefined ? 8 : 1 + e.expBits + e.mantBits;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** sig · 2^shift rounded to an integer, ties to even or away from zero. */
export function roundToInteger(sig: bigint, shift: number, rounding: TieRule): bigint {
  if (shift >= 0) return sig << BigInt(shift);
  const k = BigInt(-shift);
  const q = sig >> k;
  const rest = sig - (q << k);
  const half = 1n << (k - 1n);
  const tieUp = rounding === 'rna' || (rounding === 'rne' && (q & 1n) === 1n);
  return rest > half || (rest === half && tieUp) ? q + 1n : q;
}

/**
 * The element code of (−1)^sign · sig · 2^exp: rounded at the element's quantum there (2^(e − M) in
 * binade e, 2^(emin − M) below the normal range), clamped to ±max when it rounds beyond it.
 */
export function roundToElement(
  format: string,
  sign: number,
  sig: bigint,
  exp: number,
  rounding: TieRule,
): number {
  const f = ELEMENTS[format];
  if (f === undefined) return roundToMxint8(sign, sig, exp, rounding);
  const signBit = sign << (f.expBits + f.mantBits);
  if (sig === 0n) return signBit;
  const emin = 1 - f.bias;
  const binade = Math.max(exp + bitLength(sig) - 1, emin);
  const quantumExp = binade - f.mantBits;
  const units = roundToInteger(sig, exp - quantumExp, rounding);
  return packUnits(f, signBit, units, quantumExp);
}

/**
 * The element code of (−1)^sign · num / den (num ≥ 0, den > 0), an exact quotient: rounded at the
 * element's quantum of its binade, ties by `rounding`, or up ('up': to the next element value when
 * any remainder is left), and clamped to ±max.
 */
export function roundQuotientToElement(
  format: string,
  sign: number,
  num: bigint,
  den: bigint,
  rounding: TieRule | 'up',
): number {
  const f = ELEMENTS[format]!;
  const signBit = sign << (f.expBits + f.mantBits);
  if (num === 0n) return signBit;
  // floor(log2(num / den)), from the bit lengths and one comparison.
  let log2 = bitLength(num) - bitLength(den);
  if (log2 >= 0 ? num < den << BigInt(log2) : num << BigInt(-log2) < den) log2--;
  const quantumExp = Math.max(log2, 1 - f.bias) - f.mantBits;
  // units = floor(num / (den · 2^quantumExp)), and what is left, in the same units.
  const [n, d] = quantumExp >= 0 ? [num, den << BigInt(quantumExp)] : [num << BigInt(-quantumExp), den];
  const floor = n / d;
  const twice = 2n * (n - floor * d);
  const up =
    rounding === 'up'
      ? twice > 0n
      : twice > d || (twice === d && (rounding === 'rna' || (rounding === 'rne' && (floor & 1n) === 1n)));
  return packUnits(f, signBit, up ? floor + 1n : floor, quantumExp);
}

/** The code of (−1)^sign · units · 2^quantumExp, units rounded at the quantum of its binade; clamped to ±max. */
function packUnits(f: ElementFormat, signBit: number, units: bigint, quantumExp: number): number {
  if (units === 0n) return signBit;
  // Beyond max (units · 2^q > maxSig · 2^maxExp): clamped.
  const beyond =
    quantumExp >= f.maxExp
      ? units << BigInt(quantumExp - f.maxExp) > f.maxSig
      : units > f.maxSig << BigInt(f.maxExp - quantumExp);
  // (The no-clamp variant wraps into the next code instead.)
  if (beyond)
    return (
      signBit |
      (variantIs('quantize.no-clamp') ? (f.maxCode + 1) & ((1 << (f.expBits + f.mantBits)) - 1) : f.maxCode)
    );
  const full = 1n << BigInt(f.mantBits);
  if (units === full << 1n) {
    units = full; // rounded up into the next binade
    quantumExp++;
  }
  if (units < full) return signBit | Number(units); // subnormal (field 0)
  const field = quantumExp + f.mantBits + f.bias;
  return signBit | (field << f.mantBits) | Number(units - full);
}

/** MXINT8: the value times 64 rounded to an integer, clamped to ±127, two's complement. */
function roundToMxint8(sign: number, sig: bigint, exp: number, rounding: TieRule): number {
  let n = roundToInteger(sig, exp + 6, rounding);
  if (n > 127n && !variantIs('quantize.no-clamp')) n = 127n;
  return sign === 1 && n !== 0n ? 256 - Number(n) : Number(n);
}

/** An exact finite input, (−1)^sign · sig · 2^exp. */
export interface ExactInput {
  sign: number;
  sig: bigint;
  exp: number;
}

/** The block's inputs as exact values, subnormal ones read as ±0 when they are flushed (specials as ±0). */
export function finiteInputs(spec: QuantizeSpec, values: readonly ExactValue[]): ExactInput[] {
  const flush = (spec.inputSubnormals === 'flush') !== variantIs('quantize.input-subnormals');
  return values.map((v) => {
    if (v.kind !== 'finite') return { sign: v.sign, sig: 0n, exp: 0 };
    const tiny = v.sig !== 0n && v.exp + bitLength(v.sig) - 1 < INPUT_EMIN[spec.inFormat]!;
    return flush && tiny ? { sign: v.sign, sig: 0n, exp: 0 } : { sign: v.sign, sig: v.sig, exp: v.exp };
  });
}

/** The element rounding in force: the spec's, or a mutation variant's. */
export function elementRounding(spec: QuantizeSpec): TieRule {
  const other = spec.rounding === 'rne' ? 'rna' : 'rne';
  return variantIs('quantize.other-rounding')
    ? other
    : variantIs('quantize.ties-toward-zero')
      ? 'rnz'
      : spec.rounding;
}

/** One block of input codes quantized to an MX block. */
export function quantizeGolden(spec: QuantizeSpec, codes: readonly number[]): QuantizedBlock {
  const input = formatByName(spec.inFormat);
  const emaxElem = ELEMENTS[spec.format]?.emax ?? MXINT8_EMAX;
  const values = codes.map((c) => decode(input, c));
  if (values.some((v) => v.kind !== 'finite') && !variantIs('quantize.specials-ignored'))
    return { scale: SCALE_NAN, elements: codes.map(() => 0) };
  const finite = finiteInputs(spec, values);
  const log2s = finite.filter((v) => v.sig !== 0n).map((v) => v.exp + bitLength(v.sig) - 1);
  // An all-zero block gets the smallest scale, 2^−127 (code 0).
  let shared = log2s.length === 0 ? -SCALE_BIAS : Math.max(...log2s) - emaxElem;
  if (variantIs('quantize.shared-exponent-up')) shared++;
  if (variantIs('quantize.shared-exponent-down')) shared--;
  if (!variantIs('quantize.no-scale-floor')) shared = Math.max(shared, -SCALE_BIAS);
  const rounding = elementRounding(spec);
  const elements = finite.map((v) => roundToElement(spec.format, v.sign, v.sig, v.exp - shared, rounding));
  return { scale: (shared + SCALE_BIAS) & 0xff, elements };
}
