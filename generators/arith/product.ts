import type { RawFloat } from './raw-float.ts';
import type { UnpackedFloat } from './unpack.ts';

/**
 * The exact product of two unpacked floats as a raw float, with IEEE's special cases: a NaN operand or
 * Inf × 0 gives NaN (the latter, or a signalling NaN, is invalid); otherwise Inf if either is Inf.
 * The (Ma+1)·(Mb+1)-bit significand product's top bit weighs 2^(ea+eb+1).
 */
export function exactProduct(a: UnpackedFloat, b: UnpackedFloat, prefix: string): RawFloat {
  const infTimesZero = a.isInf.and(b.isZero).or(a.isZero.and(b.isInf)).named(`${prefix}_inf_times_zero`);
  const isNaN = a.isNaN.or(b.isNaN).or(infTimesZero).named(`${prefix}_is_nan`);
  return {
    sign: a.sign.xor(b.sign).named(`${prefix}_sign`),
    exp: a.exp.add(b.exp).add(1).named(`${prefix}_exp`),
    sig: a.sig.mul(b.sig).named(`${prefix}_sig`),
    isZero: a.isZero.or(b.isZero).and(isNaN.not()).named(`${prefix}_is_zero`),
    isInf: a.isInf.or(b.isInf).and(isNaN.not()).named(`${prefix}_is_inf`),
    isNaN,
    invalid: a.isSignalingNaN.or(b.isSignalingNaN).or(infTimesZero).named(`${prefix}_invalid`),
    expRange: { min: a.expRange.min + b.expRange.min + 1, max: a.expRange.max + b.expRange.max + 1 },
  };
}
