import { floatLayout, type FloatFormat } from '../formats/index.ts';
import { HdlError } from '../hdl/errors.ts';
import { cat, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
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
  /** The exponents `exp` can take. */
  expRange: { min: number; max: number };
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
    expRange: range,
  };
}
