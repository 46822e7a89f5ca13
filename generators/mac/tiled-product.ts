import { cat, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';

/** The widest unsigned operands of one ECP5 MULT18X18D (and of the iCE40 UltraPlus' 16×16 it exceeds). */
export const DSP_TILE_BITS = 18;

/** A partial sum: `value` weighs 2^lsb per unit. */
interface Placed {
  value: Signal;
  lsb: number;
}

/**
 * The unsigned product a×b from tiles that each fit one DSP block: a and b are cut into equal slices
 * of at most `tile` bits, every slice × slice product is formed before `cut()` (so that a DSP block's
 * output is registered, with no adder behind it), and after it the tiles are summed. Tiles that do
 * not overlap are placed side by side (a concatenation, no adder) into as few rows as they fit, and
 * the rows are added in a balanced tree, narrowest first; bits below a row's lowest tile pass
 * through without an adder. 57×11 bits in 18-bit tiles: 4 tiles, 2 rows, one adder; 24×24 bits:
 * 4 tiles of 12×12, 3 rows, two adders.
 */
export function tiledProduct(a: Signal, b: Signal, tile: number, cut: () => void, prefix: string): Signal {
  const width = a.width + b.width;
  const slices = (x: Signal) => {
    const bits = Math.ceil(x.width / Math.ceil(x.width / tile));
    return Array.from({ length: Math.ceil(x.width / bits) }, (_, k) => ({
      lsb: k * bits,
      value: x.slice(Math.min((k + 1) * bits, x.width) - 1, k * bits),
    }));
  };
  const tiles: Placed[] = [];
  for (const sa of slices(a))
    for (const sb of slices(b))
      tiles.push({
        lsb: sa.lsb + sb.lsb,
        value: sa.value.mul(sb.value).named(`${prefix}_pp${tiles.length}`),
      });
  cut();
  // First fit by weight: a tile joins the first row that ends at or below its LSB.
  const rows: Placed[][] = [];
  for (const t of [...tiles].sort((x, y) => x.lsb - y.lsb)) {
    const row = rows.find((r) => r[r.length - 1]!.lsb + r[r.length - 1]!.value.width <= t.lsb);
    if (row === undefined) rows.push([t]);
    else row.push(t);
  }
  let level: Placed[] = rows
    .map((row) => ({ lsb: row[0]!.lsb, value: packRow(row) }))
    .sort((x, y) => y.lsb - x.lsb || x.value.width - y.value.width);
  while (level.length > 1) {
    const next: Placed[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(addPlaced(level[i]!, level[i + 1]!, width));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  const sum = level[0]!;
  const value = sum.lsb === 0 ? sum.value : cat(sum.value, a.builder.constant(0, UInt(sum.lsb)));
  return value.resize(width);
}

/** Tiles of one row (increasing, non-overlapping) side by side, zeros in the gaps; LSB at the first tile's. */
function packRow(row: Placed[]): Signal {
  const m = row[0]!.value.builder;
  const parts: Signal[] = [];
  let at = row[0]!.lsb;
  for (const t of row) {
    if (t.lsb > at) parts.push(m.constant(0, UInt(t.lsb - at)));
    parts.push(t.value);
    at = t.lsb + t.value.width;
  }
  return parts.length === 1 ? parts[0]! : cat(...parts.reverse());
}

/** x + y, both placed; the bits below the higher LSB come from the lower operand alone. */
function addPlaced(x: Placed, y: Placed, width: number): Placed {
  const [low, high] = x.lsb <= y.lsb ? [x, y] : [y, x];
  const gap = high.lsb - low.lsb;
  const top = Math.min(width, Math.max(low.lsb + low.value.width, high.lsb + high.value.width) + 1);
  const sumWidth = top - high.lsb;
  const lowUpper = low.value.width > gap ? low.value.slice(low.value.width - 1, gap) : undefined;
  const sum =
    lowUpper === undefined
      ? high.value.resize(sumWidth)
      : lowUpper.resize(sumWidth).add(high.value.resize(sumWidth), { width: sumWidth });
  if (gap === 0) return { lsb: low.lsb, value: sum };
  const below = low.value.width >= gap ? low.value.slice(gap - 1, 0) : low.value.resize(gap);
  return { lsb: low.lsb, value: cat(sum, below) };
}
