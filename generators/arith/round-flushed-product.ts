import { floatLayout, type FloatFormat, type ResolvedPolicy } from '../formats/index.ts';
import { HdlError } from '../hdl/errors.ts';
import { cat, mux } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
import { atMostConstant } from './compare-constant.ts';
import type { RawFloat } from './raw-float.ts';
import { invalidFlag, roundIncrement, specialOutcomes, type RoundedFloat } from './round.ts';
import { signedBits, unsignedBits } from './widths.ts';

/**
 * Round a product of normalized significands (at most one leading zero) into `format` when tiny
 * results flush to zero, with the same outcomes and flags as normalize-then-roundPack. With no
 * subnormal shift the rounding point follows from the product's top bit alone, so the mantissa is
 * rounded from the significand alone (for FP8 a few 6-input functions of the operands' mantissas), and
 * the exponent takes the top bit and the rounding's carry in one addition. Overflow and tininess
 * (before rounding: that sum less the carry) are comparisons of that sum with constants.
 * `largestSig`, the largest significand product, tells whether a top bit and a carry can come together.
 * NaN decides before zero, so isZero may be set with isNaN too (a zero operand times a NaN).
 */
export function roundFlushedProduct(
  product: RawFloat,
  format: FloatFormat,
  policy: ResolvedPolicy,
  prefix: string,
  largestSig?: bigint,
): RoundedFloat {
  if (policy.subnormals !== 'flush' || (product.maxLeadingZeros ?? product.sig.width) > 1) {
    throw new HdlError(`${prefix}: roundFlushedProduct needs flushed outputs and at most one leading zero`);
  }
  const m = product.sig.builder;
  const layout = floatLayout(format);
  const [E, M] = [format.expBits, format.mantBits];
  const zero = m.constant(0, UInt(1));

  // The significand normalized (its top bit brought up), with zeros below up to the guard bit.
  const top = product.sig.msb();
  const shifted = mux(top, product.sig, product.sig.shl(1)).named(`${prefix}_sig`);
  const width = Math.max(shifted.width, M + 2);
  const sig = width === shifted.width ? shifted : cat(shifted, m.constant(0, UInt(width - shifted.width)));
  const kept = sig.slice(width - 1, width - 1 - M).named(`${prefix}_kept`);
  const guard = sig.bit(width - 2 - M).named(`${prefix}_guard`);
  const below = width - 3 - M >= 0 ? sig.slice(width - 3 - M, 0).orR() : zero;
  const rest = below.or(product.sticky ?? zero).named(`${prefix}_sticky`);
  const inexactRounding = guard.or(rest).named(`${prefix}_inexact_rounding`);
  const increment = roundIncrement(policy.rounding, product.sign, kept.bit(0), guard, rest).named(
    `${prefix}_round_up`,
  );
  const rounded = kept
    .zext(M + 2)
    .add(increment.zext(M + 2), { width: M + 2 })
    .named(`${prefix}_rounded`);
  const carry = rounded.bit(M + 1);
  const mant = rounded.slice(M - 1, 0).named(`${prefix}_mant`);

  // The exponent steps up for the top bit and for the carry; both at once only where a significand
  // with its top bit set lies above the one whose kept bits are all ones and the rest zeros.
  const allOnesKept = ((1n << BigInt(M + 1)) - 1n) << BigInt(Math.max(product.sig.width - 1 - M, 0));
  const both = largestSig === undefined || largestSig > allOnesKept;
  const step = both ? cat(top.and(carry), top.xor(carry)) : top.or(carry);
  // sum + fieldOffset is the rounded value's field (its biased exponent, unbounded).
  const expRange = product.expRange ?? {
    min: -(2 ** (product.exp.width - 1)),
    max: 2 ** (product.exp.width - 1) - 1,
  };
  // Unsigned where the exponent is never negative (biased fields): one bit fewer to add and compare.
  const [sumMin, sumMax] = [expRange.min, expRange.max + (both ? 2 : 1)];
  const sum = (
    sumMin >= 0
      ? product.exp
          .asUnsigned()
          .resize(unsignedBits(sumMax))
          .add(step, { width: unsignedBits(sumMax) })
      : product.exp
          .resize(signedBits(sumMin, sumMax))
          .add(step.zext(signedBits(sumMin, sumMax)).asSigned(), { width: signedBits(sumMin, sumMax) })
  ).named(`${prefix}_exp_sum`);
  const fieldOffset = format.bias - (product.expBias ?? 0) - 1;

  const tinyAfter = atMostConstant(sum, -fieldOffset);
  // One above that bound, reached only through the carry (a bound beyond the sum's range is never met).
  const [lowest, highest] = sum.signed
    ? [-(2 ** (sum.width - 1)), 2 ** (sum.width - 1) - 1]
    : [0, 2 ** sum.width - 1];
  const atBoundPlusOne =
    1 - fieldOffset >= lowest && 1 - fieldOffset <= highest ? sum.eq(1 - fieldOffset) : zero;
  const tinyBefore = tinyAfter.or(carry.and(atBoundPlusOne));
  const tiny = (policy.tininess === 'after' ? tinyAfter : tinyBefore).named(`${prefix}_tiny`);
  // Beyond the largest finite code: the field and mantissa together above it.
  const magnitude = sum.signed ? cat(sum.asUnsigned(), mant).asSigned() : cat(sum, mant);
  const overflow = atMostConstant(magnitude, layout.maxCode - fieldOffset * 2 ** M)
    .not()
    .named(`${prefix}_overflow`);
  const fieldLow = sum
    .resize(Math.max(sum.width, E))
    .asUnsigned()
    .slice(E - 1, 0)
    .add(((fieldOffset % 2 ** E) + 2 ** E) % 2 ** E, { width: E })
    .named(`${prefix}_exp_field`);

  const { zeroCode, nanResult, infResult, overflowResult } = specialOutcomes(product, format, policy);
  const packed = cat(product.sign, fieldLow, mant);
  const finite = product.isNaN.or(product.isInf).or(product.isZero).not();
  const code = mux(
    product.isNaN,
    nanResult,
    mux(
      product.isInf,
      infResult,
      mux(product.isZero.or(tiny), zeroCode, mux(overflow, overflowResult, packed)),
    ),
  ).named(`${prefix}_code`);
  return {
    code,
    invalid: invalidFlag(product, format, policy, prefix),
    overflow: finite.and(overflow).and(tiny.not()).named(`${prefix}_overflow_flag`),
    underflow: finite.and(tiny).and(overflow.not()).named(`${prefix}_underflow_flag`),
    inexact: finite.and(inexactRounding.or(overflow).or(tiny)).named(`${prefix}_inexact`),
  };
}
