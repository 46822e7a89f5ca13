import { cat, mux, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
import { unsignedBits } from './widths.ts';

/**
 * Number of leading zeros of `x` (x.width when x is zero), as a balanced tree: each level asks
 * whether the upper half is all zeros and continues in the half that holds the first one. With
 * `cut`, the tree is split about halfway up: every chunk's count and all-zero flag (chunks of
 * 2^⌊log2(size)/2⌋ bits) before `cut()`, the levels that combine them after it.
 */
export function leadingZeros(x: Signal, cut?: () => void): Signal {
  const width = x.width;
  const countBits = unsignedBits(width);
  if (width === 1) {
    const count = x.not().zext(countBits);
    cut?.();
    return count;
  }
  // Pad at the bottom to a power of two with ones: they stop the count at the true width.
  let size = 2;
  while (size < width) size *= 2;
  const padded =
    size === width ? x : cat(x, x.builder.constant((1n << BigInt(size - width)) - 1n, UInt(size - width)));
  const { allZero, count } = cut === undefined ? halves(padded) : splitHalves(padded, size, cut);
  // Only an unpadded all-zero value reaches here with allZero set: its count is `size`.
  const full = cat(allZero, mux(allZero, x.builder.constant(0, UInt(count.width)), count));
  return full.width >= countBits ? full.slice(countBits - 1, 0) : full.zext(countBits);
}

/** For a power-of-two-wide value: whether it is all zeros, and its leading zeros when it is not. */
function halves(x: Signal): { allZero: Signal; count: Signal } {
  if (x.width === 2) return { allZero: x.orR().not(), count: x.bit(1).not() };
  const upper = halves(x.slice(x.width - 1, x.width / 2));
  const lower = halves(x.slice(x.width / 2 - 1, 0));
  return {
    allZero: upper.allZero.and(lower.allZero),
    count: mux(upper.allZero, cat(upper.allZero, lower.count), cat(upper.allZero, upper.count)),
  };
}

/** halves() with a cut between the chunks' counts and the levels above them, combined pairwise. */
function splitHalves(x: Signal, size: number, cut: () => void): { allZero: Signal; count: Signal } {
  const chunk = Math.max(2, 2 ** Math.floor(Math.log2(size) / 2));
  // Highest chunk first: in each pair the first one is the upper half.
  let level = Array.from({ length: size / chunk }, (_, k) =>
    halves(x.slice(size - 1 - k * chunk, size - (k + 1) * chunk)),
  );
  cut();
  while (level.length > 1) {
    const next: typeof level = [];
    for (let i = 0; i < level.length; i += 2) {
      const [upper, lower] = [level[i]!, level[i + 1]!];
      next.push({
        allZero: upper.allZero.and(lower.allZero),
        count: mux(upper.allZero, cat(upper.allZero, lower.count), cat(upper.allZero, upper.count)),
      });
    }
    level = next;
  }
  return level[0]!;
}
