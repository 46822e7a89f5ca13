// A quotient X / P of two normalized significands, known to lie in (lo, hi) ⊂ (1/4, 2), to `bits`
// significant bits and a sticky bit, without a divider: X is compared with the multiples n · u · P of P
// at every point n · u of the grid of `bits`-bit numbers there (u = 2^−(bits + 1)). The multiples depend
// on P alone, so they are made once for many X (or beside X's own path), and the comparisons run side by
// side, each as narrow as X: X ≥ n · u · P exactly when X ≥ the multiple rounded up to X's last place.
import { cat, mux, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';

/** A positive rational num / den. */
type Ratio = readonly [number, number];

/** A grid point's multiple of P at X's last place (its bits there and whether any lie below), or known. */
type Threshold = { floor: Signal; below: Signal } | boolean;

export interface QuotientGrid {
  bits: number;
  /** By binade ([1/4, 1/2), [1/2, 1), [1, 2)) and point: the i-th point of binade b is (2^(bits−1) + i) · 2^b · u. */
  thresholds: Threshold[][];
}

/**
 * The thresholds for X of `xBits` bits (value X_int · 2^−(xBits − 1)) and P with `pFraction` bits after
 * its point: X / P ≥ n · u ⟺ X_int · 2^k ≥ n · P_int, k = pFraction + bits + 1 − (xBits − 1). Points at
 * or below lo are passed and points at or above hi are not, whatever X is: they need no comparison.
 */
export function quotientGrid(
  p: Signal,
  pFraction: number,
  xBits: number,
  bits: number,
  range: { lo: Ratio; hi: Ratio },
  prefix: string,
): QuotientGrid {
  const m = p.builder;
  const k = pFraction + bits + 1 - (xBits - 1);
  const half = 2 ** (bits - 1);
  const width = p.width + bits + 2; // n < 2^(bits + 2)
  const units = 2 ** (bits + 1);
  const odd = new Map<number, Signal>();
  const multiple = (n: number): Signal => {
    const shift = Math.log2(n & -n);
    const o = n >> shift;
    if (!odd.has(o))
      odd.set(
        o,
        o === 1
          ? p.zext(width)
          : p
              .zext(width)
              .mul(m.constant(o, UInt(bits)), { width })
              .named(`${prefix}_p_x${o}`),
      );
    return odd.get(o)!.shl(shift).resize(width);
  };
  const thresholds = [0, 1, 2].map((b) =>
    Array.from({ length: half }, (_, i): Threshold => {
      const n = (half + i) * 2 ** b;
      if (n * range.lo[1] <= range.lo[0] * units) return true;
      if (n * range.hi[1] >= range.hi[0] * units) return false;
      const t = multiple(n);
      return {
        floor: t.slice(width - 1, k).named(`${prefix}_t${n}_floor`),
        below: t
          .slice(k - 1, 0)
          .orR()
          .named(`${prefix}_t${n}_below`),
      };
    }),
  );
  return { bits, thresholds };
}

/**
 * X / P as a normalized significand {1, f} of grid.bits bits, the binade's shift s (X / P in
 * [2^−s, 2^(1−s)), s = 0, 1 or 2) and whether X / P lies off the grid (sticky).
 */
export function quotientOnGrid(
  x: Signal,
  grid: QuotientGrid,
  prefix: string,
): { sig: Signal; shift: Signal; sticky: Signal } {
  const m = x.builder;
  const constant = (v: boolean) => m.constant(v ? 1 : 0, UInt(1));
  // X ≥ floor + below, without the addition: {X, 1} > {floor, below}.
  const passed = grid.thresholds.map((binade) =>
    binade.map((t) =>
      typeof t === 'boolean'
        ? constant(t)
        : cat(x.zext(t.floor.width), constant(true)).gt(cat(t.floor, t.below)),
    ),
  );
  const on = grid.thresholds
    .flat()
    .flatMap((t) => (typeof t === 'boolean' ? [] : [x.zext(t.floor.width).eq(t.floor).and(t.below.not())]));
  const [atHalf, atOne] = [passed[1]![0]!, passed[2]![0]!];
  // Within the binade: how many of its points X / P has passed (a thermometer code), in binary.
  const half = 2 ** (grid.bits - 1);
  const inner = (i: number) =>
    i >= half ? constant(false) : mux(atOne, passed[2]![i]!, mux(atHalf, passed[1]![i]!, passed[0]![i]!));
  const fraction = Array.from({ length: grid.bits - 1 }, (_, j) => {
    const step = 2 ** j;
    const terms: Signal[] = [];
    for (let i = step; i < half; i += 2 * step) terms.push(inner(i).and(inner(i + step).not()));
    return terms.reduce((a, b) => a.or(b));
  }).reverse();
  const shift = mux(
    atOne,
    m.constant(0, UInt(2)),
    mux(atHalf, m.constant(1, UInt(2)), m.constant(2, UInt(2))),
  );
  return {
    sig: cat(constant(true), ...fraction).named(`${prefix}_sig`),
    shift: shift.named(`${prefix}_shift`),
    sticky: on
      .reduce((a, b) => a.or(b))
      .not()
      .named(`${prefix}_sticky_q`),
  };
}
