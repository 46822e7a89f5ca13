import { mux, type Signal } from '../hdl/signal.ts';
import { SInt } from '../hdl/types.ts';

/**
 * x / 2^s rounded to nearest, ties to even, then clamped to ±limit, as a signed `width`-bit value
 * (docs/lut-gemv.md#quantized-tables). The caller guarantees that the rounded quotient fits in
 * `width` bits before the clamp. One shifter: 2x / 2^s holds the quotient and, in bit 0, the half
 * below it; the bits below that are the sticky part.
 */
export function roundShiftRight(
  value: Signal,
  s: Signal,
  limit: bigint,
  width: number,
  name: string,
): Signal {
  const m = value.builder;
  const x = value.width < width ? value.sext(width) : value;
  const twice = x
    .sext(x.width + 1)
    .shl(1)
    .shr(s)
    .named(`${name}_twice`);
  const quotient = twice.slice(width, 1).asSigned();
  const half = twice.bit(0);
  // Bits of x below the half's: a mask of s − 1 ones (any mask when s = 0, where the half is 0).
  const ones = m.constant(-1n, x.type).asUnsigned();
  const belowHalf = ones.shl(s.sub(1, { width: s.width })).not();
  const sticky = x.asUnsigned().and(belowHalf).orR();
  const up = half.and(sticky.or(quotient.bit(0)));
  const rounded = quotient.add(up.zext(width).asSigned(), { width: width }).named(`${name}_rounded`);
  const high = m.constant(limit, SInt(width));
  const low = m.constant(-limit, SInt(width));
  return mux(rounded.gt(high), high, mux(rounded.lt(low), low, rounded)).named(name);
}
