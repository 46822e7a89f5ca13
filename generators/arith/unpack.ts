import { floatLayout, type FloatFormat } from '../formats/index.ts';
import { HdlError } from '../hdl/errors.ts';
import { cat, select, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { leadingZeros } from './lzc.ts';
import { signedBits } from './widths.ts';

/** A float code taken apart: value = (−1)^sign · sig · 2^(exp − mantBits) when finite. */
export interface UnpackedFloat {
  sign: Signal;
  /** Signed, unbiased exponent of the hidden bit's position (emin for subnormals). */
  exp: Signal;
  /** Hidden bit and mantissa: mantBits + 1 bits; the hidden bit is 0 for zero and subnormals. */
  sig: Signal;
  isZero: Signal;
  isInf: Signal;
  isNaN: Signal;
  /** A NaN whose quiet bit is clear (IEEE-like formats only); it raises invalid when consumed. */
  isSignalingNaN: Signal;
  /** A subnormal operand (before any flushing). */
  isSubnormal: Signal;
  /** The exponent field as coded (a subnormal's is 0). */
  expField?: Signal;
  /** The exponents `exp` can take. */
  expRange: { min: number; max: number };
  /**
   * The exponent with the bias still on (exp = biasedExp − bias): the field itself, or after
   * normalizeOperand the field less the shift. Arithmetic on several exponents (a product's sum)
   * adds these and takes all biases off in one constant, instead of one subtraction per operand.
   */
  biasedExp?: Signal;
  bias?: number;
}

/** The exponent range of a format's finite values, for sizing exponent arithmetic. */
export function exponentRange(format: FloatFormat): { min: number; max: number } {
  const layout = floatLayout(format);
  return { min: Math.min(layout.emin, -format.bias), max: layout.expFieldMax - format.bias };
}

/**
 * Split a code of `format` into sign, exponent and significand, and classify it. With
 * `flushSubnormals`, subnormal codes read as zero (denormals-are-zero).
 */
export function unpackFloat(
  code: Signal,
  format: FloatFormat,
  prefix: string,
  flushSubnormals = false,
): UnpackedFloat {
  const layout = floatLayout(format);
  if (code.width !== layout.bits) {
    throw new HdlError(
      `${prefix}: a ${format.name} code has ${layout.bits} bits, but ${code.label} is given`,
    );
  }
  const m = code.builder;
  const E = format.expBits;
  const M = format.mantBits;
  const zero = m.constant(0, UInt(1));
  const sign = format.signed ? code.bit(E + M).named(`${prefix}_sign`) : zero;
  const expField = code.slice(E + M - 1, M).named(`${prefix}_exp_field`);
  const mant = M > 0 ? code.slice(M - 1, 0).named(`${prefix}_mant`) : undefined;
  const mantZero = mant === undefined ? m.constant(1, UInt(1)) : mant.orR().not();
  const expAllOnes = expField.andR();
  const expZero = expField.orR().not();

  let isNaN: Signal = zero;
  let isInf: Signal = zero;
  let isSignalingNaN: Signal = zero;
  switch (format.specials) {
    case 'ieee':
      isInf = expAllOnes.and(mantZero);
      isNaN = expAllOnes.and(mantZero.not());
      isSignalingNaN = isNaN.and(mant!.msb().not());
      break;
    case 'fn':
      isNaN = mant === undefined ? expAllOnes : expAllOnes.and(mant.andR());
      break;
    case 'fnuz':
      isNaN = sign.and(expZero).and(mantZero);
      break;
    case 'none':
      break;
  }
  const isSubnormal = format.subnormals ? expZero.and(mantZero.not()) : zero;
  const isZero = format.subnormals
    ? expZero.and(flushSubnormals ? m.constant(1, UInt(1)) : mantZero).and(isNaN.not())
    : zero;

  // Exponent field 0 of a format with subnormals has the weight of field 1, without the hidden bit.
  const range = exponentRange(format);
  const expWidth = signedBits(range.min, range.max);
  const hidden = format.subnormals ? expZero.not() : m.constant(1, UInt(1));
  const effectiveField = format.subnormals ? expField.or(expZero.zext(E)) : expField;
  const exp = effectiveField
    .zext(expWidth + 1)
    .asSigned()
    .sub(format.bias, { width: expWidth })
    .named(`${prefix}_exp`);
  const sig = (mant === undefined ? hidden : cat(hidden, mant)).named(`${prefix}_sig`);
  return {
    sign,
    exp,
    sig,
    isZero: isZero.named(`${prefix}_is_zero`),
    isInf: isInf === zero ? zero : isInf.named(`${prefix}_is_inf`),
    isNaN: isNaN === zero ? zero : isNaN.named(`${prefix}_is_nan`),
    isSignalingNaN,
    isSubnormal,
    expField,
    expRange: range,
    biasedExp: effectiveField,
    bias: format.bias,
  };
}

/**
 * The same operand with a normalized significand: a subnormal's mantissa is shifted up until its
 * leading one sits at the hidden bit, and its exponent lowered to match (below emin). The hidden bit
 * is then one for every nonzero finite value, so it is a constant: a multiplier of such significands
 * needs no hidden-bit terms, and their product has at most one leading zero. Zero, Inf and NaN keep
 * their flags (their significand no longer matters). A format without subnormals, or an operand
 * unpacked with `flushSubnormals`, only gets the constant hidden bit. `leadingZerosOfSig` is the
 * shift from operandLeadingZeros when it was computed apart (before a pipeline cut).
 */
export function normalizeOperand(
  x: UnpackedFloat,
  format: FloatFormat,
  prefix: string,
  flushed = false,
  leadingZerosOfSig?: Signal,
): UnpackedFloat {
  const m = x.sig.builder;
  const M = format.mantBits;
  const one = m.constant(1, UInt(1));
  if (!format.subnormals || flushed || M === 0) {
    const sig = M === 0 ? one : cat(one, x.sig.slice(M - 1, 0));
    return { ...x, sig: sig.named(`${prefix}_sig_norm`) };
  }
  const lz = leadingZerosOfSig ?? operandLeadingZeros(x, format, prefix);
  const shifted = x.sig.shl(lz).named(`${prefix}_sig_shifted`);
  const sig = cat(one, shifted.slice(M - 1, 0)).named(`${prefix}_sig_norm`);
  // A subnormal is lz places below emin: one constant per count (no adder for a value with M
  // possibilities); count 0 keeps the operand's exponent.
  const emin = floatLayout(format).emin;
  const expRange = { min: Math.min(x.expRange.min, emin - M), max: x.expRange.max };
  const expWidth = signedBits(expRange.min, expRange.max);
  const byCount = (normal: Signal, emin: number) =>
    select(lz, [
      normal.resize(expWidth),
      ...Array.from({ length: M }, (_, i) => m.constant(emin - 1 - i, SInt(expWidth))),
    ]);
  const exp = byCount(x.exp, emin).named(`${prefix}_exp_norm`);
  // Biased, emin is 1 (the field a subnormal reads as).
  const biased =
    x.biasedExp === undefined
      ? {}
      : { biasedExp: byCount(asSigned(x.biasedExp), 1).named(`${prefix}_biased_exp_norm`) };
  return { ...x, exp, ...biased, sig, expRange };
}

/**
 * The left shift that normalizes an operand's significand (normalizeOperand's): the leading zeros of
 * the significand with its hidden bit, 0 for a normal operand. The last bit needs no test: with all
 * zeros above it, it is the leading one (or the operand is zero, whose significand does not matter).
 * Computed apart, it can sit before a pipeline cut and the shift after it (normalizeOperand's
 * `leadingZerosOfSig`).
 */
export function operandLeadingZeros(x: UnpackedFloat, format: FloatFormat, prefix: string): Signal {
  return leadingZeros(x.sig.slice(format.mantBits, 1)).named(`${prefix}_lz`);
}

/** A signed reading of the same value (one bit wider when it was unsigned). */
export function asSigned(x: Signal): Signal {
  return x.signed ? x : x.zext(x.width + 1).asSigned();
}
