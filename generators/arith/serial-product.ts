import { mux, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
import { unsignedBits } from './widths.ts';

/**
 * a·b (unsigned) one bit of b per cycle, the most significant first: each cycle doubles the sum and
 * adds a where the bit is 1, so the datapath is one adder of a.width + b.width bits. `start` takes a
 * and b; `valid` is set b.width + 1 cycles later, for one cycle, with `product` the exact a·b (held
 * until the next start). A start while the product is still being formed restarts it.
 */
export function serialProduct(
  a: Signal,
  b: Signal,
  start: Signal,
  name: string,
): { product: Signal; valid: Signal } {
  const m = a.builder;
  const width = a.width + b.width;
  const multiplicand = m.register(`${name}_a_q`, a.type);
  const bits = m.register(`${name}_b_q`, b.type);
  const sum = m.register(`${name}_q`, UInt(width));
  const left = m.register(`${name}_left_q`, UInt(unsignedBits(b.width)), { reset: 0 });
  const done = m.register(`${name}_done_q`, UInt(1), { reset: 0 });
  const busy = left.ne(0).named(`${name}_busy`);
  const addend = mux(bits.msb(), multiplicand.zext(width), m.constant(0, UInt(width)));
  const doubled = sum.shl(1).add(addend, { width }).named(`${name}_step`);
  multiplicand.next(a, { when: start });
  bits.next(mux(start, b, bits.shl(1)), { when: start.or(busy) });
  sum.next(mux(start, m.constant(0, UInt(width)), doubled), { when: start.or(busy) });
  left.next(mux(start, m.constant(b.width, left.type), left.sub(1, { width: left.width })), {
    when: start.or(busy),
  });
  done.next(busy.and(start.not()).and(left.eq(1)));
  return { product: sum, valid: done };
}
