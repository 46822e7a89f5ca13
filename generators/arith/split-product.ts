import type { Signal } from '../hdl/signal.ts';

/**
 * The unsigned product a×b with a pipeline cut inside the multiplier: b is cut into `parts` slices,
 * the partial products a × slice are formed before `cut()` and added (shifted into place) after it.
 * Each partial product is a multiplier a fraction of b's width deep, so the two stages each carry
 * about half of the whole multiplier's delay. `multiply` forms each partial product (default a
 * multiplier; e.g. `shiftAddProduct` for one built of adders).
 */
export function splitProduct(
  a: Signal,
  b: Signal,
  parts: number,
  cut: () => void,
  prefix: string,
  multiply: (a: Signal, slice: Signal) => Signal = (x, y) => x.mul(y),
): Signal {
  const width = a.width + b.width;
  const sliceBits = Math.ceil(b.width / parts);
  const partials: { lsb: number; value: Signal }[] = [];
  for (let lsb = 0; lsb < b.width; lsb += sliceBits) {
    const msb = Math.min(lsb + sliceBits, b.width) - 1;
    partials.push({ lsb, value: multiply(a, b.slice(msb, lsb)).named(`${prefix}_pp${partials.length}`) });
  }
  cut();
  const shifted = partials.map((p) => p.value.zext(width).shl(p.lsb));
  return shifted.slice(1).reduce((sum, p) => sum.add(p, { width }), shifted[0]!);
}
