// Bit-serial products (BitMoD's PE, docs/bitserial-gemv.md): every weight is a sum of a few terms
// ±2^k (radix-4 Booth digits for two's complement integers, the set bits of the magnitude for other
// codes), and the chunk takes one term of every weight per cycle: Σ_k ±(a_k << k), an adder tree of
// shifted activations, no multiplier.
import { unsignedBits } from '../arith/widths.ts';
import { cat, mux, select, type Signal } from '../hdl/signal.ts';
import { fit } from './fit.ts';
import { SInt, UInt } from '../hdl/types.ts';

/** One term of a weight: ±2^shift in the weight table's units, or undefined for none. */
export type Term = { negative: boolean; shift: number } | undefined;

/**
 * Each code's terms, terms[format][code][t] (one format per value of the group's selector), all
 * codes with the same count. Booth: digit t weighs 4^t (shift 2t or 2t + 1).
 */
export interface TermTable {
  terms: Term[][][];
  count: number;
  booth: boolean;
  /** Booth digits of unsigned codes: the bits above the code are 0, not its sign. */
  unsigned?: boolean;
}

/**
 * The terms of a table of exact weight values (in units of 2^exp; undefined for NaN codes, which
 * have none): radix-4 Booth digits when `booth` is given (codes of that many bits, two's complement,
 * an unsigned code zero-extended by one), else the magnitude's set bits from the top (BitMoD's
 * leading-one detection).
 */
export function termTable(
  values: (bigint | undefined)[][],
  booth?: { bits: number; signed: boolean },
): TermTable {
  if (booth !== undefined) {
    const count = Math.ceil(booth.bits / 2);
    return {
      terms: values.map((codes) => codes.map((v) => boothTerms(v ?? 0n, count))),
      count,
      booth: true,
      ...(booth.signed ? {} : { unsigned: true }),
    };
  }
  const bits = values.map((codes) =>
    codes.map((v) => {
      const magnitude = v === undefined ? 0n : v < 0n ? -v : v;
      const set = [...magnitude.toString(2)]
        .reverse()
        .flatMap((b, k) => (b === '1' ? [k] : []))
        .reverse();
      return set.map((shift) => ({ negative: v !== undefined && v < 0n, shift }));
    }),
  );
  const count = Math.max(1, ...bits.flat().map((t) => t.length));
  return {
    terms: bits.map((codes) => codes.map((t) => Array.from({ length: count }, (_, i) => t[i]))),
    count,
    booth: false,
  };
}

/** Radix-4 Booth digits of v: d_t = b(2t−1) + b(2t) − 2·b(2t+1) ∈ −2..2, v = Σ d_t·4^t. */
function boothTerms(v: bigint, count: number): Term[] {
  const bit = (i: number) => (i < 0 ? 0 : Number((BigInt.asUintN(2 * count + 1, v) >> BigInt(i)) & 1n));
  return Array.from({ length: count }, (_, t) => {
    const d = bit(2 * t - 1) + bit(2 * t) - 2 * bit(2 * t + 1);
    return d === 0 ? undefined : { negative: d < 0, shift: 2 * t + (Math.abs(d) === 2 ? 1 : 0) };
  });
}

/**
 * One pass of the chunk: for term `pass` of every weight, each row's terms ±(a << k) at `width` bits,
 * and `weigh`, which shifts a row's sum to the pass's common weight (Booth: 4^pass). `negated` are the
 * lanes' activations negated (shared by the rows); `looked` is called once every weight's term is
 * decoded, before the shifts (a pipeline cut point).
 */
export function termPassTerms(
  act: Signal[],
  negated: Signal[],
  codes: Signal[][],
  selectors: (Signal | undefined)[],
  table: TermTable,
  pass: Signal,
  width: number,
  looked: () => void,
): { terms: Signal[][]; weigh(sum: Signal, name: string): Signal } {
  const m = pass.builder;
  // Per pass, the smallest shift of its terms is common to all lanes; a lane shifts by the rest.
  const base = Array.from({ length: table.count }, (_, t) => {
    const shifts = table.terms.flat().flatMap((codes) => (codes[t] ? [codes[t]!.shift] : []));
    return shifts.length === 0 ? 0 : Math.min(...shifts);
  });
  const extra = Math.max(
    0,
    ...table.terms
      .flat()
      .flatMap((codes) => codes.flatMap((term, t) => (term ? [term.shift - base[t]!] : []))),
  );
  const shiftType = UInt(Math.max(1, unsignedBits(extra)));
  // A code's term of this pass as one word {present, negative, extra shift}, the words constants
  // shared by the lanes, selected by the code (by the group's selector too where the formats differ),
  // then by the pass.
  const shiftBits = shiftType.width;
  const wordType = UInt(2 + shiftBits);
  const word = (term: Term, t: number) =>
    term === undefined
      ? 0
      : (1 << (1 + shiftBits)) | ((term.negative ? 1 : 0) << shiftBits) | (term.shift - base[t]!);
  const words = base.map((_, t) =>
    table.terms.map((codesOf) => codesOf.map((terms) => m.constant(word(terms[t], t), wordType))),
  );
  const termWord = (code: Signal, sv: Signal | undefined) =>
    select(
      pass,
      words.map((byFormat) => {
        const byCode = byFormat.map((constants) => select(code, constants));
        return sv === undefined || byCode.length === 1 ? byCode[0]! : select(sv, byCode);
      }),
    );
  const zero = m.constant(0n, SInt(width));
  const decoded = codes.map((row, r) =>
    row.map((code, lane) => {
      const sv = selectors[r];
      return table.booth
        ? boothDigit(code, pass, table.count, !table.unsigned, `w${r}_${lane}`)
        : (() => {
            const w = termWord(code, sv).named(`w${r}_${lane}_term_word`);
            return {
              present: w.bit(shiftBits + 1).named(`w${r}_${lane}_term`),
              negative: w.bit(shiftBits).named(`w${r}_${lane}_negative`),
              shift: w.slice(shiftBits - 1, 0).named(`w${r}_${lane}_shift`),
            };
          })();
    }),
  );
  looked();
  const terms = decoded.map((row, r) =>
    row.map(({ present, negative, shift }, lane) => {
      const signed = fit(mux(negative, negated[lane]!, act[lane]!), width);
      return mux(present, signed.shl(shift), zero).named(`p${r}_${lane}`);
    }),
  );
  const distinct = [...new Set(base)];
  const baseShift =
    distinct.length === 1
      ? undefined
      : select(
          pass,
          base.map((k) => m.constant(k, UInt(unsignedBits(Math.max(...base))))),
        ).named('pass_weight');
  return {
    terms,
    weigh: (sum, name) =>
      (baseShift === undefined ? (base[0] === 0 ? sum : sum.shl(base[0]!)) : sum.shl(baseShift)).named(name),
  };
}

/**
 * Booth digit `pass` of a two's complement code from its bits 2t+1, 2t, 2t−1 (BitMoD's intbooth):
 * 000 and 111 are 0, 001 and 010 are +1, 011 is +2, 100 is −2, 101 and 110 are −1. Its shift beyond
 * the pass's 2t is 1 for ±2.
 */
function boothDigit(code: Signal, pass: Signal, count: number, signed: boolean, prefix: string) {
  const m = code.builder;
  // Above the code: its sign bit repeated, or 0 for an unsigned code.
  const bit = (i: number) =>
    i < 0 || (!signed && i >= code.width) ? m.constant(0, UInt(1)) : code.bit(Math.min(i, code.width - 1));
  const triple = select(
    pass,
    Array.from({ length: count }, (_, t) => cat(bit(2 * t + 1), bit(2 * t), bit(2 * t - 1))),
  ).named(`${prefix}_booth`);
  const [high, mid, low] = [triple.bit(2), triple.bit(1), triple.bit(0)];
  const same = high.eq(mid).and(mid.eq(low));
  return {
    present: same.not().named(`${prefix}_term`),
    negative: high.and(same.not()).named(`${prefix}_negative`),
    // ±2: 011 or 100, the two low bits equal and unlike the top one.
    shift: mid.eq(low).and(high.ne(mid)).named(`${prefix}_shift`),
  };
}
