import { floatLayout, type FloatFormat } from '../formats/index.ts';
import { HdlError } from '../hdl/errors.ts';
import { cat, mux, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { atMostConstant } from './compare-constant.ts';
import type { NormalizedFloat, RawFloat } from './raw-float.ts';
import { signedBits, unsignedBits } from './widths.ts';

export interface AlignOptions {
  /** Compare the exponent with emin in LUT logic rather than through carry chains (faster on ECP5). */
  comparesInLuts?: boolean;
  /**
   * Gather the bits the subnormal shift drops from the unshifted significand and a mask decoded from
   * the amount, beside the shifter rather than behind it.
   */
  lostFromMask?: boolean;
  /**
   * The significand's top bit is set for every finite nonzero value (a normalized source, as a
   * converter's): the field needs no correction for a clear top bit, so it is the exponent plus one
   * constant, and no one-place left shift is kept ready.
   */
  topSet?: boolean;
  /**
   * With topSet: a field beyond the format's largest plus one is clamped there (every such value
   * overflows, however it rounds), so that the field arithmetic is only as wide as the format's
   * field, however wide the exponent range (a conversion from a wider format).
   */
  clampAbove?: boolean;
  /**
   * Bits below the last kept one that the rounding reads exactly: 1, the guard (default), or the R bits
   * of stochastic rounding (docs/fp_convert.md#stochastic-rounding). The bits below them are sticky.
   */
  roundingBits?: number;
}

/**
 * Normalize and denormalize for `format` in one step, for a value whose significand has at most one
 * leading zero when it is finite and nonzero (a product of normalized significands; a zero one must
 * be flagged isZero). Above the bottom of the format's normal range the top bit is brought up with a
 * 2:1 mux. At or below emin the value is shifted right to the subnormal quantum instead: that
 * amount depends on the exponent alone, so it is decided while the significand is still being
 * computed, and no leading-zero count is needed.
 *
 * The result is for `roundPack` (NormalizedFloat's alignedEmin): its significand has a clear top bit
 * only for a subnormal, its exponent is the format's exponent field before rounding (expBias is the
 * format's bias; a subnormal's field is 0), and the bits shifted out are gathered in `sticky`. When
 * the output flushes subnormals there is no shift: the value is only normalized, and the field of a
 * tiny one is 0 or below (roundPack flushes it). `cut` (if given) places a pipeline cut between
 * the decisions taken from the exponent and the significand's shift.
 */
export function alignToFormat(
  raw: RawFloat,
  format: FloatFormat,
  subnormals: 'keep' | 'flush',
  prefix: string,
  cut?: () => void,
  options: AlignOptions = {},
): NormalizedFloat {
  const decided = alignDecisions(raw, format, subnormals, prefix, options);
  cut?.();
  return alignSignificand(decided);
}

/** alignToFormat's decisions, taken from the exponent alone, for `alignSignificand` to apply. */
export interface AlignDecisions {
  raw: RawFloat;
  format: FloatFormat;
  prefix: string;
  fieldMin: number;
  fieldMax: number;
  fieldWidth: number;
  /** The field once the top bit is set, less one (the field itself with topSet). */
  biased: Signal;
  topSet: boolean;
  /** The field is fieldMax or beyond, and clamped to it (clampAbove). */
  above?: Signal;
  /** At emin or below, and strictly below (absent when the value is only normalized). */
  low?: Signal;
  belowEmin?: Signal;
  /** The right shift to the subnormal quantum. */
  shift?: Signal;
  lostFromMask: boolean;
  roundingBits: number;
}

/**
 * The first half of alignToFormat: everything it decides from the exponent. Several formats'
 * decisions can so be taken before one pipeline cut and their shifts after it (alignSignificand).
 */
export function alignDecisions(
  raw: RawFloat,
  format: FloatFormat,
  subnormals: 'keep' | 'flush',
  prefix: string,
  options: AlignOptions = {},
): AlignDecisions {
  if ((raw.maxLeadingZeros ?? raw.sig.width) > 1) {
    throw new HdlError(`${prefix}: alignToFormat needs a significand with at most one leading zero`);
  }
  const m = raw.sig.builder;
  const layout = floatLayout(format);
  const inBias = raw.expBias ?? 0;
  // emin and the field's bias, counted as the input's exponent is.
  const emin = layout.emin + inBias;
  const toField = format.bias - inBias;
  const range = raw.expRange ?? {
    min: -(2 ** (raw.exp.width - 1)),
    max: 2 ** (raw.exp.width - 1) - 1,
  };
  const expWidth = signedBits(Math.min(range.min, emin), Math.max(range.max, emin));
  const exp = raw.exp.resize(expWidth);

  // ---- From the exponent alone (before `cut`, if given: it often arrives before the significand)
  // The field once the top bit is set: exp + bias, one lower when the top bit was clear (one
  // addition, the top bit entering last). Formed in the field's width: values below emin wrap, but
  // those get field 0.
  const topSet = options.topSet === true;
  if (options.clampAbove === true && !topSet) {
    throw new HdlError(`${prefix}: clampAbove needs topSet (the field before the top bit's correction)`);
  }
  const hiField = layout.expFieldMax + 1;
  const clamp = options.clampAbove === true && range.max + toField > hiField;
  const fieldMax = clamp ? hiField : Math.max(range.max + toField, 1);
  const fieldMin = subnormals === 'keep' ? 0 : Math.min(range.min + toField - 1, 0);
  const fieldWidth = signedBits(fieldMin, fieldMax);
  let biased: Signal;
  if (clamp && (subnormals === 'keep' || range.min > emin)) {
    // Clamped above and never below 0 (subnormals kept, a tiny value's field is forced to 0): a field
    // that is not forced lies in 1..fieldMax − 1, which the format's own bits hold. Only those bits
    // are computed, and the constant's low zero bits add nothing.
    biased = addConstant(exp.asUnsigned().slice(format.expBits - 1, 0), toField)
      .zext(fieldWidth)
      .asSigned()
      .named(`${prefix}_field_base`);
  } else {
    const start = exp.resize(fieldWidth);
    // The addition wraps in the field's width, so the offset counts modulo 2^fieldWidth (an offset
    // wider than the field, as between formats of very different biases, would not fit as a constant).
    const offset = wrapSigned(topSet ? toField : toField - 1, fieldWidth);
    // Subtract a negative offset, unless it is the field's most negative value (its negation does not fit).
    const subtract = offset < 0 && -offset < 2 ** (fieldWidth - 1);
    biased = (
      subtract ? start.sub(-offset, { width: fieldWidth }) : start.add(offset, { width: fieldWidth })
    ).named(`${prefix}_field_base`);
  }
  // Never below emin, or flushed there: only the one-bit normalization follows.
  const normalizeOnly = range.min > emin || subnormals === 'flush';
  // At emin or below: shift right by emin − exp. From M + 2 places on every bit lies below the
  // guard bit (from M + 1 + R below R rounding bits), so a larger distance saturates (to all ones of
  // the amount's k bits). The amount's
  // bits are those of emin − exp modulo 2^k: a k-bit subtraction, or just ~exp when emin's low k
  // bits are all ones (as for a product of IEEE-biased exponents); the limits are comparisons.
  const atMost = (c: number) => (options.comparesInLuts ? atMostConstant(exp, c) : exp.le(c));
  // At or beyond the clamp (so that an unclamped field is below it, held in the format's bits).
  const above = clamp
    ? atMost(hiField - 1 - toField)
        .not()
        .named(`${prefix}_above`)
    : undefined;
  const low = normalizeOnly ? undefined : atMost(emin).named(`${prefix}_at_emin`);
  const belowEmin = normalizeOnly
    ? undefined
    : (options.comparesInLuts ? atMost(emin - 1) : exp.lt(emin)).named(`${prefix}_below_emin`);
  const maxDistance = emin - range.min;
  const roundingBits = options.roundingBits ?? 1;
  let shift: Signal | undefined;
  if (low !== undefined && maxDistance > 0) {
    const k = unsignedBits(Math.min(maxDistance, format.mantBits + 1 + roundingBits));
    const lowBits = exp.slice(k - 1, 0);
    const eminLow = ((emin % 2 ** k) + 2 ** k) % 2 ** k;
    let amount =
      eminLow === 2 ** k - 1 ? lowBits.not() : m.constant(eminLow, UInt(k)).sub(lowBits, { width: k });
    if (maxDistance >= 2 ** k) {
      const saturate = atMost(emin - 2 ** k).named(`${prefix}_denorm_saturate`);
      amount = amount.or(cat(...Array.from({ length: k }, () => saturate)));
    }
    shift = amount.and(cat(...Array.from({ length: k }, () => low))).named(`${prefix}_denorm_shift`);
  }
  return {
    raw,
    format,
    prefix,
    fieldMin,
    fieldMax,
    fieldWidth,
    biased,
    low,
    belowEmin,
    shift,
    lostFromMask: options.lostFromMask === true,
    topSet,
    ...(above === undefined ? {} : { above }),
    roundingBits,
  };
}

/** The second half of alignToFormat: the significand's shift and the exponent field, as decided. */
export function alignSignificand(d: AlignDecisions): NormalizedFloat {
  const {
    raw,
    format,
    prefix,
    fieldMin,
    fieldMax,
    fieldWidth,
    biased,
    low,
    belowEmin,
    shift,
    lostFromMask,
    topSet,
    above,
  } = d;
  const m = raw.sig.builder;
  const layout = floatLayout(format);
  // ---- The significand
  const top = raw.sig.msb();
  // Only the kept bits, the guard and the bit below it (the guard after a one-place left shift) are
  // needed exactly; the bits below those stay below the guard whatever the shift, so they are
  // OR-ed into one sticky bit first (jammed), and the shifters work on M + 4 bits. A narrower
  // significand gets zeros below, so that the shift keeps every bit. (R rounding bits: R exact
  // bits below the kept ones after the left shift, M + 3 + R bits in all.)
  const exact = format.mantBits + 2 + d.roundingBits;
  const w = raw.sig.width;
  const input =
    w > exact + 1
      ? cat(raw.sig.slice(w - 1, w - exact), raw.sig.slice(w - exact - 1, 0).orR()).named(
          `${prefix}_sig_jammed`,
        )
      : w < exact + 1
        ? cat(raw.sig, m.constant(0, UInt(exact + 1 - w)))
        : raw.sig;
  const normField = topSet
    ? above === undefined
      ? biased
      : mux(above, m.constant(fieldMax, SInt(fieldWidth)), biased)
    : biased.add(top.zext(fieldWidth).asSigned(), { width: fieldWidth });
  const result = (sig: Signal, field: Signal, sticky: Signal | undefined): NormalizedFloat => ({
    ...raw,
    sig: sig.named(`${prefix}_sig`),
    exp: field.named(`${prefix}_exp_field`),
    ...(sticky === undefined ? {} : { sticky }),
    expBias: format.bias,
    expRange: { min: fieldMin, max: fieldMax },
    alignedEmin: layout.emin,
  });
  if (low === undefined || belowEmin === undefined) {
    return result(topSet ? input : mux(top, input, input.shl(1)), normField, raw.sticky);
  }

  let sig = input;
  let sticky = raw.sticky;
  if (shift !== undefined) {
    // Shifted into a word with room for the bits that fall out: those only count as sticky.
    const room = 2 ** shift.width - 1;
    const extended = cat(input, m.constant(0, UInt(room)))
      .shr(shift)
      .named(`${prefix}_sig_denorm`);
    sig = extended.slice(extended.width - 1, room);
    const lost = (lostFromMask ? lostBelow(input, shift, room) : extended.slice(room - 1, 0).orR()).named(
      `${prefix}_denorm_lost`,
    );
    sticky = sticky === undefined ? lost : sticky.or(lost);
  }
  // Above emin a clear top bit moves up one place. Below emin the field is 0 (at emin it is 1 or 0,
  // as the top bit says): all known before the shift.
  if (topSet) return result(sig, mux(belowEmin, m.constant(0, SInt(fieldWidth)), normField), sticky);
  const shiftUp = low.not().and(top.not());
  const field = mux(belowEmin, m.constant(0, SInt(fieldWidth)), normField);
  return result(mux(shiftUp, input.shl(1), sig), field, sticky);
}

/** Whether a right shift of `sig` by `shift` (at most `room` places) drops a one: bit i goes when shift > i. */
function lostBelow(sig: Signal, shift: Signal, room: number): Signal {
  const n = Math.min(sig.width, room);
  const mask = cat(...Array.from({ length: n }, (_, i) => atMostConstant(shift, n - 1 - i).not()));
  return sig
    .slice(n - 1, 0)
    .and(mask)
    .orR();
}

/**
 * x + c modulo 2^width(x), x unsigned: the bits below c's lowest one pass through, and only the
 * bits from there up are added (an inversion where a single top bit is left).
 */
function addConstant(x: Signal, c: number): Signal {
  const w = x.width;
  const low = ((c % 2 ** w) + 2 ** w) % 2 ** w;
  if (low === 0) return x;
  let t = 0;
  while (Math.floor(low / 2 ** t) % 2 === 0) t++;
  const high = x.slice(w - 1, t);
  const sum = t === w - 1 ? high.not() : high.add(low / 2 ** t, { width: w - t });
  return t === 0 ? sum : cat(sum, x.slice(t - 1, 0));
}

/** value modulo 2^width, as the signed number of that width with the same low bits. */
function wrapSigned(value: number, width: number): number {
  const modulus = 2 ** width;
  const low = ((value % modulus) + modulus) % modulus;
  return low >= modulus / 2 ? low - modulus : low;
}
