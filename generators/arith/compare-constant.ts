import type { Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';

/**
 * x ≤ c for a constant c as logic on x's bits instead of a subtraction: x exceeds c where, at the
 * highest bit in which they differ, x has a one. Synthesis maps it to a small LUT tree, where a
 * comparison through an adder's carry chain costs the chain's entry and exit on ECP5.
 */
export function atMostConstant(x: Signal, c: number): Signal {
  const m = x.builder;
  const w = x.width;
  const [min, max] = x.signed ? [-(2 ** (w - 1)), 2 ** (w - 1) - 1] : [0, 2 ** w - 1];
  if (c >= max) return m.constant(1, UInt(1));
  if (c < min) return m.constant(0, UInt(1));
  // Offset binary: a signed x's sign bit flipped compares as unsigned with c + 2^(w−1).
  const bound = x.signed ? c + 2 ** (w - 1) : c;
  let above: Signal | undefined;
  let equal: Signal | undefined;
  for (let i = w - 1; i >= 0; i--) {
    const bit = x.signed && i === w - 1 ? x.bit(i).not() : x.bit(i);
    if (Math.floor(bound / 2 ** i) % 2 === 0) {
      const here = equal === undefined ? bit : equal.and(bit);
      above = above === undefined ? here : above.or(here);
      equal = equal === undefined ? bit.not() : equal.and(bit.not());
    } else {
      equal = equal === undefined ? bit : equal.and(bit);
    }
  }
  return above === undefined ? m.constant(1, UInt(1)) : above.not();
}
