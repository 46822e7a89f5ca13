import { mux, type Signal } from '../hdl/signal.ts';

/** A two's complement value as its sign bit and its magnitude (unsigned, of the value's width). */
export function signMagnitude(value: Signal): { negative: Signal; magnitude: Signal } {
  const negative = value.msb();
  const magnitude = mux(negative, value.neg().resize(value.width + 1), value.resize(value.width + 1))
    .asUnsigned()
    .slice(value.width - 1, 0);
  return { negative, magnitude };
}
