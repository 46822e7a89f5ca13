import type { Signal } from '../hdl/signal.ts';
import type { RawFloat } from './raw-float.ts';
import { asSigned, type UnpackedFloat } from './unpack.ts';
import { signedBits } from './widths.ts';

/**
 * The exact product of two unpacked floats as a raw float, with IEEE's special cases: a NaN operand or
 * Inf × 0 gives NaN (the latter, or a signalling NaN, is invalid); otherwise Inf if either is Inf.
 * The (Ma+1)·(Mb+1)-bit significand product's top bit weighs 2^(ea+eb+1).
 *
 * With `keepBiases` the exponent is the plain sum of the operands' biased exponents (`biasedExp`),
 * with no constant: it counts from expBias = biasA + biasB − 1 (RawFloat.expBias), and whatever
 * consumes it folds that bias into the constants it has anyway (emin, the output's bias).
 * `multiply` forms the significand product (default one multiplier; e.g. `splitProduct` for one
 * with a pipeline cut inside).
 */
export function exactProduct(
  a: UnpackedFloat,
  b: UnpackedFloat,
  prefix: string,
  options: { keepBiases?: boolean; multiply?: (a: Signal, b: Signal) => Signal } = {},
): RawFloat {
  const infTimesZero = a.isInf.and(b.isZero).or(a.isZero.and(b.isInf)).named(`${prefix}_inf_times_zero`);
  const isNaN = a.isNaN.or(b.isNaN).or(infTimesZero).named(`${prefix}_is_nan`);
  const biased =
    options.keepBiases === true &&
    a.biasedExp !== undefined &&
    b.biasedExp !== undefined &&
    a.bias !== undefined &&
    b.bias !== undefined;
  const expBias = biased ? a.bias! + b.bias! - 1 : 0;
  const expRange = {
    min: a.expRange.min + b.expRange.min + 1 + expBias,
    max: a.expRange.max + b.expRange.max + 1 + expBias,
  };
  const sign = a.sign.xor(b.sign).named(`${prefix}_sign`);
  let exp: Signal;
  if (biased) {
    // The width of the result: two's complement wraps consistently, so nothing is lost on the way.
    const width = signedBits(expRange.min, expRange.max);
    exp = asSigned(a.biasedExp!).resize(width).add(asSigned(b.biasedExp!).resize(width), { width });
  } else {
    exp = a.exp.add(b.exp).add(1);
  }
  return {
    sign,
    exp: exp.named(`${prefix}_exp`),
    sig: (options.multiply ?? ((x, y) => x.mul(y)))(a.sig, b.sig).named(`${prefix}_sig`),
    isZero: a.isZero.or(b.isZero).and(isNaN.not()).named(`${prefix}_is_zero`),
    isInf: a.isInf.or(b.isInf).and(isNaN.not()).named(`${prefix}_is_inf`),
    isNaN,
    invalid: a.isSignalingNaN.or(b.isSignalingNaN).or(infTimesZero).named(`${prefix}_invalid`),
    expRange,
    ...(biased ? { expBias } : {}),
  };
}
