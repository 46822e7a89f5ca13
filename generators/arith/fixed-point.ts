import { floatLayout, type FloatFormat } from '../formats/index.ts';
import { mux, type Signal } from '../hdl/signal.ts';
import type { UnpackedFloat } from './unpack.ts';
import { unsignedBits } from './widths.ts';

/** A finite float as an exact two's complement integer in units of the format's smallest subnormal. */
export interface FixedPointValue {
  /** Signed: (−1)^sign · sig · 2^(exp − emin). */
  value: Signal;
  /** Largest magnitude `value` can hold. */
  max: bigint;
}

/**
 * The exact fixed-point value of an unpacked float code (zero for Inf and NaN, which the caller
 * flags separately). For fp16 this is 41 bits with the sign; for e4m3fn 18.
 */
export function floatToFixed(u: UnpackedFloat, format: FloatFormat, prefix: string): FixedPointValue {
  return signedFixed(u, fixedMagnitude(u, format, prefix), format, prefix);
}

/** floatToFixed's first half: the magnitude, the significand shifted to its place (a pipeline may cut after it). */
export function fixedMagnitude(u: UnpackedFloat, format: FloatFormat, prefix: string): Signal {
  const { sig, shift } = fixedPlacement(u, format);
  return sig.shl(shift).named(`${prefix}_units`);
}

/** fixedMagnitude's operands: the significand at the magnitude's width, and the left shift that places it. */
export function fixedPlacement(u: UnpackedFloat, format: FloatFormat): { sig: Signal; shift: Signal } {
  const layout = floatLayout(format);
  const shiftBits = unsignedBits(layout.expFieldMax);
  const sig = u.sig.zext(u.sig.width + layout.expFieldMax);
  const shift = u.exp
    .sub(layout.emin, { width: u.exp.width + 1 })
    .resize(shiftBits + 1)
    .asUnsigned()
    .resize(shiftBits);
  return { sig, shift };
}

/** floatToFixed's second half: the sign applied to the magnitude, zero for Inf and NaN. */
export function signedFixed(
  u: UnpackedFloat,
  magnitude: Signal,
  format: FloatFormat,
  prefix: string,
): FixedPointValue {
  const layout = floatLayout(format);
  const finite = u.isNaN.or(u.isInf).not();
  const wide = magnitude.zext(magnitude.width + 1).asSigned();
  const value = mux(
    finite,
    mux(u.sign, wide.neg().resize(wide.width), wide),
    wide.builder.constant(0, wide.type),
  ).named(`${prefix}_fixed`);
  const max = ((1n << BigInt(u.sig.width)) - 1n) << BigInt(layout.expFieldMax - 1);
  return { value, max };
}
