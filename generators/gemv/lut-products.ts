// The chunk's dot products by table lookup instead of multiplication (T-MAC, LUT Tensor Core;
// docs/lut-gemv.md): the activations of each g lanes make a table of their 2^g partial sums, shared by
// every row; each bit plane of a row's weights indexes it, and the planes are added shifted.
import { pairUp } from '../arith/pairwise.ts';
import { signedBits, unsignedBits } from '../arith/widths.ts';
import type { GemvWeight } from '../formats/gemv-weights.ts';
import { cat, mux, select, type Signal } from '../hdl/signal.ts';
import type { ModuleBuilder } from '../hdl/module.ts';
import { SInt, UInt, type HdlType } from '../hdl/types.ts';

export interface LutProducts {
  /** g: activations per table, 1..8 (2^g entries, or 2^(g−1) mirrored). */
  inputs: number;
  /**
   * Mirrored tables hold Σ ±a_i for the patterns whose last lane is +: the others are their
   * negations, so Σ a_i·b_i = (M[b] + Σ a_i)/2 (docs/lut-gemv.md#mirrored-tables).
   */
  mirror: boolean;
}

/**
 * The terms of each row's Σ a·w over the chunk, to be summed at `width` bits (two's complement, so
 * that the sum is exact modulo 2^width). With `doubled` the terms sum to 2·Σ a·w (mirrored tables).
 * `act` are the lanes' exact activations, `codes[r][lane]` the weight codes; `tables` is called once
 * the tables are built (a pipeline cut point).
 */
export function lutDotTerms(
  act: Signal[],
  codes: Signal[][],
  weight: GemvWeight,
  lut: LutProducts,
  width: number,
  tables: () => void,
): { terms: Signal[][]; doubled: boolean } {
  const coding = weight.planeCoding;
  if (coding === undefined) throw new Error('lutDotTerms: table lookup needs integer weights (planeCoding)');
  const m = act[0]!.builder;
  const g = lut.inputs;
  const subgroups = Array.from({ length: act.length / g }, (_, j) => act.slice(j * g, (j + 1) * g));
  const entryType = tableEntryType(act[0]!, g, lut.mirror);
  const built = subgroups.map((lanes, j) =>
    lut.mirror ? mirroredTable(lanes, entryType, `m${j}`) : plainTable(lanes, entryType, `t${j}`),
  );
  tables();

  const type = SInt(width);
  const ones = m.constant(-1n, type);
  const zero = m.constant(0n, type);
  // Σ_p C_p·b_p + d summed over the lanes: Σ_p C_p·(Σ a·b_p) + d·Σ a. A mirrored plane gives
  // 2·Σ a·b_p − Σ a, so the doubled sum is Σ_p C_p·M_p + (Σ_p C_p + 2d)·Σ a.
  const sumC = coding.coefficients.reduce((a, b) => a + b, 0n);
  const actFactor = lut.mirror ? sumC + 2n * coding.offset : coding.offset;
  // Σ a of each table's lanes is its all-ones entry; its multiple, shared by the rows.
  const actTerms =
    actFactor === 0n
      ? []
      : built.map((table, j) => constantTimes(table.full.sext(width), actFactor).named(`a_term${j}`));
  const terms = codes.map((rowCodes, r) => {
    const rowTerms: Signal[] = [];
    // A lookup subtracted is added inverted (~x = −x − 1), its 1s gathered in one correction term.
    const corrections: { bit: Signal; shift: number }[] = [];
    let constant = 0n;
    coding.coefficients.forEach((c, p) => {
      const magnitude = c < 0n ? -c : c;
      const shift = magnitude.toString(2).length - 1;
      if (magnitude !== 1n << BigInt(shift)) throw new Error(`plane ${p}: coefficient ${c} is not ±2^k`);
      built.forEach((table, j) => {
        const index = cat(...Array.from({ length: g }, (_, i) => rowCodes[j * g + g - 1 - i]!.bit(p))).named(
          `w${r}_plane${p}_${j}`,
        );
        const { entry, negate } = table.lookup(index, `l${r}_${p}_${j}`);
        // The lookup's sign: the mirror's and the plane coefficient's.
        const inverted = c < 0n ? (negate === undefined ? m.constant(1, UInt(1)) : negate.not()) : negate;
        const wide = entry.sext(width);
        const term = inverted === undefined ? wide : wide.xor(mux(inverted, ones, zero));
        rowTerms.push((shift === 0 ? term : term.shl(shift)).named(`l${r}_${p}_${j}_term`));
        if (inverted === undefined) return;
        const known = m.constantValue(inverted.id);
        if (known !== undefined) constant += known << BigInt(shift);
        else corrections.push({ bit: inverted, shift });
      });
    });
    const correction = correctionSum(m, corrections, constant, type, `c${r}`);
    return [...rowTerms, ...actTerms, ...(correction === undefined ? [] : [correction])];
  });
  return { terms, doubled: lut.mirror };
}

interface Table {
  /** The entry an index of g weight bits (lane g−1 highest) picks, and whether it is to be negated. */
  lookup(index: Signal, name: string): { entry: Signal; negate?: Signal };
  /** Σ a over the table's lanes (every weight bit 1). */
  full: Signal;
}

/** Entries wide enough for Σ ±a over g lanes of activations of `a`'s type. */
function tableEntryType(a: Signal, g: number, mirror: boolean) {
  const half = 1n << BigInt(a.width - 1);
  const g_ = BigInt(g);
  return SInt(mirror ? signedBits(-g_ * half, g_ * half) : signedBits(-g_ * half, g_ * (half - 1n)));
}

/** The 2^g sums Σ_{i ∈ idx} a_i, built from its two halves' tables (depth ⌈log2 g⌉). */
function plainTable(lanes: Signal[], type: HdlType, prefix: string): Table {
  const entries = subsetSums(lanes, type, prefix);
  return {
    lookup: (index, name) => ({ entry: select(index, entries).named(name) }),
    full: entries[entries.length - 1]!,
  };
}

function subsetSums(lanes: Signal[], type: HdlType, prefix: string, offset = 0): Signal[] {
  const m = lanes[0]!.builder;
  if (lanes.length === 1) return [m.constant(0n, type), lanes[0]!.resize(type.width)];
  const h = Math.ceil(lanes.length / 2);
  const low = subsetSums(lanes.slice(0, h), type, prefix, offset);
  const high = subsetSums(lanes.slice(h), type, prefix, offset + h);
  return Array.from({ length: 1 << lanes.length }, (_, idx) => {
    const [a, b] = [low[idx & ((1 << h) - 1)]!, high[idx >> h]!];
    if (idx >> h === 0) return a;
    if ((idx & ((1 << h) - 1)) === 0) return b;
    return a.add(b, { width: type.width }).named(`${prefix}_${(idx << offset).toString(2)}`);
  });
}

/**
 * The 2^(g−1) sums Σ ±a_i whose last lane is +a; an index whose last bit is 0 picks the entry of its
 * complement, negated.
 */
function mirroredTable(lanes: Signal[], type: HdlType, prefix: string): Table {
  const last = lanes[lanes.length - 1]!.resize(type.width);
  const rest = lanes.slice(0, -1);
  const entries =
    rest.length === 0
      ? [last]
      : signedSums(rest, type, prefix).map((sum, idx) =>
          sum.add(last, { width: type.width }).named(`${prefix}_${idx.toString(2)}`),
        );
  const g = lanes.length;
  return {
    lookup: (index, name) => {
      const top = index.bit(g - 1);
      if (g === 1) return { entry: entries[0]!, negate: top.not() };
      const low = index.slice(g - 2, 0);
      return { entry: select(mux(top, low, low.not()), entries).named(name), negate: top.not() };
    },
    full: entries[entries.length - 1]!,
  };
}

/** Σ ±a_i for every sign pattern (bit i set: +a_i), from its two halves'. */
function signedSums(lanes: Signal[], type: HdlType, prefix: string, offset = 0): Signal[] {
  if (lanes.length === 1) {
    const a = lanes[0]!.resize(type.width);
    return [a.neg().resize(type.width).named(`${prefix}_neg${offset}`), a];
  }
  const h = Math.ceil(lanes.length / 2);
  const low = signedSums(lanes.slice(0, h), type, prefix, offset);
  const high = signedSums(lanes.slice(h), type, prefix, offset + h);
  return Array.from({ length: 1 << lanes.length }, (_, idx) =>
    low[idx & ((1 << h) - 1)]!.add(high[idx >> h]!, { width: type.width }).named(
      `${prefix}_s${offset}_${idx.toString(2).padStart(lanes.length, '0')}`,
    ),
  );
}

/** x·k for a constant k by shifts and adds: ±(2^n − 1) as one subtraction, else one copy per bit. */
function constantTimes(x: Signal, k: bigint): Signal {
  const width = x.width;
  const magnitude = k < 0n ? -k : k;
  const n = (magnitude + 1n).toString(2).length - 1;
  if (magnitude + 1n === 1n << BigInt(n) && n > 1)
    return k < 0n ? x.sub(x.shl(n), { width }) : x.shl(n).sub(x, { width });
  const copies = magnitude
    .toString(2)
    .split('')
    .reverse()
    .flatMap((bit, i) => (bit === '1' ? [i === 0 ? x : x.shl(i)] : []));
  const product = copies.reduce((a, b) => a.add(b, { width }));
  return k < 0n ? product.neg().resize(width) : product;
}

/** Σ bit·2^shift + constant: the 1s that complete inverted lookups to negations, counted per plane. */
function correctionSum(
  m: ModuleBuilder,
  bits: { bit: Signal; shift: number }[],
  constant: bigint,
  type: HdlType,
  name: string,
): Signal | undefined {
  if (bits.length === 0 && constant === 0n) return undefined;
  const byShift = new Map<number, Signal[]>();
  for (const { bit, shift } of bits) byShift.set(shift, [...(byShift.get(shift) ?? []), bit]);
  const counts = [...byShift].map(([shift, group]) => {
    const countBits = unsignedBits(group.length);
    const count = sumAll(
      group.map((b) => b.zext(countBits)),
      countBits,
    )
      .zext(type.width)
      .asSigned();
    return shift === 0 ? count : count.shl(shift);
  });
  const terms = [...counts, ...(constant === 0n ? [] : [m.constant(constant, type)])];
  return sumAll(terms, type.width).named(`${name}_correction`);
}

function sumAll(terms: Signal[], width: number): Signal {
  let level = terms;
  while (level.length > 1) level = pairUp(level, (a, b) => a.add(b, { width }));
  return level[0]!;
}
