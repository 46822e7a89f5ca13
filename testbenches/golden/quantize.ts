// Golden model of the MX activation quantizer (docs/mx-nvfp4.md#the-quantize-generator), from OCP Algorithm 1
// with exact integers: shared exponent floor(log2 amax) − emax_elem (raised to −127), every element
// V_i / 2^shared rounded to the element grid (ties to even or away) and clamped to ±max. The element
// rounding is written here from the formats' parameters, not taken from the formats library's encoder,
// so that it is a second implementation beside the library's quantizer (quantizeMxBlock).
import { decode, formatByName } from '../../generators/formats/index.ts';
import { variantIs } from './variant.ts';

export type QuantizeRounding = 'rne' | 'rna';
/** With 'rnz' (ties toward zero, as the NVFP4 reference code rounds) for a mutation variant. */
type TieRule = QuantizeRounding | 'rnz';

export interface QuantizeSpec {
  /** MX format: mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3, mxfp4 or mxint8. */
  format: string;
  /** fp32, fp16 or bf16. */
  inFormat: string;
  rounding: QuantizeRounding;
  inputSubnormals: 'keep' | 'flush';
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

/** The OCP MX element formats (docs/mx-nvfp4.md#element-formats); INT8 separately. */
const ELEMENTS: Record<string, ElementFormat> = {
  mxfp8_e4m3: { expBits: 4, mantBits: 3, bias: 7, maxSig: 7n, maxExp: 6, maxCode: 0x7e, emax: 8 }, // 448
  mxfp8_e5m2: { expBits: 5, mantBits: 2, bias: 15, maxSig: 7n, maxExp: 13, maxCode: 0x7b, emax: 15 }, // 57344
  mxfp6_e3m2: { expBits: 3, mantBits: 2, bias: 3, maxSig: 7n, maxExp: 2, maxCode: 0x1f, emax: 4 }, // 28
  mxfp6_e2m3: { expBits: 2, mantBits: 3, bias: 1, maxSig: 15n, maxExp: -1, maxCode: 0x1f, emax: 2 }, // 7.5
  mxfp4: { expBits: 2, mantBits: 1, bias: 1, maxSig: 3n, maxExp: 1, maxCode: 0x7, emax: 2 }, // 6
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
  let quantumExp = binade - f.mantBits;
  let units = roundToInteger(sig, exp - quantumExp, rounding);
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

/** One block of input codes quantized to an MX block. */
export function quantizeGolden(spec: QuantizeSpec, codes: readonly number[]): QuantizedBlock {
  const input = formatByName(spec.inFormat);
  const emaxElem = ELEMENTS[spec.format]?.emax ?? MXINT8_EMAX;
  const values = codes.map((c) => decode(input, c));
  if (values.some((v) => v.kind !== 'finite') && !variantIs('quantize.specials-ignored'))
    return { scale: SCALE_NAN, elements: codes.map(() => 0) };
  const flush = (spec.inputSubnormals === 'flush') !== variantIs('quantize.input-subnormals');
  const finite = values.map((v) => {
    if (v.kind !== 'finite') return { sign: v.sign, sig: 0n, exp: 0 };
    const tiny = v.sig !== 0n && v.exp + bitLength(v.sig) - 1 < INPUT_EMIN[spec.inFormat]!;
    return flush && tiny ? { sign: v.sign, sig: 0n, exp: 0 } : { sign: v.sign, sig: v.sig, exp: v.exp };
  });
  const log2s = finite.filter((v) => v.sig !== 0n).map((v) => v.exp + bitLength(v.sig) - 1);
  // An all-zero block gets the smallest scale, 2^−127 (code 0).
  let shared = log2s.length === 0 ? -SCALE_BIAS : Math.max(...log2s) - emaxElem;
  if (variantIs('quantize.shared-exponent-up')) shared++;
  if (variantIs('quantize.shared-exponent-down')) shared--;
  if (!variantIs('quantize.no-scale-floor')) shared = Math.max(shared, -SCALE_BIAS);
  const other = spec.rounding === 'rne' ? 'rna' : 'rne';
  const rounding: TieRule = variantIs('quantize.other-rounding')
    ? other
    : variantIs('quantize.ties-toward-zero')
      ? 'rnz'
      : spec.rounding;
  const elements = finite.map((v) => roundToElement(spec.format, v.sign, v.sig, v.exp - shared, rounding));
  return { scale: (shared + SCALE_BIAS) & 0xff, elements };
}
