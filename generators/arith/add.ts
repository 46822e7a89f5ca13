import { cat, mux, type Signal } from '../hdl/signal.ts';
import { typeRange, UInt } from '../hdl/types.ts';
import { atMostConstant } from './compare-constant.ts';
import { leadingZeros } from './lzc.ts';
import type { RawFloat } from './raw-float.ts';
import { unsignedBits } from './widths.ts';

/**
 * The sum of two raw floats, exact except for bits far below both (kept as a sticky bit), ready for
 * one rounding. Both significands are placed by the weight of their top position in a window of
 * wx + wy + 3 bits (one bit of headroom for the carry); the operand with the smaller exponent is
 * shifted right, and what falls out of the window is ORed into the window's last bit. Two bits below
 * every rounding position keep that sticky bit from changing the rounding, for sums and differences
 * alike. Neither operand needs to be normalized (subnormals may carry leading zeros).
 *
 * `zeroSign` is the sign of an exact zero sum of opposite-signed terms: + except when rounding toward −∞.
 * `cut(point)` is called where a pipeline stage may go: after the exponent comparison ('exponents'),
 * after the alignment ('aligned'), after the wide addition ('summed') and after its absolute value
 * ('complemented'). `options` give faster forms of the steps (AddRawOptions).
 */
export function addRaw(
  x: RawFloat,
  y: RawFloat,
  zeroSign: 0 | 1,
  prefix: string,
  cut: (point: 'exponents' | 'aligned' | 'summed' | 'complemented') => void = () => {},
  options: AddRawOptions = {},
): RawFloat {
  const { wideAdd, cutDifference, swapAfterDifference, lostFromTrailingZeros, cutShift, compared } = options;
  const m = x.sign.builder;
  // Operands ordered by magnitude leave big − small ≥ 0: no negation, the sign is the larger one's.
  const ordered = options.orderedByMagnitude === true;
  const window = x.sig.width + y.sig.width + 3;
  const expWidth = Math.max(x.exp.width, y.exp.width) + 1;
  const ex = x.exp.resize(expWidth);
  const ey = y.exp.resize(expWidth);
  // Put both significands' top positions at bit window−2 (bit window−1 takes the carry).
  const place = (sig: Signal) =>
    cat(m.constant(0, UInt(1)), sig, m.constant(0, UInt(window - 1 - sig.width)));
  const xw = place(x.sig);
  const yw = place(y.sig);
  const xFirst = compared?.xFirst ?? ex.ge(ey).named(`${prefix}_x_first`);
  // Each operand's trailing zeros in the window, counted beside the exponent comparison; of a
  // significand given as two forms, each form's apart, so that the count need not wait for the choice.
  const trailingZeros = (w: Signal) =>
    leadingZeros(cat(...Array.from({ length: window }, (_, k) => w.bit(k))));
  const trailing = lostFromTrailingZeros
    ? ([xw, yw] as const).map((w, i) => {
        const forms = i === 0 ? options.sigForms?.x : options.sigForms?.y;
        const count =
          forms === undefined
            ? trailingZeros(w)
            : mux(forms.select, trailingZeros(place(forms.ifSet)), trailingZeros(place(forms.ifClear)));
        return count.named(`${prefix}_${i === 0 ? 'x' : 'y'}_trailing_zeros`);
      })
    : undefined;
  const swap = () => ({
    big: mux(xFirst, xw, yw).named(`${prefix}_big`),
    small: mux(xFirst, yw, xw).named(`${prefix}_small`),
  });
  let swapped = cutDifference !== undefined && swapAfterDifference ? undefined : swap();
  const bigSign = mux(xFirst, x.sign, y.sign);
  const smallSign = mux(xFirst, y.sign, x.sign);
  const bigExp = mux(xFirst, ex, ey);
  // Shift the smaller operand right; beyond the window it only leaves a sticky bit.
  const shiftBits = unsignedBits(window);
  // A difference whose type cannot exceed the window never needs the clamp's comparison (a window
  // wider than the exponents' range, e.g. two 3-bit exponents into a 34-bit window).
  const beyondWindow = (difference: Signal, inLuts: boolean) =>
    typeRange(difference.type).max <= BigInt(window)
      ? m.constant(0, UInt(1))
      : inLuts
        ? atMostConstant(difference, window).not()
        : difference.gt(window);
  const clampToWindow = (difference: Signal, inLuts = false) =>
    mux(
      beyondWindow(difference, inLuts),
      m.constant(window, UInt(shiftBits)),
      difference
        .resize(shiftBits + 1)
        .asUnsigned()
        .resize(shiftBits),
    );
  let clamped: Signal;
  if (ordered) {
    // Both differences clamped beside the comparison (their limit tested in LUTs, not a second carry
    // chain behind the differences'); the pick is the last step.
    const amounts = compared ?? {
      xMinusY: ex.sub(ey, { width: expWidth + 1 }),
      yMinusX: ey.sub(ex, { width: expWidth + 1 }),
    };
    const xAmount = clampToWindow(amounts.xMinusY, true).named(`${prefix}_align_x`);
    const yAmount = clampToWindow(amounts.yMinusX, true).named(`${prefix}_align_y`);
    cutDifference?.();
    swapped ??= swap();
    clamped = mux(xFirst, xAmount, yAmount).named(`${prefix}_align`);
  } else {
    let difference =
      compared === undefined
        ? mux(xFirst, ex.sub(ey, { width: expWidth + 1 }), ey.sub(ex, { width: expWidth + 1 }))
        : mux(xFirst, compared.xMinusY, compared.yMinusX);
    if (cutDifference !== undefined) {
      difference = difference.named(`${prefix}_exp_difference`);
      cutDifference();
    }
    swapped ??= swap();
    clamped = clampToWindow(difference).named(`${prefix}_align`);
  }
  const { big, small } = swapped;
  cut('exponents');
  // With `cutShift`: by the amount's high bits (whole multiples of 2^low), a cut, then its low bits.
  const low = Math.ceil(shiftBits / 2);
  const coarse =
    cutShift === undefined
      ? small
      : small
          .shr(cat(clamped.slice(shiftBits - 1, low), m.constant(0, UInt(low))))
          .named(`${prefix}_coarse_aligned`);
  cutShift?.();
  const aligned =
    cutShift === undefined ? small.shr(clamped) : coarse.shr(clamped.slice(low - 1, 0).zext(shiftBits));
  // A one falls out when the shift exceeds the smaller operand's trailing zeros (a comparison of two
  // counts), or else where the shift's thermometer mask meets a one. The mask (the low `clamped`
  // bits) is all ones shifted and inverted: LUT logic, where one comparison per bit took a carry
  // chain each on the iCE40 and ECP5 (352 of them in a W4A16 MAC).
  const thermometer = () =>
    m
      .constant((1n << BigInt(window)) - 1n, UInt(window))
      .shl(clamped)
      .not()
      .named(`${prefix}_lost_mask`);
  const lost =
    trailing === undefined
      ? small.and(thermometer()).orR()
      : clamped.gt(mux(xFirst, trailing[1]!, trailing[0]!).named(`${prefix}_small_trailing_zeros`));
  const smallSticky = aligned.or(lost.zext(window)).named(`${prefix}_aligned`);
  const wide = (value: Signal) => value.zext(window + 1);
  // Add magnitudes for equal signs, subtract otherwise; a negative difference flips the sign.
  const effectiveSubtract = () => bigSign.xor(smallSign).named(`${prefix}_subtract`);
  // big − small is big + ~small + 1, and −sum is ~sum + 1: the same adder with a carry-in.
  const addendOf = (subtract: Signal) => mux(subtract, wide(smallSticky).not(), wide(smallSticky));
  const early = wideAdd !== undefined && ordered;
  const subtractEarly = early ? effectiveSubtract() : undefined;
  const addendEarly =
    subtractEarly === undefined ? undefined : addendOf(subtractEarly).named(`${prefix}_addend`);
  cut('aligned');
  const subtract = subtractEarly ?? effectiveSubtract();
  const sum = (
    wideAdd === undefined
      ? mux(
          subtract,
          wide(big).sub(wide(smallSticky), { width: window + 1 }),
          wide(big).add(wide(smallSticky), { width: window + 1 }),
        )
      : wideAdd(wide(big), addendEarly ?? addendOf(subtract), subtract, 'sum')
  ).named(`${prefix}_sum`);
  cut('summed');
  const negative = ordered ? undefined : sum.msb();
  const negated = () =>
    wideAdd === undefined
      ? m.constant(0, UInt(window + 1)).sub(sum, { width: window + 1 })
      : wideAdd(sum.not(), m.constant(0, UInt(window + 1)), m.constant(1, UInt(1)), 'complement');
  const magnitude = (negative === undefined ? sum : mux(negative, negated(), sum))
    .slice(window - 1, 0)
    .named(`${prefix}_magnitude`);
  // |sum| is below 2^(window−1): it is zero exactly when the sum is, which is known a cut earlier.
  const zeroSum = options.zeroFromSum === true ? sum.orR().not().named(`${prefix}_exact_zero`) : undefined;
  cut('complemented');
  const exactZero = zeroSum ?? magnitude.orR().not();

  // Special values, as IEEE addition defines them; an absent-looking zero keeps the other operand's sign.
  const infs = x.isInf.and(y.isInf);
  const isNaN = x.isNaN
    .or(y.isNaN)
    .or(infs.and(x.sign.xor(y.sign)))
    .named(`${prefix}_is_nan`);
  const isInf = x.isInf.or(y.isInf).and(isNaN.not());
  const { sign, bothZero } = sumSign(x, y, zeroSign, `${prefix}_sign`, () =>
    mux(
      exactZero,
      m.constant(zeroSign, UInt(1)),
      negative === undefined ? bigSign : mux(negative, smallSign, bigSign),
    ),
  );
  // A zero operand contributes nothing: the other one passes through the window unchanged. Ordered
  // by magnitude, a zero is the smaller operand, and with a zero significand the sum is the other one.
  const onlyX = y.isZero.and(x.isZero.not());
  const onlyY = x.isZero.and(y.isZero.not());
  const passThrough = !(ordered && options.zeroSignificandOfZero === true);
  const sig = passThrough
    ? mux(onlyX, xw.slice(window - 1, 0), mux(onlyY, yw.slice(window - 1, 0), magnitude))
    : magnitude;
  const exp = (passThrough ? mux(onlyX, ex, mux(onlyY, ey, bigExp)) : bigExp)
    .add(1, { width: expWidth + 1 })
    .named(`${prefix}_exp`);
  const zero = bothZero.or(exactZero.and(x.isZero.or(y.isZero).not()));
  return {
    sign,
    exp,
    sig: sig.named(`${prefix}_sig`),
    isZero: zero.and(isNaN.not()).and(isInf.not()),
    isInf,
    isNaN,
    invalid: (x.invalid ?? m.constant(0, UInt(1)))
      .or(y.invalid ?? m.constant(0, UInt(1)))
      .or(infs.and(x.sign.xor(y.sign))),
  };
}

/** Faster forms of addRaw's steps, each off by default. */
export interface AddRawOptions {
  /**
   * Forms the two window-wide additions, the sum and its complement, as a + b + carryIn (e.g.
   * `splitSum`, with a cut in the carry chain).
   */
  wideAdd?: (a: Signal, b: Signal, carryIn: Signal, which: 'sum' | 'complement') => Signal;
  /** Places a cut between the exponents' difference and its clamp to the window (two carry chains in a row otherwise). */
  cutDifference?: () => void;
  /** With cutDifference: the significands' swap (a window-wide mux of the comparison) follows that cut too. */
  swapAfterDifference?: boolean;
  /**
   * Whether the alignment shifts out a one is decided by comparing the shift with the smaller operand's
   * trailing zeros (counted beside the exponent comparison), not by a window-wide mask and OR behind the shift.
   */
  lostFromTrailingZeros?: boolean;
  /**
   * With lostFromTrailingZeros: an operand's significand as the choice of two forms (a subnormal's
   * placement), whose trailing zeros are counted apart, beside the test that chooses between them.
   */
  sigForms?: { x?: SignificandForms; y?: SignificandForms };
  /** Places a cut inside the alignment shift (after its coarse half). */
  cutShift?: () => void;
  /**
   * `compareExponents(x, y)` formed earlier (from the exponents alone, e.g. beside a multiplier that is
   * still forming x's significand): only the pick of the difference is left here.
   */
  compared?: ExponentComparison;
  /**
   * The exact-zero test reads the signed sum, before the 'complemented' cut, rather than the magnitude
   * after it (a window-wide OR in front of the sign's and flags' logic otherwise).
   */
  zeroFromSum?: boolean;
  /**
   * `compared.xFirst` says |x| ≥ |y| (not only ex ≥ ey): the difference of the magnitudes is never
   * negative, so it is not negated (one window-wide carry chain fewer). The magnitude comparison is
   * then a carry chain as long as the codes, so only the pick may follow it: both exponent
   * differences are clamped to the window beside it (`cutDifference` falls before the pick), and with
   * `wideAdd` the addend (the smaller operand, complemented for a subtraction) is formed before the
   * 'aligned' cut, folded into the alignment's last LUTs, so that the carry chain starts at a register.
   */
  orderedByMagnitude?: boolean;
  /**
   * With orderedByMagnitude: a zero operand has an all-zero significand (no flushed subnormal), so
   * that the sum needs no pass-through of the other operand in front of the normalization.
   */
  zeroSignificandOfZero?: boolean;
}

/** A significand that is `ifSet` when `select` is 1 and `ifClear` otherwise (both of its width). */
export interface SignificandForms {
  select: Signal;
  ifSet: Signal;
  ifClear: Signal;
}

/** addRaw's exponent comparison, formed apart from it: which operand is larger, and both differences. */
export interface ExponentComparison {
  xFirst: Signal;
  xMinusY: Signal;
  yMinusX: Signal;
}

/** The comparison addRaw makes of x's and y's exponents, to form before the significands are ready. */
export function compareExponents(x: RawFloat, y: RawFloat, prefix: string): ExponentComparison {
  const expWidth = Math.max(x.exp.width, y.exp.width) + 1;
  const ex = x.exp.resize(expWidth);
  const ey = y.exp.resize(expWidth);
  return {
    xFirst: ex.ge(ey).named(`${prefix}_x_first`),
    xMinusY: ex.sub(ey, { width: expWidth + 1 }).named(`${prefix}_x_minus_y`),
    yMinusX: ey.sub(ex, { width: expWidth + 1 }).named(`${prefix}_y_minus_x`),
  };
}

/**
 * The sign of a sum as IEEE addition defines it: an infinity's; of two zeros, theirs if they agree,
 * else `zeroSign`; a zero operand takes the other's; otherwise `finite()` (the sign of the finite sum,
 * formed after the zero cases so that the nodes come in the same order in every caller); and whether
 * both operands are zeros.
 */
export function sumSign(
  x: RawFloat,
  y: RawFloat,
  zeroSign: 0 | 1,
  name: string,
  finite: () => Signal,
): { sign: Signal; bothZero: Signal } {
  const m = x.sign.builder;
  const bothZero = x.isZero.and(y.isZero);
  const zeroResultSign = mux(x.sign.eq(y.sign), x.sign, m.constant(zeroSign, UInt(1)));
  const finiteSign = finite();
  const sign = mux(
    x.isInf,
    x.sign,
    mux(
      y.isInf,
      y.sign,
      mux(bothZero, zeroResultSign, mux(x.isZero, y.sign, mux(y.isZero, x.sign, finiteSign))),
    ),
  ).named(name);
  return { sign, bothZero };
}
