import { cat, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';

/**
 * The unsigned product a×b with a pipeline cut inside the multiplier: b is cut into `parts` slices,
 * the partial products a × slice are formed before `cut()` and added (shifted into place) after it.
 * Each partial product is a multiplier a fraction of b's width deep, so the two stages each carry
 * about half of the whole multiplier's delay. `multiply` forms each partial product (default a
 * multiplier; e.g. `shiftAddProduct` for one built of adders).
 *
 * With `aParts` > 1 (opt-in) a is cut into slices too, so that every partial product is one
 * slice × slice (e.g. 12×12 bits: one MULT18X18D each, no adder behind the block before the cut).
 * After the cut, partial products that do not overlap are set side by side in one word, and the
 * words are added in pairs, each addition only over the bits where both words have some.
 */
export function splitProduct(
  a: Signal,
  b: Signal,
  parts: number,
  cut: () => void,
  prefix: string,
  multiply: (a: Signal, slice: Signal) => Signal = (x, y) => x.mul(y),
  aParts = 1,
): Signal {
  const width = a.width + b.width;
  const sliceBits = Math.ceil(b.width / parts);
  if (aParts > 1) return gridProduct(a, b, sliceBits, Math.ceil(a.width / aParts), cut, prefix, multiply);
  const partials: { lsb: number; value: Signal }[] = [];
  for (let lsb = 0; lsb < b.width; lsb += sliceBits) {
    const msb = Math.min(lsb + sliceBits, b.width) - 1;
    partials.push({ lsb, value: multiply(a, b.slice(msb, lsb)).named(`${prefix}_pp${partials.length}`) });
  }
  cut();
  const shifted = partials.map((p) => p.value.zext(width).shl(p.lsb));
  return shifted.slice(1).reduce((sum, p) => sum.add(p, { width }), shifted[0]!);
}

/** A word holding bits lsb .. end − 1 of a sum (zeros elsewhere). */
interface Word {
  lsb: number;
  end: number;
  value: Signal;
}

function gridProduct(
  a: Signal,
  b: Signal,
  bBits: number,
  aBits: number,
  cut: () => void,
  prefix: string,
  multiply: (a: Signal, slice: Signal) => Signal,
): Signal {
  const width = a.width + b.width;
  const slices = (x: Signal, bits: number) =>
    Array.from({ length: Math.ceil(x.width / bits) }, (_, i) => ({
      lsb: i * bits,
      value: x.slice(Math.min((i + 1) * bits, x.width) - 1, i * bits),
    }));
  const partials: Word[] = [];
  for (const y of slices(b, bBits)) {
    for (const x of slices(a, aBits)) {
      const value = multiply(x.value, y.value).named(`${prefix}_pp${partials.length}`);
      partials.push({ lsb: x.lsb + y.lsb, end: x.lsb + y.lsb + value.width, value });
    }
  }
  cut();
  // Side by side: each partial product goes into the first word that ends at or below its lsb.
  const rows: Word[][] = [];
  for (const p of [...partials].sort((x, y) => x.lsb - y.lsb)) {
    const row = rows.find((r) => r[r.length - 1]!.end <= p.lsb);
    if (row === undefined) rows.push([p]);
    else row.push(p);
  }
  let words: Word[] = rows.map((row) => {
    const pieces: Signal[] = [];
    let at = row[0]!.lsb;
    for (const p of row) {
      if (p.lsb > at) pieces.push(p.value.builder.constant(0, UInt(p.lsb - at)));
      pieces.push(p.value);
      at = p.end;
    }
    return { lsb: row[0]!.lsb, end: at, value: cat(...pieces.reverse()) };
  });
  // Narrowest words first: the additions of overlapping partial products stay short.
  while (words.length > 1) {
    words.sort((x, y) => x.end - x.lsb - (y.end - y.lsb) || x.lsb - y.lsb);
    words = [addWords(words[0]!, words[1]!, width), ...words.slice(2)];
  }
  const sum = words[0]!;
  const top = bits(sum, sum.lsb, width)!;
  return sum.lsb > 0 ? cat(top, a.builder.constant(0, UInt(sum.lsb))) : top;
}

/** Bits from .. to − 1 of a word (from ≥ its lsb) as a value of to − from bits; undefined when all zero. */
function bits(w: Word, from: number, to: number): Signal | undefined {
  const hi = Math.min(to, w.end);
  if (hi <= from) return undefined;
  const s = w.value.slice(hi - w.lsb - 1, from - w.lsb);
  return hi < to ? s.zext(to - from) : s;
}

/** x + y, added over the bits from the higher lsb up (below it only one word has bits). */
function addWords(x: Word, y: Word, width: number): Word {
  const [low, high] = x.lsb <= y.lsb ? [x, y] : [y, x];
  const lo = high.lsb;
  const overlap = low.end > lo;
  const end = overlap ? Math.min(width, Math.max(x.end, y.end) + 1) : high.end;
  const upper = overlap
    ? bits(low, lo, end)!.add(bits(high, lo, end)!, { width: end - lo })
    : bits(high, lo, end)!;
  const below =
    lo > low.lsb ? (bits(low, low.lsb, lo) ?? low.value.builder.constant(0, UInt(lo - low.lsb))) : undefined;
  return { lsb: low.lsb, end, value: below === undefined ? upper : cat(upper, below) };
}
