import { mux, type Signal } from '../hdl/signal.ts';
import { SInt } from '../hdl/types.ts';

/**
 * A signed value with `fraction` fraction bits rounded to an integer, to nearest with ties to even,
 * then clamped to ±limit, as a signed `width`-bit value (docs/lut-gemv.md#quantized-tables). The caller
 * guarantees that the rounded integer fits in `width` bits before the clamp.
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
  const whole = wide.slice(width + fraction - 1, fraction).asSigned();
  const half = wide.bit(fraction - 1);
  const sticky = fraction >= 2 ? wide.slice(fraction - 2, 0).orR() : m.constant(0, half.type);
  const up = half.and(sticky.or(whole.bit(0)));
  const rounded = whole.add(up.zext(width).asSigned(), { width }).named(`${name}_rounded`);
  const high = m.constant(limit, SInt(width));
  const low = m.constant(-limit, SInt(width));
  return mux(rounded.gt(high), high, mux(rounded.lt(low), low, rounded)).named(name);
}
