import { mux, type Signal } from '../hdl/signal.ts';
import { SInt } from '../hdl/types.ts';
import { roundIncrement } from './round.ts';

/**
 * A signed value with `fraction` fraction bits rounded to an integer, to nearest with ties to even,
 * then clamped to ±limit, as a signed `width`-bit value (docs/lut-gemv.md#quantized-tables). The caller
 * guarantees |x| ≤ (limit + 1)·2^fraction, and that −(limit + 1) fits in `width` bits. The clamp is
 * decided from the integer part and the rounding's increment, beside the addition rather than after it:
 * only limit + ½ and above round up past limit, only −(limit + 1) stays below −limit.
 */
export function roundFraction(
  x: Signal,
  fraction: number,
  limit: bigint,
  width: number,
  name: string,
): Signal {
  const m = x.builder;
  const wide = x.width < width + fraction ? x.sext(width + fraction) : x;
  const whole = wide
    .slice(width + fraction - 1, fraction)
    .asSigned()
    .named(`${name}_whole`);
  const half = wide.bit(fraction - 1);
  const sticky = fraction >= 2 ? wide.slice(fraction - 2, 0).orR() : m.constant(0, half.type);
  const up = roundIncrement('rne', whole.msb(), whole.bit(0), half, sticky).named(`${name}_up`);
  const high = m.constant(limit, SInt(width));
  const low = m.constant(-limit, SInt(width));
  const rounded = whole.add(up.zext(width).asSigned(), { width }).named(`${name}_rounded`);
  return mux(whole.eq(high).and(up), high, mux(whole.eq(-limit - 1n).and(up.not()), low, rounded)).named(
    name,
  );
}
