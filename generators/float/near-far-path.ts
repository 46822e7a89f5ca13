// fp_add's two-path adder (docs/fp_add.md#near-far-path): a near path for the cancelling
// subtractions of exponents at most one apart and a far path for everything else, computed side by
// side, one of them chosen before the shared alignment to the output format and rounding.
import { alignToFormat } from '../arith/align.ts';
import { atMostConstant } from '../arith/compare-constant.ts';
import { leadingZeros } from '../arith/lzc.ts';
import { sumSign, type SignificandForms } from '../arith/add.ts';
import type { RawFloat } from '../arith/raw-float.ts';
import { roundPack, type RoundedFloat } from '../arith/round.ts';
import { splitSum } from '../arith/split-sum.ts';
import { unsignedBits } from '../arith/widths.ts';
import type { FloatFormat, ResolvedPolicy } from '../formats/index.ts';
import { cat, mux, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';

/** The cut points of nearFarAddRound (docs/fp_add.md#near-far-path lists where each falls). */
export type NearFarCut =
  | 'difference'
  | 'exponents'
  | 'shift'
  | 'aligned'
  | 'carry'
  | 'count'
  | 'summed'
  | 'normalize'
  | 'denorm'
  | 'align'
  | 'increment';

/**
 * The far path's guard bits below the larger significand (docs/fp_add.md#near-far-path): the sticky
 * bit in the window's last place must lie below the output's guard bit and the bit under it, counted
 * from a far difference's leading one (at most one place below the larger operand's top).
 */
export function farGuardBits(sigWidth: number, out: FloatFormat): number {
  return Math.max(2, out.mantBits + 5 - sigWidth);
}

/**
 * x + y of two operands of one format, rounded once into `format` with `policy`. The operands are
 * as fp_add unpacks them: each exponent is its field (a subnormal's is 0 and its significand {m, 0})
 * and `bias` the format's. The operand of larger exponent leads; with `xNotSmaller` (|x| ≥ |y|, from
 * the codes) the larger one does, and no difference is ever negative. Otherwise the near path forms
 * both differences of equal exponents and keeps the positive one. `significands`: each operand's
 * significand as its two placements (the exponent field's test chooses); `zeroSignificandOfZero`:
 * a zero operand's significand is zero (false when subnormals are flushed: field 0 is then zero).
 *
 * Near path (an effective subtraction, exponents 0 or 1 apart): the smaller significand moved by
 * one place at most, an exact difference one bit wider than the significands, its leading zeros
 * counted and shifted out. Far path (the rest): the smaller significand shifted right with a sticky
 * bit, added or subtracted in a window `farGuardBits` wider, and at most one place left to
 * normalize, which alignToFormat does. The two paths' results are chosen by a decision taken from
 * the exponents and signs alone.
 */
export function nearFarAddRound(
  x: RawFloat,
  y: RawFloat,
  format: FloatFormat,
  policy: ResolvedPolicy,
  bias: number,
  xNotSmaller: Signal | undefined,
  significands: { x: SignificandForms; y: SignificandForms },
  zeroSignificandOfZero: boolean,
  cut: (point: NearFarCut) => void,
  has: (point: NearFarCut) => boolean,
): RoundedFloat {
  const m = x.sign.builder;
  const zeros = (width: number) => m.constant(0, UInt(width));
  const w = x.sig.width;
  const guardBits = farGuardBits(w, format);
  const farWidth = w + guardBits;
  const zeroSign = policy.rounding === 'rdown' ? 1 : 0;

  // ---- From the exponents and signs: the order, the shift amount and the path.
  const expWidth = Math.max(x.exp.width, y.exp.width) + 1;
  const ex = x.exp.resize(expWidth);
  const ey = y.exp.resize(expWidth);
  // Both differences beside the magnitude comparison, each clamped and tested in LUTs; the picks
  // follow the 'difference' cut.
  const xMinusY = ex.sub(ey, { width: expWidth + 1 }).named('nf_x_minus_y');
  const yMinusX = ey.sub(ex, { width: expWidth + 1 }).named('nf_y_minus_x');
  const xFirst = (xNotSmaller ?? xMinusY.msb().not()).named('nf_x_first');
  const shiftBits = unsignedBits(farWidth);
  const clamp = (difference: Signal, name: string) =>
    mux(
      atMostConstant(difference, farWidth).not(),
      m.constant(farWidth, UInt(shiftBits)),
      difference
        .resize(shiftBits + 1)
        .asUnsigned()
        .resize(shiftBits),
    ).named(name);
  const [xAmount, yAmount] = [clamp(xMinusY, 'nf_align_x'), clamp(yMinusX, 'nf_align_y')];
  const [xClose, yClose] = [
    atMostConstant(xMinusY, 1).named('nf_close_x'),
    atMostConstant(yMinusX, 1).named('nf_close_y'),
  ];
  // Exponents at most one apart differ by one exactly when their last bits do: the near path needs
  // no difference.
  const oneApart = ex.bit(0).xor(ey.bit(0)).named('nf_one_apart');
  // Each significand from its two placements ({1, m}, or a subnormal's {m, 0}; zero when flushed),
  // and their trailing zeros (and the far window's guard bits) counted apart from the mantissa,
  // beside the test that chooses: a one falls out of the far window when the shift exceeds them.
  const placed = (forms: SignificandForms, name: string) => {
    const ifClear = zeroSignificandOfZero ? forms.ifClear : zeros(w);
    const trailing = (sig: Signal) =>
      leadingZeros(cat(...Array.from({ length: w }, (_, k) => sig.bit(k))))
        .zext(shiftBits + 1)
        .add(guardBits, { width: shiftBits + 1 });
    return {
      sig: mux(forms.select, forms.ifSet, ifClear).named(`nf_${name}_sig`),
      trailing: mux(forms.select, trailing(forms.ifSet), trailing(ifClear)).named(`nf_${name}_trailing`),
    };
  };
  const [xs, ys] = [placed(significands.x, 'x'), placed(significands.y, 'y')];
  cut('difference');

  const amount = mux(xFirst, xAmount, yAmount).named('nf_align');
  const close = mux(xFirst, xClose, yClose);
  const bigSign = mux(xFirst, x.sign, y.sign);
  const smallSign = mux(xFirst, y.sign, x.sign);
  const subtract = bigSign.xor(smallSign).named('nf_subtract');
  const near = subtract.and(close).named('nf_near');
  const bigExp = mux(xFirst, ex, ey).named('nf_big_exp');
  const big = mux(xFirst, xs.sig, ys.sig).named('nf_big');
  const small = mux(xFirst, ys.sig, xs.sig).named('nf_small');
  const smallTrailing = mux(xFirst, ys.trailing, xs.trailing).named('nf_small_trailing');
  cut('exponents');

  // ---- Far: the alignment shift (split after its coarse half with 'shift') and the addend.
  const low = Math.ceil(shiftBits / 2);
  const smallWindow = cat(small, zeros(guardBits));
  const coarse = has('shift')
    ? smallWindow.shr(cat(amount.slice(shiftBits - 1, low), zeros(low))).named('nf_coarse_aligned')
    : smallWindow;
  cut('shift');
  const shifted = has('shift')
    ? coarse.shr(amount.slice(low - 1, 0).zext(shiftBits))
    : smallWindow.shr(amount);
  const lost = amount.zext(shiftBits + 1).gt(smallTrailing);
  const smallSticky = shifted.or(lost.zext(farWidth)).named('nf_far_aligned');
  // big − small is big + ~small + 1: one adder, whose addend is formed before the cut.
  const addend = mux(
    subtract,
    cat(m.constant(1, UInt(1)), smallSticky.not()),
    cat(zeros(1), smallSticky),
  ).named('nf_far_addend');
  // ---- Near: the smaller significand one place down or not, and the exact difference. Of equal
  // exponents ordered by exponent alone either may be larger: both differences, the positive one kept.
  const nearSmall = mux(oneApart, cat(zeros(1), small), cat(small, zeros(1)));
  const nearBig = cat(big, zeros(1));
  const bigMinusSmall = nearBig.sub(nearSmall, { width: w + 2 }).named('nf_near_big_minus_small');
  const negative = xNotSmaller === undefined ? bigMinusSmall.msb().named('nf_near_negative') : undefined;
  const nearDifference = (
    negative === undefined
      ? bigMinusSmall.slice(w, 0)
      : mux(negative, nearSmall.sub(nearBig, { width: w + 1 }), bigMinusSmall.slice(w, 0))
  ).named('nf_near_difference');
  cut('aligned');

  // ---- Far: the window-wide addition (split halfway up its carry chain with 'carry').
  const bigWindow = cat(zeros(1), big, zeros(guardBits));
  const farSum = (
    has('carry')
      ? splitSum(bigWindow, addend, subtract, () => cut('carry'), 'nf_far_split')
      : bigWindow
          .add(addend, { width: farWidth + 1 })
          .add(subtract.zext(farWidth + 1), { width: farWidth + 1 })
  ).named('nf_far_sum');
  // ---- Near: the leading-zero count (split after its chunks with 'count').
  const nearLz = leadingZeros(nearDifference, has('count') ? () => cut('count') : undefined).named(
    'nf_near_lz',
  );
  const exactZero = near.and(nearDifference.orR().not()).named('nf_exact_zero');
  cut('summed');

  // ---- Each path's value (exp is the weight of sig's top bit), then the choice.
  const resultWidth = Math.max(expWidth, unsignedBits(w + 1) + 1) + 1;
  const top = bigExp.resize(resultWidth);
  // A difference never carries: its window starts at the larger operand's top bit, with at most one
  // leading zero; a sum's starts at the carry.
  const farSig = mux(subtract, cat(farSum.slice(farWidth - 1, 0), zeros(1)), farSum);
  const farExp = mux(subtract, top, top.add(1, { width: resultWidth }));
  const nearSig = cat(nearDifference.shl(nearLz), zeros(guardBits));
  const nearExp = top.sub(
    nearLz
      .zext(nearLz.width + 1)
      .asSigned()
      .resize(resultWidth),
    { width: resultWidth },
  );
  const sig = mux(near, nearSig, farSig).named('nf_sig');
  const exp = mux(near, nearExp, farExp).named('nf_exp');

  // Special values, as IEEE addition defines them (addRaw's rules).
  const infs = x.isInf.and(y.isInf);
  const isNaN = x.isNaN
    .or(y.isNaN)
    .or(infs.and(x.sign.xor(y.sign)))
    .named('nf_is_nan');
  const isInf = x.isInf.or(y.isInf).and(isNaN.not());
  const { sign, bothZero } = sumSign(x, y, zeroSign, 'nf_sign', () => {
    const leadSign = negative === undefined ? bigSign : mux(near.and(negative), smallSign, bigSign);
    return mux(exactZero, m.constant(zeroSign, UInt(1)), leadSign);
  });
  const isZero = bothZero.or(exactZero).and(isNaN.not()).and(isInf.not());
  const none = m.constant(0, UInt(1));
  cut('normalize');

  // The field and the significand for the output format (far sums of two subnormals keep their
  // leading zeros: they sit at emin or below, where alignToFormat does not normalize), then one rounding.
  const aligned = alignToFormat(
    {
      sign,
      exp,
      sig,
      isZero,
      isInf,
      isNaN,
      invalid: (x.invalid ?? none).or(y.invalid ?? none).or(infs.and(x.sign.xor(y.sign))),
      expBias: bias,
      maxLeadingZeros: 1,
    },
    format,
    policy.subnormals,
    'nf_align',
    () => cut('denorm'),
    { comparesInLuts: true, lostFromMask: true },
  );
  cut('align');
  return roundPack(aligned, format, policy, 'out', () => cut('increment'));
}
