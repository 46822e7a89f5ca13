import type { Signal } from '../hdl/signal.ts';

/**
 * A signed value at `width` bits: sign-extended, or cut to its low bits when its type is wider than
 * the value it can hold there needs (a sum's terms are exact modulo 2^width, and every term's value fits).
 */
export function fit(x: Signal, width: number): Signal {
  return x.width <= width ? x.sext(width) : x.resize(width);
}
