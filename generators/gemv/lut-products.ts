// The chunk's dot products by table lookup instead of multiplication (T-MAC, LUT Tensor Core;
// docs/lut-gemv.md): the activations of each g lanes make a table of their 2^g partial sums, shared by
// every row; each bit plane of a row's weights indexes it, and the planes are added shifted.
import { leadingZeros } from '../arith/lzc.ts';
import { pairUp } from '../arith/pairwise.ts';
import { roundFraction } from '../arith/round-fraction.ts';
import { signedBits, unsignedBits } from '../arith/widths.ts';
import type { GemvWeight } from '../formats/gemv-weights.ts';
import { cat, mux, select, type Signal } from '../hdl/signal.ts';
import { fit } from './fit.ts';
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
  /** One bit plane per cycle (a chunk takes B cycles), else every plane in the same cycle. */
  serial?: boolean;
  /**
   * 'exact' entries, or 'int8': every entry rounded to an integer of ±127 times the chunk's power-of-two
   * table scale (T-MAC's quantized tables; docs/lut-gemv.md#quantized-tables).
   */
  tableFormat?: 'exact' | 'int8';
}

/** The largest magnitude of a quantized table entry. */
const QUANTIZED_LIMIT = 127n;
const QUANTIZED_BITS = 8;

/**
 * How a row's terms become its share of Σ a·w: an exact sum is that share already; a quantized one
 * is in units of the chunk's table scale 2^s (`unscale`).
 */
export interface LutSum {
  /** The width the row's terms are summed at. */
  width: number;
  /** The row's sum of terms as exact Σ a·w (halved when doubled) at `outWidth` bits. */
  unscale(sum: Signal, outWidth: number, name: string): Signal;
  /**
   * The same in two steps across a pipeline cut: `coarse` shifts the sum by the scale's high bits
   * (before the cut), `unscale` given that shifts by the low bits and halves.
   */
  coarse(sum: Signal, outWidth: number, name: string): Signal;
}

/**
 * The terms of each row's Σ a·w over the chunk, to be summed at the returned `width` (two's
 * complement, so that the sum is exact modulo 2^width): `exactWidth` for exact tables, less for
 * quantized ones. Mirrored tables' terms sum to 2·Σ a·w, quantized ones' to Σ a·w in units of the
 * table scale; `unscale` turns the sum into Σ a·w. `act` are the lanes' exact activations,
 * `codes[r][lane]` the weight codes; `tables` is called once the tables are built, before quantized
 * tables' rounding (a pipeline cut point).
 */
export function lutDotTerms(
  act: Signal[],
  codes: Signal[][],
  weight: GemvWeight,
  lut: LutProducts,
  exactWidth: number,
  tables: () => void,
  quantized?: QuantizedInputs,
): { terms: Signal[][] } & LutSum {
  const coding = planeCodingOf(weight);
  const built = buildTables(act, lut, tables, quantized);
  // Σ_p C_p·b_p + d summed over the lanes: Σ_p C_p·(Σ a·b_p) + d·Σ a. A mirrored plane gives
  // 2·Σ a·b_p − Σ a, so the doubled sum is Σ_p C_p·M_p + (Σ_p C_p + 2d)·Σ a.
  const sumC = coding.coefficients.reduce((a, b) => a + b, 0n);
  const actFactor = lut.mirror ? sumC + 2n * coding.offset : coding.offset;
  // Quantized: every term is a multiple of an entry of at most 127.
  const magnitude = (c: bigint) => (c < 0n ? -c : c);
  const width =
    built.scale === undefined
      ? exactWidth
      : quantizedSumWidth(
          (coding.coefficients.reduce((a, c) => a + magnitude(c), 0n) + magnitude(actFactor)) *
            BigInt(built.tables.length),
        );
  // Σ a of each table's lanes is its all-ones entry; its multiple, shared by the rows.
  const actTerms =
    actFactor === 0n
      ? []
      : built.tables.map((table, j) => constantTimes(fit(table.full, width), actFactor).named(`a_term${j}`));
  const planes = coding.coefficients.map((c, p) => {
    const magnitude = c < 0n ? -c : c;
    const shift = magnitude.toString(2).length - 1;
    if (magnitude !== 1n << BigInt(shift)) throw new Error(`plane ${p}: coefficient ${c} is not ±2^k`);
    return { tag: `${p}`, bit: (code: Signal) => code.bit(p), shift, negative: c < 0n };
  });
  const terms = codes.map((rowCodes, r) => [
    ...lookupTerms(built.tables, rowCodes, r, planes, width),
    ...actTerms,
  ]);
  let coarseDone = false;
  return {
    terms,
    width,
    unscale: (sum, outWidth, name) => unscale(sum, built.scale, lut.mirror, outWidth, name, coarseDone),
    coarse: (sum, outWidth, name) => {
      coarseDone = true;
      return coarseShift(sum, built.scale, lut.mirror, outWidth, name);
    },
  };
}

/**
 * A bit-serial chunk's lookups: one bit plane per cycle, `plane` (0 … B − 1) choosing it. Each row's
 * terms sum (at `width` bits) to the plane's Σ a·b_p, or with mirrored tables to 2·Σ a·b_p − Σ a;
 * `contribution` turns that sum into the plane's share of Σ a·w, C_p·Σ a·b_p (+ d·Σ a on plane 0),
 * at `outWidth` bits, and `act` passes Σ a on plane 0 only, so that a chunk's planes add up to its
 * Σ a·w and its Σ a once. The Σ a of the mirror and of d is the exact one given (`actSum`), or with
 * quantized tables the sum of their quantized all-ones entries.
 */
export function lutSerialTerms(
  act: Signal[],
  codes: Signal[][],
  weight: GemvWeight,
  lut: LutProducts,
  plane: Signal,
  exactWidth: number,
  tables: () => void,
  quantized?: QuantizedInputs,
): {
  terms: Signal[][];
  width: number;
  contribution(sum: Signal, actSum: Signal, outWidth: number, name: string): Signal;
  act(actSum: Signal): Signal;
} {
  const coding = planeCodingOf(weight);
  const built = buildTables(act, lut, tables, quantized);
  const m = plane.builder;
  const planes = [
    { tag: 'p', bit: (code: Signal) => code.shr(plane.resize(code.width)).bit(0), shift: 0, negative: false },
  ];
  // Quantized: a plane's lookups, plus the quantized Σ a for a mirror.
  const width =
    built.scale === undefined
      ? exactWidth
      : quantizedSumWidth(BigInt(built.tables.length) * (lut.mirror ? 2n : 1n));
  const terms = codes.map((rowCodes, r) => lookupTerms(built.tables, rowCodes, r, planes, width));
  const quantizedAct =
    built.scale === undefined
      ? undefined
      : sumAll(
          built.tables.map((t) => fit(t.full, width)),
          width,
        ).named('table_full_sum');
  const first = plane.eq(0).named('first_plane');
  // Every coefficient is ±2^k: its shift and sign by plane.
  const shifts = coding.coefficients.map((c) => (c < 0n ? -c : c).toString(2).length - 1);
  const negativePlanes = coding.coefficients.flatMap((c, p) => (c < 0n ? [p] : []));
  const shiftBase = shifts[0]!;
  if (shifts.some((k, p) => k !== shiftBase + p))
    throw new Error('lutSerialTerms: coefficients must be ±2^(p + k)');
  const negative =
    negativePlanes.length === 0
      ? undefined
      : negativePlanes
          .map((p) => plane.eq(p))
          .reduce((a, b) => a.or(b))
          .named('negative_plane');
  let offsetTerm: Signal | undefined;
  return {
    terms,
    width,
    contribution: (sum, actSum, outWidth, name) => {
      const wide = (x: Signal) => fit(x, outWidth);
      // A mirrored sum plus Σ a is twice the plane's sum: even, halved by dropping a 0 bit.
      const planeSum =
        quantizedAct === undefined
          ? lut.mirror
            ? wide(sum)
                .add(wide(actSum), { width: outWidth + 1 })
                .slice(outWidth, 1)
                .asSigned()
            : wide(sum)
          : unscale(
              lut.mirror ? sum.add(quantizedAct, { width }) : sum,
              built.scale,
              lut.mirror,
              outWidth,
              `${name}_plane`,
            );
      const amount =
        shiftBase === 0 ? plane : plane.zext(plane.width + 1).add(shiftBase, { width: plane.width + 1 });
      const shifted = planeSum.shl(amount).named(`${name}_shifted`);
      const signed =
        negative === undefined ? shifted : mux(negative, shifted.neg().resize(outWidth), shifted);
      if (coding.offset === 0n) return signed.named(name);
      // d·Σ a, shared by the rows, on the first plane only.
      offsetTerm ??= mux(
        first,
        constantTimes(
          quantizedAct === undefined
            ? wide(actSum)
            : unscale(quantizedAct, built.scale, false, outWidth, 'table_full_unscaled'),
          coding.offset,
        ),
        m.constant(0n, SInt(outWidth)),
      ).named('offset_term');
      return signed.add(offsetTerm, { width: outWidth }).named(name);
    },
    act: (actSum) => mux(first, actSum, m.constant(0n, actSum.type)).named('act_once'),
  };
}

/** The width of a sum of quantized entries whose multiples add up to at most `entries` × 127. */
function quantizedSumWidth(entries: bigint): number {
  const max = entries * QUANTIZED_LIMIT;
  return signedBits(-max, max);
}

/**
 * A sum in units of the table scale 2^s as an exact integer at `outWidth` bits: times 2^s, halved when
 * doubled (a doubled sum is even when s = 0, the tables then exact; else 2^s/2 is whole).
 */
function unscale(
  sum: Signal,
  scale: Signal | undefined,
  doubled: boolean,
  outWidth: number,
  name: string,
  afterCoarse = false,
): Signal {
  const width = outWidth + (doubled ? 1 : 0);
  const amount = scale === undefined ? undefined : afterCoarse ? scale.slice(fineBits(scale) - 1, 0) : scale;
  const scaled = amount === undefined ? fit(sum, width) : fit(sum, width).shl(amount);
  return (doubled ? scaled.slice(width - 1, 1).asSigned() : scaled).named(name);
}

/** The low bits of a table scale that the shift after a cut takes (the rest go before it). */
const fineBits = (scale: Signal) => Math.ceil(scale.width / 2);

/** unscale's first step: the sum at full width shifted by the scale's high bits. */
function coarseShift(
  sum: Signal,
  scale: Signal | undefined,
  doubled: boolean,
  outWidth: number,
  name: string,
): Signal {
  const width = outWidth + (doubled ? 1 : 0);
  if (scale === undefined || scale.width <= fineBits(scale)) return fit(sum, width).named(name);
  const low = fineBits(scale);
  const high = cat(scale.slice(scale.width - 1, low), scale.builder.constant(0, UInt(low)));
  return fit(sum, width).shl(high).named(name);
}

function planeCodingOf(weight: GemvWeight): NonNullable<GemvWeight['planeCoding']> {
  if (weight.planeCoding === undefined)
    throw new Error('table lookup needs integer weights, whose value is linear in their bits (planeCoding)');
  return weight.planeCoding;
}

/**
 * The chunk's tables, and with quantized tables their scale exponent s (entries in units of 2^s).
 * `cut` is called once the exact tables are built, or for quantized tables once their sums on the
 * grid are (their rounding and the lookups then share a stage).
 */
function buildTables(
  act: Signal[],
  lut: LutProducts,
  cut: () => void,
  quantized?: QuantizedInputs,
): { tables: Table[]; scale?: Signal } {
  const g = lut.inputs;
  const tablesOf = (lanes: Signal[]) => {
    const entryType = tableEntryType(lanes[0]!, g, lut.mirror);
    return Array.from({ length: lanes.length / g }, (_, j) => lanes.slice(j * g, (j + 1) * g)).map(
      (part, j) =>
        lut.mirror ? mirroredTable(part, entryType, `m${j}`) : plainTable(part, entryType, `t${j}`),
    );
  };
  if (lut.tableFormat !== 'int8') {
    const tables = tablesOf(act);
    cut();
    return { tables };
  }
  // Each activation on the grid of 2^(s − r), rounded toward −∞: ⌊a·2^r / 2^s⌋, which fits in
  // 8 − ⌈log2 g⌉ + r bits (|a| < 2^L, L + ⌈log2 g⌉ − 7 ≤ s): the coarse shift's lanes by the rest of s.
  if (quantized === undefined)
    throw new Error('quantized tables need the chunk scale and lanes (gridCoarse)');
  const { scale, coarse, rounded } = quantized;
  const r = tableFraction(g);
  const gridBits = QUANTIZED_BITS - Math.ceil(Math.log2(g)) + r;
  const grid = coarse.map((lane, i) =>
    lane
      .shr(scale.slice(fineBits(scale) - 1, 0))
      .slice(gridBits - 1, 0)
      .asSigned()
      .named(`a${i}_grid`),
  );
  const type = SInt(QUANTIZED_BITS);
  const quantize = (entry: Signal, name: string) =>
    // The empty subset's entry is the constant 0, and so is its quantized value.
    entry.builder.constantValue(entry.id) === 0n
      ? entry.builder.constant(0n, type)
      : roundFraction(entry, r, QUANTIZED_LIMIT, QUANTIZED_BITS, name);
  // The exact sums on the grid before the cut, their rounding after it (and, with 'rounded', the lookups
  // after that).
  const onGrid = tablesOf(grid);
  cut();
  const tables = onGrid.map((table) => table.quantized(quantize));
  rounded();
  return { tables, scale };
}

/** What a quantized table chunk computes ahead of its tables (chunk.ts). */
export interface QuantizedInputs {
  /** The chunk's table scale exponent s (tableScale). */
  scale: Signal;
  /** The lanes a·2^r shifted right by the high bits of s (gridCoarse). */
  coarse: Signal[];
  /** Called once the entries are rounded (a pipeline cut point before the lookups). */
  rounded: () => void;
}

/**
 * The first step of putting the lanes on the grid of 2^(s − r): a·2^r shifted right by the high bits of
 * s (arithmetic), at full width; buildTables shifts by the low bits.
 */
export function gridCoarse(act: Signal[], scale: Signal, g: number): Signal[] {
  const r = tableFraction(g);
  const gridBits = QUANTIZED_BITS - Math.ceil(Math.log2(g)) + r;
  const low = fineBits(scale);
  const high =
    scale.width <= low
      ? scale.builder.constant(0, UInt(scale.width))
      : cat(scale.slice(scale.width - 1, low), scale.builder.constant(0, UInt(low)));
  return act.map((a, i) =>
    a
      .sext(Math.max(a.width + r, gridBits))
      .shl(r)
      .shr(high)
      .named(`a${i}_grid_coarse`),
  );
}

/** Fraction bits r of the lanes below a table unit: g lanes' truncations then add up to under 1/8 unit. */
function tableFraction(g: number): number {
  return Math.ceil(Math.log2(g)) + 3;
}

/**
 * The chunk's table scale exponent: s = max(0, L + ⌈log2 g⌉ − 7), L the least with every |a| < 2^L
 * (the largest bit length of the lanes' magnitudes), so that every entry, at most g·(2^L − 1) in
 * magnitude, is under 128 units of 2^s. From the magnitudes (the bit length of their OR) or, where the
 * lanes give it earlier, from their largest bit length.
 */
export function tableScale(lanes: { magnitudes: Signal[] } | { bitLength: Signal }, g: number): Signal {
  const log2g = Math.ceil(Math.log2(g));
  if ('bitLength' in lanes) {
    const L = lanes.bitLength;
    const m = L.builder;
    const excess = (1 << L.width) - 1 + log2g - 7;
    const scaleType = UInt(unsignedBits(Math.max(1, excess)));
    const low = 7 - log2g; // s = L − low where L > low
    if (excess <= 0) return m.constant(0n, scaleType).named('table_scale');
    return mux(
      L.gt(low),
      L.sub(low, { width: L.width }).resize(scaleType.width),
      m.constant(0n, scaleType),
    ).named('table_scale');
  }
  const magnitudes = lanes.magnitudes;
  const m = magnitudes[0]!.builder;
  const width = magnitudes[0]!.width;
  const combined = magnitudes.reduce((x, y) => x.or(y)).named('act_bits');
  const excess = width + log2g - 7; // L + ⌈log2 g⌉ − 7 = excess − leading zeros
  const scaleType = UInt(unsignedBits(Math.max(1, excess)));
  if (excess <= 0) return m.constant(0n, scaleType).named('table_scale');
  const zeros = leadingZeros(combined);
  const k = m.constant(BigInt(excess), zeros.type);
  return mux(
    zeros.ge(k),
    m.constant(0n, scaleType),
    k.sub(zeros, { width: zeros.width }).resize(scaleType.width),
  ).named('table_scale');
}

/**
 * One row's lookups, one per table and plane, each at `width` bits shifted to its plane's weight; a
 * lookup subtracted is added inverted (~x = −x − 1), its 1s gathered in one correction term.
 */
function lookupTerms(
  built: Table[],
  rowCodes: Signal[],
  r: number,
  planes: { tag: string; bit: (code: Signal) => Signal; shift: number; negative: boolean }[],
  width: number,
): Signal[] {
  const m = rowCodes[0]!.builder;
  const g = rowCodes.length / built.length;
  const type = SInt(width);
  const ones = m.constant(-1n, type);
  const zero = m.constant(0n, type);
  const terms: Signal[] = [];
  const corrections: { bit: Signal; shift: number }[] = [];
  let constant = 0n;
  for (const { tag, bit, shift, negative } of planes)
    built.forEach((table, j) => {
      const index = cat(...Array.from({ length: g }, (_, i) => bit(rowCodes[j * g + g - 1 - i]!))).named(
        `w${r}_plane${tag}_${j}`,
      );
      const { entry, negate } = table.lookup(index, `l${r}_${tag}_${j}`);
      // The lookup's sign: the mirror's and the plane coefficient's.
      const inverted = negative ? (negate === undefined ? m.constant(1, UInt(1)) : negate.not()) : negate;
      const wide = fit(entry, width);
      const term = inverted === undefined ? wide : wide.xor(mux(inverted, ones, zero));
      terms.push((shift === 0 ? term : term.shl(shift)).named(`l${r}_${tag}_${j}_term`));
      if (inverted === undefined) return;
      const known = m.constantValue(inverted.id);
      if (known !== undefined) constant += known << BigInt(shift);
      else corrections.push({ bit: inverted, shift });
    });
  const correction = correctionSum(m, corrections, constant, type, `c${r}`);
  return [...terms, ...(correction === undefined ? [] : [correction])];
}

interface Table {
  /** The entry an index of g weight bits (lane g−1 highest) picks, and whether it is to be negated. */
  lookup(index: Signal, name: string): { entry: Signal; negate?: Signal };
  /** Σ a over the table's lanes (every weight bit 1). */
  full: Signal;
  /** The same table with every entry quantized (`name` for the quantized entry). */
  quantized(quantize: (entry: Signal, name: string) => Signal): Table;
}

/** Entries wide enough for Σ ±a over g lanes of activations of `a`'s type. */
function tableEntryType(a: Signal, g: number, mirror: boolean) {
  const half = 1n << BigInt(a.width - 1);
  const g_ = BigInt(g);
  return SInt(mirror ? signedBits(-g_ * half, g_ * half) : signedBits(-g_ * half, g_ * (half - 1n)));
}

/** The 2^g sums Σ_{i ∈ idx} a_i, built from its two halves' tables (depth ⌈log2 g⌉). */
function plainTable(lanes: Signal[], type: HdlType, prefix: string): Table {
  return tableOf(subsetSums(lanes, type, prefix), prefix, (index, entries, name) => ({
    entry: select(index, entries).named(name),
  }));
}

/** A table of `entries` (the last one Σ a) read by `lookup`. */
function tableOf(
  entries: Signal[],
  prefix: string,
  lookup: (index: Signal, entries: Signal[], name: string) => { entry: Signal; negate?: Signal },
): Table {
  return {
    lookup: (index, name) => lookup(index, entries, name),
    full: entries[entries.length - 1]!,
    quantized: (quantize) =>
      tableOf(
        entries.map((entry, i) => quantize(entry, `${prefix}_q${i.toString(2)}`)),
        prefix,
        lookup,
      ),
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
  return tableOf(entries, prefix, (index, entries, name) => {
    const top = index.bit(g - 1);
    if (g === 1) return { entry: entries[0]!, negate: top.not() };
    const low = index.slice(g - 2, 0);
    return { entry: select(mux(top, low, low.not()), entries).named(name), negate: top.not() };
  });
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
