import type { Signal } from '../hdl/signal.ts';

/**
 * An exact (or nearly exact) float result before rounding, as arithmetic blocks produce it:
 * value = (−1)^sign · sig · 2^(exp − (sig.width − 1)), i.e. `exp` is the weight of sig's top bit.
 * Bits below sig's last one that were already dropped are summarized in `sticky`.
 */
export interface RawFloat {
  sign: Signal;
  /** Signed exponent of sig's most significant bit position. */
  exp: Signal;
  /** Unsigned significand; it may have leading zeros. */
  sig: Signal;
  /** High when nonzero bits lie below sig's LSB (the value is not exactly representable in sig). */
  sticky?: Signal;
  /** The result is exactly zero, infinite or NaN; these override sig and exp. */
  isZero: Signal;
  isInf: Signal;
  isNaN: Signal;
  /** Sign a NaN result carries where the policy keeps it ('signed', or 'max' into a format without NaN); default +. */
  nanSign?: Signal;
  /** The NaN is a quiet one (only a signalling NaN operand or an invalid operation raises invalid). */
  invalid?: Signal;
  /**
   * `exp` counts from this bias (the exponent is exp − expBias; expRange counts the same way). A chain
   * of exponent arithmetic that ends in a format's field can carry that format's bias from its start,
   * so that no step takes a bias off or puts one on. Default 0; normalize, alignToFormat and
   * roundPack honour it.
   */
  expBias?: number;
  /** The exponents `exp` can take (when known), so that exponent logic is no wider than it must be. */
  expRange?: { min: number; max: number };
  /** At most this many leading zeros in sig when the value is finite and nonzero (enables a cheaper normalizer). */
  maxLeadingZeros?: number;
}

/** A RawFloat whose sig has its top bit set (or the value is zero/special). */
export interface NormalizedFloat extends Omit<RawFloat, 'maxLeadingZeros'> {
  /** Before normalization the exponent may need more bits: this one holds every reachable value. */
  exp: Signal;
  /**
   * Set (to the output format's emin) when the value is already denormalized for that format
   * (`alignToFormat`): a clear top bit of sig marks a subnormal, whose exp is given as emin − 1, so
   * that exp plus the format's bias is the exponent field before rounding, whatever the value.
   */
  alignedEmin?: number;
  /**
   * With alignedEmin: a subnormal's exp is not emin − 1 but any value (its low bits still count
   * toward the field's). roundPack sets its field after rounding: 0, or 1 where the rounding carried
   * out of the mantissa (tabledProduct's results, which then need no mux before the rounding).
   */
  subnormalExpUnset?: boolean;
}
