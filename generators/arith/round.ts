import { floatLayout, type FloatFormat, type ResolvedPolicy, type RoundingMode } from '../formats/index.ts';
import { HdlError } from '../hdl/errors.ts';
import { cat, mux, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import type { NormalizedFloat } from './raw-float.ts';
import { atMostConstant } from './compare-constant.ts';
import { signedBits, unsignedBits } from './widths.ts';

export interface RoundPackOptions {
  /**
   * For a value denormalized by alignToFormat: decide every special outcome (NaN, Inf, zero,
   * overflow) from the unrounded code and the increment, pick the code before the addition, and
   * add the increment last, gated off for a special code. The addition is then the last step,
   * with nothing behind it (narrower and faster, as a converter wants).
   */
  selectBeforeIncrement?: boolean;
  /**
   * Stochastic rounding (docs/fp_convert.md#stochastic-rounding): R random bits, added to the top R
   * bits below the last kept one; the magnitude rounds up on their carry, whatever the rounding mode.
   */
  random?: Signal;
  /**
   * For a value denormalized by alignToFormat (subnormals kept): its field is never negative, so the
   * rounding addition and the overflow test work on the unsigned field, only as wide as its largest
   * value after a carry (at least the format's field), rather than in the signed width that the
   * other paths' shift limits need. Fewer bits in the carry chain and the comparison.
   */
  narrowField?: boolean;
}

export interface RoundedFloat {
  code: Signal;
  /** IEEE exception flags of this result. */
  invalid: Signal;
  overflow: Signal;
  underflow: Signal;
  inexact: Signal;
}

/**
 * Round a normalized value once into `format` under `policy` and pack the code: denormalize below
 * the normal range, round at the format's last mantissa bit, then apply overflow, tininess, flushing
 * and the special values. The same decisions, in the same order, as the golden model's encoder.
 * With `cut` (opt-in) a pipeline cut may follow once the rounding increment is decided
 * (`cut('increment')`), before the addition that applies it; an aligned value's overflow is then
 * decided from the unrounded magnitude beside that addition rather than after it.
 * With `random` (R bits) the rounding is stochastic (docs/fp_convert.md#stochastic-rounding): the
 * magnitude moves away from zero when the top R dropped bits f and the random r give f + r ≥ 2^R, and
 * the policy's rounding mode is not read; overflow and tininess are those of the direction so chosen.
 * The caller keeps R exact bits below the last kept one (alignToFormat's `roundingBits`).
 */
export function roundPack(
  v: NormalizedFloat,
  format: FloatFormat,
  policy: ResolvedPolicy,
  prefix: string,
  cut?: (point: 'increment') => void,
  options: RoundPackOptions = {},
): RoundedFloat {
  const layout = floatLayout(format);
  const random = options.random;
  if (!format.subnormals || format.mantBits < 1 || !format.signed) {
    throw new HdlError(
      `${format.name} cannot be a rounded output: it needs a sign, mantissa bits and subnormal encodings`,
    );
  }
  const m = v.sign.builder;
  const M = format.mantBits;
  const E = format.expBits;
  const one = (value: boolean) => m.constant(value ? 1 : 0, UInt(1));

  // A value from alignToFormat carries this format's exponent field as its exponent and needs no
  // shifter here: with subnormals kept it is already denormalized.
  const aligned = v.alignedEmin !== undefined;
  const denormalized = aligned && policy.subnormals === 'keep';
  if (aligned && v.alignedEmin !== layout.emin) {
    throw new HdlError(
      `${prefix}: the value was aligned to emin ${v.alignedEmin}, but ${format.name}'s emin is ${layout.emin}`,
    );
  }
  // Work on at least hidden + M + guard bits (and, denormalized, the bit below the guard: tininess
  // after rounding looks one bit finer); missing low bits are exact zeros.
  const width = Math.max(v.sig.width, denormalized ? M + 3 : M + 2, M + 1 + (random?.width ?? 0));
  const sig = width === v.sig.width ? v.sig : cat(v.sig, m.constant(0, UInt(width - v.sig.width)));
  // `exp` may already carry a bias (v.expBias): emin and the field's bias are counted the same way.
  const emin = layout.emin + (v.expBias ?? 0);
  const fieldBias = format.bias - (v.expBias ?? 0);
  // Wide enough for the exponent, emin − 1 and the rounded field (hi + 1 + bias), and the shift limits.
  const expWidth =
    v.expRange === undefined
      ? Math.max(v.exp.width, signedBits(emin - width - 2, layout.expFieldMax + 2 + (v.expBias ?? 0))) + 1
      : signedBits(
          Math.min(v.expRange.min, emin - 1),
          Math.max(v.expRange.max + 1 + fieldBias, width + 2, layout.expFieldMax),
        );
  const exp = v.exp.resize(expWidth);
  const sticky = v.sticky ?? one(false);

  // Below the normal range: shift right to the subnormal quantum, keeping what falls out as sticky.
  // When tiny results are flushed to ±0 anyway, their rounding does not matter: no shifter.
  const tinyBefore = (denormalized ? sig.msb().not() : exp.lt(emin)).named(`${prefix}_tiny_before`);
  let sigD = sig;
  let lost = one(false);
  let expD = exp;
  if (policy.subnormals === 'keep' && !aligned) {
    const shiftBits = unsignedBits(width + 1);
    const distance = m.constant(emin, SInt(expWidth)).sub(exp, { width: expWidth + 1 });
    const clamped = mux(distance.gt(width + 1), m.constant(width + 1, SInt(expWidth + 1)), distance);
    const shift = mux(tinyBefore, clamped.slice(shiftBits - 1, 0), m.constant(0, UInt(shiftBits))).named(
      `${prefix}_denorm_shift`,
    );
    sigD = sig.shr(shift).named(`${prefix}_sig_denorm`);
    // The bits shifted out: a mask of the `shift` lowest bits, decoded from the amount (a thermometer code).
    const below = cat(...Array.from({ length: width }, (_, i) => shift.gt(width - 1 - i)));
    lost = sig.and(below).orR().named(`${prefix}_denorm_lost`);
    expD = mux(tinyBefore, m.constant(emin, SInt(expWidth)), exp);
  }

  // Round at the format's last mantissa bit.
  const kept = sigD.slice(width - 1, width - 1 - M).named(`${prefix}_kept`);
  const guard = sigD.bit(width - 2 - M).named(`${prefix}_guard`);
  const below = width - 3 - M >= 0 ? sigD.slice(width - 3 - M, 0).orR() : one(false);
  const rest = below.or(lost).or(sticky).named(`${prefix}_sticky`);
  const inexactRounding = guard.or(rest).named(`${prefix}_inexact_rounding`);
  const increment = (
    random === undefined
      ? roundIncrement(policy.rounding, v.sign, kept.bit(0), guard, rest)
      : stochasticIncrement(sigD.slice(width - 2 - M, width - 1 - M - random.width), random, prefix)
  ).named(`${prefix}_round_up`);
  // A directed rounding at normal precision (tininess after rounding) rounds as the increment did.
  const finerIncrement = (lsb: Signal, guardN: Signal, restN: Signal) =>
    random === undefined
      ? roundIncrement(policy.rounding, v.sign, lsb, guardN, restN)
      : increment.and(guardN.or(restN));
  if (v.subnormalExpUnset === true && (!denormalized || options.selectBeforeIncrement === true)) {
    throw new HdlError(
      `${prefix}: a value whose subnormal exponent is unset rounds only with subnormals kept, the increment added last`,
    );
  }
  if (options.selectBeforeIncrement === true && denormalized) {
    return selectThenIncrement(
      v,
      format,
      policy,
      prefix,
      {
        field: fieldBias === 0 ? expD : expD.add(fieldBias, { width: expWidth }),
        kept,
        guard,
        rest,
        increment,
        finerIncrement,
        stochastic: random !== undefined,
        sig,
        sticky,
        tinyBefore,
      },
      cut,
    );
  }
  cut?.('increment');
  let expField: Signal;
  let mant: Signal;
  let magnitude: Signal;
  let hidden: Signal | undefined;
  let beyond: Signal | undefined;
  if (aligned) {
    // The exponent is already the field (0 for a subnormal): round the packed magnitude
    // {field, mantissa} in one addition, a carry out of the mantissa stepping the field (all ones
    // become the next binade, a subnormal that rounds up becomes 2^emin).
    const narrow =
      options.narrowField === true &&
      denormalized &&
      fieldBias === 0 &&
      v.expRange !== undefined &&
      v.expRange.min >= 0;
    const fieldWidth = narrow ? Math.max(unsignedBits(v.expRange!.max + 1), E) : expWidth;
    const fieldBefore = (fieldBias === 0 ? expD : expD.add(fieldBias, { width: expWidth })).named(
      `${prefix}_field_before`,
    );
    const fieldBits = narrow ? fieldBefore.asUnsigned().slice(fieldWidth - 1, 0) : fieldBefore.asUnsigned();
    const unrounded = cat(fieldBits, kept.slice(M - 1, 0));
    if (cut !== undefined) {
      // Beyond the largest code after rounding: beyond it already, or at it and rounded up. (A field
      // below 0 is tiny and flushed, never an overflow: it is not told apart here.)
      const maxCode = m.constant(layout.maxCode, UInt(unrounded.width));
      beyond = unrounded.gt(maxCode).or(unrounded.eq(maxCode).and(increment));
      if (v.subnormalExpUnset === true) beyond = beyond.and(tinyBefore.not());
      beyond = beyond.named(`${prefix}_beyond`);
    }
    magnitude = unrounded
      .add(increment.zext(fieldWidth + M), { width: fieldWidth + M })
      .named(`${prefix}_rounded`);
    expField = magnitude.slice(fieldWidth + M - 1, M).named(`${prefix}_exp_field`);
    if (v.subnormalExpUnset === true) {
      // A subnormal's field is 0, or 1 where the rounding carried out of the mantissa: the sum's
      // lowest field bit flipped from the unset field's.
      const carried = magnitude.bit(M).xor(fieldBits.bit(0));
      expField = mux(tinyBefore, carried.zext(fieldWidth), expField).named(`${prefix}_exp_field_set`);
      magnitude = cat(expField, magnitude.slice(M - 1, 0)).named(`${prefix}_rounded_set`);
    }
    mant = magnitude.slice(M - 1, 0).named(`${prefix}_mant`);
  } else {
    const rounded = kept.add(increment.zext(M + 1)).named(`${prefix}_rounded`);
    const carry = rounded.bit(M + 1);
    hidden = rounded.bit(M).or(carry);
    mant = rounded.slice(M - 1, 0).named(`${prefix}_mant`);
    const expR = expD.add(carry.zext(2).asSigned().resize(expWidth), { width: expWidth });
    expField = mux(hidden, expR.add(fieldBias, { width: expWidth }), m.constant(0, SInt(expWidth))).named(
      `${prefix}_exp_field`,
    );
    magnitude = cat(expField.asUnsigned(), mant);
  }

  // Overflow: the rounded magnitude lies beyond the largest finite code.
  // (A tiny value that was not denormalized has a negative field: it cannot overflow.)
  // A tabled product's magnitude, its field set after the addition, is compared in LUT logic: through
  // a carry chain behind the rounding's chain it is slower (fp_mul e4m3fn on ECP5 57.9 → 63.3 MHz)
  // and larger (xc7 69 → 62 LUTs).
  if (v.subnormalExpUnset === true) beyond ??= atMostConstant(magnitude, layout.maxCode).not();
  beyond ??= magnitude.gt(m.constant(layout.maxCode, UInt(magnitude.width)));
  const overflow = (policy.subnormals === 'keep' ? beyond : beyond.and(tinyBefore.not())).named(
    `${prefix}_overflow`,
  );

  // Tininess before or after rounding (after: the value rounded with an unbounded exponent is below 2^emin).
  let tiny = tinyBefore;
  if (policy.tininess === 'after' && denormalized) {
    // Rounded at normal precision (one bit finer than the subnormal quantum here) a tiny value
    // reaches 2^emin only if its own rounding does (field 1) with the guard set, and the bits below
    // the guard round it up (every rounding mode is monotone in this way).
    const guardN = sig.bit(width - 3 - M);
    const restN = (width - 4 - M >= 0 ? sig.slice(width - 4 - M, 0).orR() : one(false)).or(sticky);
    const reachesNormal = magnitude
      .bit(M)
      .and(guard)
      .and(finerIncrement(one(true), guardN, restN));
    tiny = tinyBefore.and(reachesNormal.not()).named(`${prefix}_tiny`);
  } else if (policy.tininess === 'after') {
    const keptN = sig.slice(width - 1, width - 1 - M);
    const guardN = sig.bit(width - 2 - M);
    const restN = (width - 3 - M >= 0 ? sig.slice(width - 3 - M, 0).orR() : one(false)).or(sticky);
    const reachesNormal = keptN.andR().and(finerIncrement(keptN.bit(0), guardN, restN));
    tiny = tinyBefore
      .and(
        exp
          .eq(emin - 1)
          .and(reachesNormal)
          .not(),
      )
      .named(`${prefix}_tiny`);
  }
  const roundsToZero = hidden === undefined ? magnitude.orR().not() : hidden.not().and(mant.orR().not());
  const flushed = policy.subnormals === 'flush' ? tiny.or(roundsToZero) : roundsToZero;

  const { zeroCode, nanResult, infResult, overflowResult } = specialOutcomes(
    v,
    format,
    policy,
    random === undefined ? undefined : increment,
  );
  const packed = cat(v.sign, expField.slice(E - 1, 0), mant);

  const finite = v.isNaN.or(v.isInf).or(v.isZero).not();
  // (A denormalized magnitude that rounds to zero packs as ±0 already where the format has −0.)
  const toZero = denormalized && layout.hasNegativeZero ? v.isZero : v.isZero.or(flushed);
  const code = mux(
    v.isNaN,
    nanResult,
    mux(v.isInf, infResult, mux(toZero, zeroCode, mux(overflow, overflowResult, packed))),
  ).named(`${prefix}_code`);

  if (denormalized) {
    return denormalizedFlags(v, format, policy, prefix, { code, finite, overflow, tiny, inexactRounding });
  }
  const invalid = invalidFlag(v, format, policy, prefix);
  const finiteInexact = finite.and(inexactRounding.or(overflow).or(flushed.and(v.isZero.not())));
  return {
    code,
    invalid,
    overflow: finite.and(overflow).and(flushed.not()).named(`${prefix}_overflow_flag`),
    underflow: finite
      .and(flushed.or(tiny.and(inexactRounding)).and(overflow.not()))
      .named(`${prefix}_underflow_flag`),
    inexact: finiteInexact.named(`${prefix}_inexact`),
  };
}

/**
 * Whether a magnitude goes up by one unit in its last place, by rounding mode
 * (docs/ieee-and-fp8.md#policy), from its sign, its last kept bit, the guard bit (half a unit) and the
 * sticky OR of the bits below. The same rule rounds a float's significand and a value to an integer.
 */
export function roundIncrement(
  mode: RoundingMode,
  sign: Signal,
  lsb: Signal,
  guard: Signal,
  rest: Signal,
): Signal {
  const m = sign.builder;
  switch (mode) {
    case 'rne':
      return guard.and(rest.or(lsb));
    case 'rna':
      return guard;
    case 'rnz':
      return guard.and(rest);
    case 'rnd':
      // Nearest, ties toward −∞: a tie rounds a negative magnitude up.
      return guard.and(rest.or(sign));
    case 'rtz':
      return m.constant(0, UInt(1));
    case 'rup':
      return sign.not().and(guard.or(rest));
    case 'rdown':
      return sign.and(guard.or(rest));
  }
}

/** Stochastic rounding's increment: the carry out of f + r, f the top R dropped bits (R = r's width). */
function stochasticIncrement(dropped: Signal, random: Signal, prefix: string): Signal {
  const R = random.width;
  return dropped
    .named(`${prefix}_dropped_top`)
    .add(random, { width: R + 1 })
    .named(`${prefix}_dropped_sum`)
    .bit(R);
}

/** The codes of roundPack's special outcomes, each with its sign where the format has one. */
interface SpecialOutcomes {
  zeroCode: Signal;
  nanResult: Signal;
  infResult: Signal;
  overflowResult: Signal;
}

/**
 * The special outcomes' codes under the policy. `stochasticUp`: the increment of a stochastic rounding,
 * under which an IEEE overflow goes as the rounding went (toward zero: ±max; away: ±Inf).
 */
export function specialOutcomes(
  v: NormalizedFloat,
  format: FloatFormat,
  policy: ResolvedPolicy,
  stochasticUp?: Signal,
): SpecialOutcomes {
  const layout = floatLayout(format);
  const m = v.sign.builder;
  const [E, M] = [format.expBits, format.mantBits];
  const signed = (sign: Signal, magnitudeCode: number) => cat(sign, m.constant(magnitudeCode, UInt(E + M)));
  const zeroCode = layout.hasNegativeZero ? signed(v.sign, 0) : m.constant(0, UInt(1 + E + M));
  const maxCode = signed(v.sign, layout.maxCode);
  // Arithmetic NaNs carry no sign (+, as SoftFloat's canonical NaN); conversions pass the input's.
  const nanSign = v.nanSign ?? m.constant(0, UInt(1));
  const nanCode = layout.hasNaN
    ? policy.nan === 'signed' && layout.nanHasSign
      ? signed(nanSign, layout.canonicalNaNCode!)
      : m.constant(layout.canonicalNaNCode!, UInt(1 + E + M))
    : undefined;
  const infCode = layout.hasInf ? signed(v.sign, layout.infCode!) : undefined;
  const nanResult = nanOutcome(
    policy,
    layout,
    nanSign,
    nanCode,
    signed(nanSign, layout.maxCode),
    m.constant(0, UInt(1 + E + M)),
  );
  const infResult = infCode ?? (policy.infInput === 'nan' ? nanCode! : maxCode);
  const overflowResult =
    stochasticUp !== undefined && policy.overflow === 'ieee'
      ? mux(stochasticUp, infCode!, maxCode)
      : overflowOutcome(policy, v.sign, maxCode, infCode, nanCode);
  return { zeroCode, nanResult, infResult, overflowResult };
}

function nanOutcome(
  policy: ResolvedPolicy,
  layout: ReturnType<typeof floatLayout>,
  sign: Signal,
  nanCode: Signal | undefined,
  maxCode: Signal,
  zero: Signal,
): Signal {
  switch (policy.nan) {
    case 'canonical':
    case 'signed':
      return nanCode!;
    case 'max':
      return maxCode;
    case 'zero':
      return zero;
    case 'negative-zero-code':
      return mux(sign, zero, zero.builder.constant(layout.signWeight, UInt(zero.width)));
  }
}

/** What a finite result beyond the largest code becomes. */
function overflowOutcome(
  policy: ResolvedPolicy,
  sign: Signal,
  maxCode: Signal,
  infCode: Signal | undefined,
  nanCode: Signal | undefined,
): Signal {
  switch (policy.overflow) {
    case 'inf':
      return infCode!;
    case 'nan':
      return nanCode!;
    case 'ieee': {
      // IEEE 754 §7.4: toward zero gives the largest finite value, away from zero gives Inf.
      if (policy.rounding === 'rtz') return maxCode;
      if (policy.rounding === 'rup') return mux(sign, maxCode, infCode!);
      if (policy.rounding === 'rdown') return mux(sign, infCode!, maxCode);
      return infCode!;
    }
    default:
      return maxCode;
  }
}

/** roundPack's rounding of a denormalized value, taken apart for selectThenIncrement. */
interface DenormalizedRounding {
  /** The exponent field before rounding (0 for a subnormal). */
  field: Signal;
  /** Hidden bit and mantissa, the guard bit and the sticky bits below it. */
  kept: Signal;
  guard: Signal;
  rest: Signal;
  increment: Signal;
  /** The rounding decision at normal precision, from its last bit, guard and sticky (tininess after). */
  finerIncrement: (lsb: Signal, guard: Signal, rest: Signal) => Signal;
  /** The increment is stochastic: an IEEE overflow then goes as it went (toward zero to ±max). */
  stochastic: boolean;
  /** The significand before denormalization and the value's sticky bit (for tininess after rounding). */
  sig: Signal;
  sticky: Signal;
  /** Below 2^emin before rounding (a subnormal field). */
  tinyBefore: Signal;
}

/**
 * roundPack with `selectBeforeIncrement`: the special outcomes are decided from the unrounded code
 * {field, mantissa} and the increment (beyond the largest code already, or at it and rounded up),
 * the code is picked, and the increment is added last, only to a code that is not special (which
 * then cannot carry into the sign).
 */
function selectThenIncrement(
  v: NormalizedFloat,
  format: FloatFormat,
  policy: ResolvedPolicy,
  prefix: string,
  r: DenormalizedRounding,
  cut?: (point: 'increment') => void,
): RoundedFloat {
  const layout = floatLayout(format);
  const m = v.sign.builder;
  const M = format.mantBits;
  const E = format.expBits;
  const one = (value: boolean) => m.constant(value ? 1 : 0, UInt(1));
  const unrounded = cat(r.field.asUnsigned(), r.kept.slice(M - 1, 0)).named(`${prefix}_unrounded`);
  const overflow = atMostConstant(unrounded, layout.maxCode)
    .not()
    .or(unrounded.eq(layout.maxCode).and(r.increment))
    .named(`${prefix}_overflow`);
  // A tiny value reaches 2^emin when rounded at normal precision only if its own rounding carries
  // into the field (mantissa all ones, rounded up) with the guard set and the bits below rounding
  // it up too (every rounding mode is monotone in this way).
  const width = r.sig.width;
  let tiny = r.tinyBefore;
  if (policy.tininess === 'after') {
    const guardN = r.sig.bit(width - 3 - M);
    const restN = (width - 4 - M >= 0 ? r.sig.slice(width - 4 - M, 0).orR() : one(false)).or(r.sticky);
    const reachesNormal = r.kept
      .slice(M - 1, 0)
      .andR()
      .and(r.increment)
      .and(r.guard)
      .and(r.finerIncrement(one(true), guardN, restN));
    tiny = r.tinyBefore.and(reachesNormal.not()).named(`${prefix}_tiny`);
  }
  const { zeroCode, nanResult, infResult, overflowResult } = specialOutcomes(
    v,
    format,
    policy,
    r.stochastic ? r.increment : undefined,
  );
  // A magnitude that rounds to zero packs as ±0 by itself where the format has −0; otherwise (no −0
  // code) it must become +0: it is zero before rounding and not rounded up.
  const toZero = layout.hasNegativeZero
    ? v.isZero
    : v.isZero.or(unrounded.orR().not().and(r.increment.not()));
  const special = v.isNaN.or(v.isInf).or(toZero).or(overflow).named(`${prefix}_special`);
  const picked = mux(
    v.isNaN,
    nanResult,
    mux(
      v.isInf,
      infResult,
      mux(toZero, zeroCode, mux(overflow, overflowResult, cat(v.sign, unrounded.slice(E + M - 1, 0)))),
    ),
  ).named(`${prefix}_picked`);
  const step = r.increment.and(special.not()).named(`${prefix}_step`);
  cut?.('increment');
  const magnitude = picked.slice(E + M - 1, 0).add(step.zext(E + M), { width: E + M });
  const code = cat(picked.msb(), magnitude).named(`${prefix}_code`);

  const finite = v.isNaN.or(v.isInf).or(v.isZero).not();
  const inexactRounding = r.guard.or(r.rest);
  return denormalizedFlags(v, format, policy, prefix, { code, finite, overflow, tiny, inexactRounding });
}

/**
 * The invalid flag: a signalling NaN (any NaN where the policy does not pass NaNs on), or an infinity
 * into a format without one.
 */
export function invalidFlag(
  v: NormalizedFloat,
  format: FloatFormat,
  policy: ResolvedPolicy,
  prefix: string,
): Signal {
  const m = v.sign.builder;
  const invalidIn = v.invalid ?? m.constant(0, UInt(1));
  const nanRaises = policy.nan === 'canonical' || policy.nan === 'signed' ? invalidIn : v.isNaN.or(invalidIn);
  const infRaises = floatLayout(format).hasInf ? m.constant(0, UInt(1)) : v.isInf;
  return nanRaises.or(infRaises).named(`${prefix}_invalid`);
}

/**
 * The flags of a value denormalized before rounding: one that rounds to zero is tiny and inexact
 * anyway, and cannot overflow, so they need no test for it.
 */
function denormalizedFlags(
  v: NormalizedFloat,
  format: FloatFormat,
  policy: ResolvedPolicy,
  prefix: string,
  r: { code: Signal; finite: Signal; overflow: Signal; tiny: Signal; inexactRounding: Signal },
): RoundedFloat {
  const { code, finite, overflow, tiny, inexactRounding } = r;
  return {
    code,
    invalid: invalidFlag(v, format, policy, prefix),
    overflow: finite.and(overflow).named(`${prefix}_overflow_flag`),
    underflow: finite.and(tiny.and(inexactRounding)).named(`${prefix}_underflow_flag`),
    inexact: finite.and(inexactRounding.or(overflow)).named(`${prefix}_inexact`),
  };
}
