// a + b of two decoded (normalized) values, for the operation orders that add a scaled zero point:
// q·s + (−s·z). The smaller operand is aligned to the larger in a window of W + 3 bits (W the wider
// significand) and every bit shifted out of the window is ORed into one extra sticky position below
// it. The bits of the sum above that position are then exact, and the position is set exactly when
// the true sum has nonzero bits there or below. When bits were shifted out (exponents at least 2
// apart), the sum has at most 2 leading zeros, so after normalization the sticky position stays below
// the guard bit of any output of at most W significand bits: rounding the result once is correct.

import type { NormalizedFloat, RawFloat } from '../arith/raw-float.ts';
import { unsignedBits } from '../arith/widths.ts';
import { cat, mux, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';

const GUARD_BITS = 3;

function leftAligned(sig: Signal, width: number): Signal {
  const m = sig.builder;
  return sig.width === width ? sig : cat(sig, m.constant(0, UInt(width - sig.width)));
}

/**
 * The exact sum as a RawFloat (sig with up to 2 leading zeros, or more under cancellation, which
 * only happens when nothing was shifted out). An exact zero sum has the sign IEEE 754 gives it:
 * that of two equal-signed zeros, else `zeroSign` (+, or − when rounding toward −∞).
 */
export function exactSum(a: NormalizedFloat, b: NormalizedFloat, zeroSign: 0 | 1, prefix: string): RawFloat {
  const m = a.sign.builder;
  const width = Math.max(a.sig.width, b.sig.width);
  const expWidth = Math.max(a.exp.width, b.exp.width) + 1;
  const [ea, eb] = [a.exp.resize(expWidth), b.exp.resize(expWidth)];
  const [sa, sb] = [leftAligned(a.sig, width), leftAligned(b.sig, width)];

  // The larger operand (a zero never is, unless both are).
  const aBig = b.isZero.or(a.isZero.not().and(ea.ge(eb))).named(`${prefix}_a_big`);
  const bigSign = mux(aBig, a.sign, b.sign);
  const bigExp = mux(aBig, ea, eb).named(`${prefix}_big_exp`);
  const bigZero = mux(aBig, a.isZero, b.isZero);
  const bigSig = mux(bigZero, m.constant(0, UInt(width)), mux(aBig, sa, sb));
  const smallSign = mux(aBig, b.sign, a.sign);
  const smallZero = mux(aBig, b.isZero, a.isZero);
  const smallSig = mux(smallZero, m.constant(0, UInt(width)), mux(aBig, sb, sa));
  const smallExp = mux(aBig, eb, ea);

  // Align: shift the smaller right by the exponent difference, at most past the whole window.
  const window = width + GUARD_BITS;
  const limit = window;
  const shiftBits = unsignedBits(limit);
  const distance = bigExp.sub(smallExp, { width: expWidth + 1 });
  const far = distance.gt(m.constant(limit, SInt(expWidth + 1)));
  const shift = mux(
    far,
    m.constant(limit, UInt(shiftBits)),
    distance.asUnsigned().slice(shiftBits - 1, 0),
  ).named(`${prefix}_align`);
  const smallWide = cat(smallSig, m.constant(0, UInt(GUARD_BITS)));
  const aligned = smallWide.shr(shift).named(`${prefix}_aligned`);
  // The bits shifted out: a mask of the `shift` lowest bits (a thermometer code of the amount).
  const outMask = cat(...Array.from({ length: window }, (_, i) => shift.gt(window - 1 - i)));
  const sticky = smallWide.and(outMask).orR().named(`${prefix}_sticky`);

  const total = window + 2; // the sticky position below, a carry position above
  const bigExt = cat(bigSig, m.constant(0, UInt(GUARD_BITS + 1))).zext(total);
  const smallExt = cat(aligned, sticky).zext(total);
  const subtract = bigSign.xor(smallSign).named(`${prefix}_subtract`);
  const sum = bigExt.add(smallExt, { width: total });
  const difference = bigExt
    .asSigned()
    .resize(total + 1)
    .sub(smallExt.asSigned().resize(total + 1), {
      width: total + 1,
    });
  const negative = subtract.and(difference.msb());
  const magnitudeOfDifference = mux(
    difference.msb(),
    m.constant(0, SInt(total + 1)).sub(difference, { width: total + 1 }),
    difference,
  )
    .asUnsigned()
    .slice(total - 1, 0);
  const magnitude = mux(subtract, magnitudeOfDifference, sum).named(`${prefix}_sig`);

  const isNaN = a.isNaN
    .or(b.isNaN)
    .or(a.isInf.and(b.isInf).and(a.sign.xor(b.sign)))
    .named(`${prefix}_is_nan`);
  const isInf = a.isInf.or(b.isInf).and(isNaN.not()).named(`${prefix}_is_inf`);
  const isZero = magnitude.orR().not().and(isNaN.or(isInf).not()).named(`${prefix}_is_zero`);
  const bothZeroSameSign = a.isZero.and(b.isZero).and(a.sign.xor(b.sign).not());
  const zeroResultSign = mux(bothZeroSameSign, a.sign, m.constant(zeroSign, UInt(1)));
  const infSign = mux(a.isInf, a.sign, b.sign);
  const sign = mux(isInf, infSign, mux(isZero, zeroResultSign, bigSign.xor(negative))).named(
    `${prefix}_sign`,
  );
  // bigExt's top significand bit sits one below the carry position.
  const exp = bigExp.add(1).named(`${prefix}_exp`);
  return { sign, exp, sig: magnitude, isZero, isInf, isNaN };
}
