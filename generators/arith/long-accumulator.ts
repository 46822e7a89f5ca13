import { HdlError } from '../hdl/errors.ts';
import { cat, mux, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import type { RawFloat } from './raw-float.ts';
import { leadingZeros } from './lzc.ts';
import { signedBits, unsignedBits } from './widths.ts';

/** Widths beyond this are refused: a sum that needs more is not a sane accumulator. */
export const MAX_LONG_ACCUMULATOR_WIDTH = 4096;

export interface LongAccumulatorLayout {
  /** Two's complement width of the sum, in units of 2^lsbExp; the sum wraps past it. */
  width: number;
  /** Exponent of the LSB's weight. */
  lsbExp: number;
  /** Bits per carry segment (a power of two): the longest carry in the loop. */
  segment: number;
}

/** One term: (−1)^negative · sig · 2^(lsbExp + position), or nothing when `zero` is high. */
export interface LongAddend {
  sig: Signal;
  /** Unsigned: sig's LSB lies this many places above the accumulator's LSB; bits past the top are lost. */
  position: Signal;
  negative: Signal;
  zero: Signal;
}

/**
 * Where the accumulator's pipeline may be cut, in data order: after the fine shift ('place'), after
 * the loop ('accumulate'), in the carry resolution ('flags', after the segments' generate and
 * propagate flags; 'carry'; 'resolve'), in the absolute value
 * ('complement', 'magnitude'), once the segment holding the leading one is known ('top') and after
 * the top segments are picked ('window').
 */
export type LongAccumulatorCut =
  'place' | 'accumulate' | 'flags' | 'carry' | 'resolve' | 'complement' | 'magnitude' | 'top' | 'window';

export interface LongAccumulatorOptions {
  /**
   * Decide the segments' flags from the segments directly: each one's generate and propagate flags
   * from its sum and pending carry (AND trees beside the adds that apply the carries, not behind
   * them), and whether its one's complement is all ones from the segment and the sign (no XOR of
   * the whole width in front of the AND trees). Default false.
   */
  flagsFromSegments?: boolean;
  /** Form the sticky bit after the 'top' cut (from the segments' flags), beside the window's pick. Default false. */
  stickyAfterTop?: boolean;
  /**
   * Decide whether each segment of the absolute value is nonzero beside the additions that form it
   * (from the one's complement segment and the increment it gets), not behind them: only the
   * search for the top segment stays between the 'magnitude' cut and the 'top' cut. Default false.
   */
  nonzeroBesideMagnitude?: boolean;
  /**
   * Form the absolute value's increments from the segments' zero flags alone, the sign applied last
   * (one AND per segment behind the carry chain, not a mux per segment in front of it): the sign's
   * fan-out across the whole width stays off the chain. Default false.
   */
  incrementsFromZeros?: boolean;
  /**
   * With incrementsFromZeros: decide whether each segment of the resolved sum is zero beside the
   * additions that apply the pending carries (from the segment and the carry it gets), not behind
   * them. Default false.
   */
  zerosBesideCarries?: boolean;
  /**
   * Decode the term's segment index (one flag per segment) before the 'place' cut, beside the fine
   * shift, so that the loop's stage starts from the flags. Default false.
   */
  decodeBeforePlace?: boolean;
}

/**
 * A long fixed-point accumulator at II = 1 (the architecture of Kulisch's exact accumulator and of
 * FloPoCo's FPLargeAcc): the sum is kept in carry-save form, segments of `segment` bits each with
 * the carry it produced pending beside it, so the loop holds one segment-wide addition and no carry
 * crosses the whole width. A negative term enters as its one's complement with the +1 as the
 * carry into segment 0. Reading the sum (after the loop, any number of stages) resolves the pending
 * carries, takes the absolute value, and returns the top segments holding its leading one — at
 * least `precision` bits below it, shifted up to it — with everything lower ORed into a sticky bit:
 * a normalized raw float, ready for alignToFormat and roundPack. `cut(point)` is called at each
 * point where a pipeline stage may go.
 */
export function longAccumulator(
  addend: LongAddend,
  clear: Signal,
  layout: LongAccumulatorLayout,
  precision: number,
  cut: (point: LongAccumulatorCut) => void,
  prefix: string,
  options: LongAccumulatorOptions = {},
): RawFloat {
  const m = clear.builder;
  const { width, segment: W } = layout;
  if (width > MAX_LONG_ACCUMULATOR_WIDTH)
    throw new HdlError(`${prefix}: a ${width}-bit accumulator exceeds ${MAX_LONG_ACCUMULATOR_WIDTH} bits`);
  if (!Number.isInteger(Math.log2(W)) || W < 2)
    throw new HdlError(`${prefix}: segment ${W} must be a power of two of 2 or more`);
  const n = Math.ceil(width / W);
  const bits = (i: number) => Math.min(W, width - i * W);
  const zeroBits = (w: number) => m.constant(0, UInt(w));
  const segmentsOf = (x: Signal) => Array.from({ length: n }, (_, i) => x.slice(i * W + bits(i) - 1, i * W));
  const join = (segments: Signal[], name: string) => cat(...[...segments].reverse()).named(name);

  // Fine shift by position mod W, then whole segments: each takes one chunk of the fine value, chosen
  // by the segment index (a decoder, no wide barrel shifter).
  const fineBits = unsignedBits(W - 1);
  const chunks = Math.ceil((addend.sig.width + W - 1) / W);
  const sig = mux(addend.zero, zeroBits(addend.sig.width), addend.sig);
  const fine = sig
    .zext(chunks * W)
    .shl(addend.position.slice(Math.min(fineBits, addend.position.width) - 1, 0))
    .named(`${prefix}_fine`);
  const coarse =
    addend.position.width > fineBits
      ? addend.position.slice(addend.position.width - 1, fineBits).named(`${prefix}_segment_index`)
      : zeroBits(1);
  const negative = addend.negative.and(addend.zero.not()).named(`${prefix}_negative`);
  const decode = () =>
    Array.from({ length: n }, (_, i) => (i < 2 ** coarse.width ? coarse.eq(i) : zeroBits(1)));
  const early = options.decodeBeforePlace === true ? decode() : undefined;
  cut('place');
  const at = early ?? decode();
  const placed = Array.from({ length: n }, (_, i) => {
    let word = zeroBits(bits(i));
    for (let k = 0; k < chunks && k <= i; k++) {
      const chunk = fine.slice(k * W + bits(i) - 1, k * W);
      word = word.or(mux(at[i - k]!, chunk, zeroBits(bits(i))));
    }
    return word.xor(cat(...Array.from({ length: bits(i) }, () => negative)));
  });

  // The loop: segment i adds its part of the term and the carry segment i − 1 left pending. A low
  // bit of 1 on one side and the carry on the other makes that carry the adder's own carry-in.
  const sumQ = m.register(`${prefix}_sum_q`, UInt(width), { reset: 0 });
  const carryQ = n > 1 ? m.register(`${prefix}_carry_q`, UInt(n - 1), { reset: 0 }) : undefined;
  const keep = clear.not();
  const sums: Signal[] = [];
  const carries: Signal[] = [];
  segmentsOf(sumQ).forEach((s, i) => {
    const carryIn = i === 0 ? negative : carryQ!.bit(i - 1).and(keep);
    const held = s.and(cat(...Array.from({ length: bits(i) }, () => keep)));
    const total = cat(held, m.constant(1, UInt(1)))
      .add(cat(placed[i]!, carryIn), { width: bits(i) + 2 })
      .named(`${prefix}_seg${i}_add`);
    sums.push(total.slice(bits(i), 1));
    carries.push(total.bit(bits(i) + 1));
  });
  const sumNext = join(sums, `${prefix}_sum_next`);
  sumQ.next(sumNext);
  // Read back through the registers' next values, so that after a cut the registers themselves serve.
  const carryNext = carryQ === undefined ? undefined : join(carries.slice(0, n - 1), `${prefix}_carry_next`);
  if (carryQ !== undefined) carryQ.next(carryNext!);
  cut('accumulate');

  // Resolve the pending carries: t_i = s_i + c_(i−1) generates a carry (g) or passes one on when all
  // ones (p); the carries into the segments are those of the n-bit addition (g|p) + g.
  let value: Signal[];
  let zerosEarly: Signal | undefined;
  if (n === 1) value = [sumNext];
  else {
    const pending = segmentsOf(sumNext).map((s, i) =>
      i === 0 ? s.zext(bits(0) + 1) : s.add(carryNext!.bit(i - 1).zext(bits(i)), { width: bits(i) + 1 }),
    );
    const t = pending.map((x, i) => x.slice(bits(i) - 1, 0));
    let g: Signal;
    let p: Signal;
    if (options.flagsFromSegments === true) {
      // s + c is all ones when the bits above the LSB are and the LSB differs from c; it carries
      // out when s is all ones and c is set: AND trees beside the adds, not behind them.
      const flags = segmentsOf(sumNext).map((s, i) => {
        const c = i === 0 ? zeroBits(1) : carryNext!.bit(i - 1);
        const above = bits(i) > 1 ? s.slice(bits(i) - 1, 1).andR() : m.constant(1, UInt(1));
        return { g: above.and(s.bit(0)).and(c), p: above.and(s.bit(0).xor(c)) };
      });
      g = cat(...flags.map((f) => f.g).reverse()).named(`${prefix}_generate`);
      p = cat(...flags.map((f) => f.p).reverse()).named(`${prefix}_propagate`);
    } else {
      g = cat(...pending.map((x, i) => x.bit(bits(i))).reverse()).named(`${prefix}_generate`);
      p = cat(...t.map((x) => x.andR()).reverse()).named(`${prefix}_propagate`);
    }
    cut('flags');
    const x = g.or(p);
    const into = x.add(g, { width: n }).xor(x).xor(g).named(`${prefix}_segment_carries`);
    const tJoined = join(t, `${prefix}_pending_sum`);
    cut('carry');
    value = segmentsOf(tJoined).map((s, i) => s.add(into.bit(i).zext(bits(i)), { width: bits(i) }));
    // t + carry is zero where t is zero and gets no carry, or is all ones and gets one.
    if (options.incrementsFromZeros === true && options.zerosBesideCarries === true)
      zerosEarly = cat(
        ...segmentsOf(tJoined)
          .map((s, i) => mux(into.bit(i), s.andR(), s.orR().not()))
          .reverse(),
      );
  }
  const resolved = join(value, `${prefix}_resolved`);
  cut('resolve');

  // |sum| = (sum XOR sign) + sign, the +1 reaching segment i when every segment below is all ones.
  const sign = resolved.msb().named(`${prefix}_sign`);
  const flipped = join(
    segmentsOf(resolved).map((s, i) => s.xor(cat(...Array.from({ length: bits(i) }, () => sign)))),
    `${prefix}_ones_complement`,
  );
  // A flipped segment is all ones where the segment is all zeros (negative) or all ones (positive).
  const allOnes = (): Signal =>
    options.flagsFromSegments === true
      ? cat(
          ...segmentsOf(resolved)
            .map((s) => mux(sign, s.orR().not(), s.andR()))
            .reverse(),
        )
      : cat(
          ...segmentsOf(flipped)
            .map((s) => s.andR())
            .reverse(),
        );
  // Negative, the +1 reaches segment i where every segment below is zero: the carries into the bits
  // of (zero flags + 1), where only the sign is then needed.
  const zeros =
    options.incrementsFromZeros === true
      ? (zerosEarly?.named(`${prefix}_zero_segments`) ??
        cat(
          ...segmentsOf(resolved)
            .map((s) => s.orR().not())
            .reverse(),
        ).named(`${prefix}_zero_segments`))
      : undefined;
  const ones = zeros ?? allOnes();
  const increments = (
    zeros !== undefined
      ? zeros
          .add(1, { width: n })
          .xor(zeros)
          .and(cat(...Array.from({ length: n }, () => sign)))
      : ones.add(sign.zext(n), { width: n }).xor(ones)
  ).named(`${prefix}_increments`);
  cut('complement');
  const magnitude = join(
    segmentsOf(flipped).map((s, i) => s.add(increments.bit(i).zext(bits(i)), { width: bits(i) })),
    `${prefix}_magnitude`,
  );
  // A segment of flipped + increment is zero where flipped is zero and gets no increment, or is
  // all ones and gets one.
  const nonzeroEarly =
    options.nonzeroBesideMagnitude === true
      ? segmentsOf(flipped).map((s, i) =>
          mux(increments.bit(i), ones.bit(i).not(), s.orR()).named(`${prefix}_nonzero${i}`),
        )
      : undefined;
  cut('magnitude');

  // The segment holding the leading one and enough below it for `precision` bits (zeros below the
  // LSB where the sum is small), the rest sticky; one-hot selects as AND-OR trees, log n deep.
  const count = Math.min(n, 1 + Math.ceil(precision / W));
  const segs = segmentsOf(magnitude).map((s) => s.zext(W));
  const nonzero = nonzeroEarly ?? segs.map((s, i) => s.orR().named(`${prefix}_nonzero${i}`));
  const anyFrom = suffixOr(nonzero);
  const top = nonzero.map((nz, i) =>
    (i === n - 1 ? nz : nz.and(anyFrom[i + 1]!.not())).named(`${prefix}_top${i}`),
  );
  // The leading one lies in the window's top segment: fewer than W places to shift. Every segment's
  // count is formed beside its nonzero test, and the top one's picked with the window.
  const counts = segs.map((s) => leadingZeros(s));
  const stickyOf = () =>
    anyOf(
      Array.from({ length: Math.max(0, n - count) }, (_, k) => nonzero[k]!.and(anyFrom[k + count]!)),
      m.constant(0, UInt(1)),
    ).named(`${prefix}_sticky`);
  let sticky = options.stickyAfterTop === true ? undefined : stickyOf();
  const zero = anyFrom[0]!.not().named(`${prefix}_is_zero`);
  cut('top');
  sticky ??= stickyOf();
  const pick = (value: (i: number) => Signal) =>
    anyOf(top.map((t, i) => mux(t, value(i), value(i).builder.constant(0, value(i).type))));
  const windowOf = (i: number) =>
    cat(...Array.from({ length: count }, (_, k) => (i - k >= 0 ? segs[i - k]! : zeroBits(W))));
  const expWidth = signedBits(layout.lsbExp - W, layout.lsbExp + n * W);
  const window = pick(windowOf).named(`${prefix}_window`);
  const windowExp = pick((i) => m.constant(layout.lsbExp + (i + 1) * W - 1, SInt(expWidth))).named(
    `${prefix}_window_exp`,
  );
  const shift = pick((i) => counts[i]!).named(`${prefix}_window_lz`);
  cut('window');
  return {
    sign,
    exp: windowExp.sub(shift.zext(expWidth).asSigned(), { width: expWidth }).named(`${prefix}_exp`),
    sig: window.shl(shift).named(`${prefix}_sig`),
    sticky,
    isZero: zero,
    isInf: zeroBits(1),
    isNaN: zeroBits(1),
    maxLeadingZeros: 0,
    expRange: { min: layout.lsbExp - W, max: layout.lsbExp + n * W - 1 },
  };
}

/** A flag raised by `set` and held until `clear` (the accumulator's NaN and Inf flags): its next value. */
export function heldSinceClear(clear: Signal, name: string, set: Signal): Signal {
  const q = clear.builder.register(`${name}_q`, UInt(1), { reset: 0 });
  const next = q.and(clear.not()).or(set).named(name);
  q.next(next);
  return next;
}

/** The OR of equally typed values (`none` when there are none), as a balanced tree. */
function anyOf(values: Signal[], none?: Signal): Signal {
  if (values.length === 0) return none!;
  let level = values;
  while (level.length > 1) {
    const next: Signal[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? level[i]!.or(level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!;
}

/** For each i, the OR of xs[i..]: a log-depth prefix network (Sklansky), not a chain. */
function suffixOr(xs: Signal[]): Signal[] {
  if (xs.length === 1) return xs;
  const half = Math.ceil(xs.length / 2);
  const high = suffixOr(xs.slice(half));
  const low = suffixOr(xs.slice(0, half));
  return [...low.map((x) => x.or(high[0]!)), ...high];
}
