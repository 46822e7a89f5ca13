import { HdlError } from '../hdl/errors.ts';
import { cat, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';

/**
 * a + b + carryIn modulo 2^width (a and b unsigned, `width` bits) with a pipeline cut inside the carry
 * chain: the low half is added before `cut()` and the high half after it, with the low half's carry,
 * so that no carry runs through more than half the width in one stage. A carry-in enters as the carry
 * out of one extra low bit ({x, 1} + {y, carry}), so that each half is a single adder.
 */
export function splitSum(a: Signal, b: Signal, carryIn: Signal, cut: () => void, prefix: string): Signal {
  const width = a.width;
  if (width < 2) throw new HdlError(`${prefix}: a split sum needs 2 bits or more, not ${width}`);
  const low = Math.ceil(width / 2);
  const one = a.builder.constant(1, UInt(1));
  const withCarry = (x: Signal, y: Signal, carry: Signal) =>
    cat(x, one).add(cat(y, carry), { width: x.width + 2 });
  const lowSum = withCarry(a.slice(low - 1, 0), b.slice(low - 1, 0), carryIn).named(`${prefix}_low`);
  cut();
  const highSum = withCarry(a.slice(width - 1, low), b.slice(width - 1, low), lowSum.bit(low + 1));
  return cat(highSum.slice(width - low, 1), lowSum.slice(low, 1));
}
