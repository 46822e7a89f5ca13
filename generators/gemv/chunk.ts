// One chunk of the GEMV: S activations against S weights of each of P rows, exactly. Activations are
// decoded once and shared by the rows; each weight code is looked up as an exact integer.
import { fixedMagnitude, fixedPlacement, signedFixed } from '../arith/fixed-point.ts';
import { leadingZeros } from '../arith/lzc.ts';
import { maxTree } from '../quantize/max-tree.ts';
import { shiftAddPairs, shiftAddSum } from '../arith/shift-add-product.ts';
import { pairUp } from '../arith/pairwise.ts';
import { exponentRange, unpackFloat } from '../arith/unpack.ts';
import { signedBits, unsignedBits } from '../arith/widths.ts';
import { decode, floatLayout, type FiniteValue, type FloatFormat, type Format } from '../formats/index.ts';
import { floatFormat } from '../float-params.ts';
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { cat, mux, select, type Signal } from '../hdl/signal.ts';
import { SInt, UInt, type HdlType } from '../hdl/types.ts';
import { numberTag } from '../naming.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';
import { GEMV_WEIGHT_FORMATS, type GemvWeight, type GemvWeightName } from '../formats/gemv-weights.ts';
import { activationBits, isIntegerActivation } from './activation.ts';
import { gridCoarse, lutDotTerms, lutSerialTerms, tableScale, type LutProducts } from './lut-products.ts';
import { termPassTerms, termTable, type TermTable } from './term-products.ts';

export interface ChunkShape {
  weight: GemvWeightName;
  activation: string;
  rows: number;
  lanes: number;
  specialValues: readonly number[];
  /** Lane order inside each 32-bit word of 4-bit codes: 'awq' holds logical 0..7 as 0x75316420. */
  packing: 'sequential' | 'awq';
  /**
   * How the products are built: 'dsp' multipliers (DSP blocks), 'luts' shifts and adds (any weight
   * width), or 'auto': shifts and adds for weights of at most 4 magnitude bits when the multipliers
   * would take more than 128 DSP blocks.
   */
  multipliers?: 'auto' | 'dsp' | 'luts';
  /** Aligned accumulation: activations on the grid of the chunk's largest exponent, this many bits. */
  alignBits?: number;
  /** Products by table lookup over the weights' bit planes (integer weights; lut-products.ts). */
  lut?: LutProducts;
  /** Bit-serial products: one term ±2^k of every weight per cycle (term-products.ts). */
  terms?: boolean;
}

/** The exact integers a weight code stands for, in units of 2^exp, per element format (per sv). */
export interface WeightTable {
  exp: number;
  /** values[f][code]; undefined for a NaN code. */
  values: (bigint | undefined)[][];
  width: number;
}

export function weightTable(formats: Format[], bits: number): WeightTable {
  const decoded = formats.map((f) => Array.from({ length: 2 ** bits }, (_, code) => decode(f, code)));
  const finite = decoded.flat().filter((v): v is FiniteValue => v.kind === 'finite');
  const exp = Math.min(0, ...finite.filter((v) => v.sig !== 0n).map((v) => v.exp));
  const values = decoded.map((codes) =>
    codes.map((v) => {
      if (v.kind !== 'finite') return undefined;
      const n = v.sig << BigInt(v.exp - exp);
      return v.sign ? -n : n;
    }),
  );
  const all = values.flat().filter((v): v is bigint => v !== undefined);
  const width = signedBits(
    all.reduce((a, b) => (b < a ? b : a), 0n),
    all.reduce((a, b) => (b > a ? b : a), 0n),
  );
  return { exp, values, width };
}

/** A term core's terms: Booth digits for integer weights, else set bits (term-products.ts). */
export function chunkTerms(shape: Pick<ChunkShape, 'weight' | 'specialValues'>): TermTable {
  const weight = GEMV_WEIGHT_FORMATS[shape.weight];
  const table = weightTable(weight.formats(shape.specialValues), weight.bits);
  const format = weight.formats(shape.specialValues)[0]!;
  if (format.kind !== 'int' || weight.formats(shape.specialValues).length !== 1)
    return termTable(table.values);
  // An unsigned code takes one more digit: its Booth digits are those of the code zero-extended.
  return termTable(table.values, {
    bits: format.signed ? weight.bits : weight.bits + 1,
    signed: format.signed,
  });
}

/** Bit widths of the chunk's results. */
export function chunkWidths(shape: ChunkShape) {
  const weight = GEMV_WEIGHT_FORMATS[shape.weight];
  const table = weightTable(weight.formats(shape.specialValues), weight.bits);
  const aMax = isIntegerActivation(shape.activation)
    ? 1n << BigInt(activationBits(shape.activation) - 1)
    : floatActivationMax(shape);
  const wMax = table.values
    .flat()
    .filter((v): v is bigint => v !== undefined)
    .reduce((a, b) => (b < 0n ? (-b > a ? -b : a) : b > a ? b : a), 0n);
  const sum = (max: bigint, count: number) => signedBits(-max * BigInt(count), max * BigInt(count));
  // A bit-serial table chunk's share of one plane (C_p·Σ a·b_p, + d·Σ a) can be 3 × Σ a·w's bound.
  const serial = shape.lut?.serial ? 2 : 0;
  // A quantized table's entries are off by up to one unit of the table scale each: a bit more.
  const quantized = shape.lut?.tableFormat === 'int8' ? 1 : 0;
  return {
    table,
    aMax,
    wMax,
    dot: sum(aMax * wMax, shape.lanes) + serial + quantized,
    act: sum(aMax, shape.lanes),
  };
}

/** The largest magnitude of a float activation in units of its smallest subnormal (or on the aligned grid). */
function floatActivationMax(shape: ChunkShape): bigint {
  const fa = floatFormat(shape.activation);
  const sigBits = fa.mantBits + 1;
  return shape.alignBits === undefined
    ? ((1n << BigInt(sigBits)) - 1n) << BigInt(floatLayout(fa).expFieldMax - 1)
    : (1n << BigInt(shape.alignBits)) - 1n;
}

/** The logical lane held in physical slot `slot` of a row's codes. */
function logicalLane(shape: ChunkShape, slot: number): number {
  if (shape.packing === 'sequential') return slot;
  const AWQ_ORDER = [0, 2, 4, 6, 1, 3, 5, 7];
  return Math.floor(slot / 8) * 8 + AWQ_ORDER[slot % 8]!;
}

/**
 * Code `index` (row-major) of a weight beat of `count` codes: whole codes one after the other, or
 * gathered from bit planes (FP6-LLM, docs/w4a16.md#bit-planes), the first plane holding each code's top
 * bits and lying lowest.
 */
function weightCode(w: Signal, weight: GemvWeight, count: number, index: number): Signal {
  if (weight.planes === undefined) return w.slice((index + 1) * weight.bits - 1, index * weight.bits);
  let base = 0;
  const fields = weight.planes.map((width) => {
    const field = w.slice(base + (index + 1) * width - 1, base + index * width);
    base += count * width;
    return field;
  });
  return cat(...fields);
}

/** The weight beat's codes as codes[row][logical lane]. */
function laneCodes(w: Signal, shape: ChunkShape): Signal[][] {
  const weight = GEMV_WEIGHT_FORMATS[shape.weight];
  const count = shape.rows * shape.lanes;
  return Array.from({ length: shape.rows }, (_, r) => {
    const row: Signal[] = [];
    for (let slot = 0; slot < shape.lanes; slot++) {
      const lane = logicalLane(shape, slot);
      row[lane] = weightCode(w, weight, count, r * shape.lanes + slot).named(`w${r}_${lane}`);
    }
    return row;
  });
}

/**
 * Cuts after levels 1–4 of the aligned block's largest-exponent tree (a 32-lane tree has 5), by
 * priority; a tree with fewer levels leaves the rest as empty stages.
 */
const MAX_LEVEL_CUTS = ['max_level2', 'max_level4', 'max_level1', 'max_level3'] as const;

/**
 * The chunk kernel's cut points, by priority: after the products ('products'), after the activations
 * are decoded to integers and the weight codes looked up ('decoded'), half-way down the adder trees
 * ('tree'), inside the decoding: after the activations' shift to their place, before their sign
 * ('shifted'), at the inputs ('input': the x word comes from a block RAM's output, slow to leave
 * it), inside the activations' placing shifts ('half_placed': by the amount's high bits before the
 * cut, its low bits after), inside the shift-and-add products after their trees' first level
 * ('pairs'), and for aligned activations after their largest exponent ('block_max'), after each
 * lane's distance to it ('distance'), after the activations are unpacked ('unpacked'), and after
 * levels of the largest exponent's comparison tree (MAX_LEVEL_CUTS), and with 'tree_high' the adder trees
 * are cut twice, a third and two thirds of the way down, instead of halfway.
 */
export const CHUNK_CUTS = [
  'products',
  'decoded',
  'tree',
  'shifted',
  'input',
  'half_placed',
  'pairs',
  'block_max',
  'distance',
  'unpacked',
  ...MAX_LEVEL_CUTS,
  'tree_high',
] as const;

/**
 * A quantized-table chunk's cut points: gemv's, and after 'pairs' one between the tables' rounding and
 * the lookups ('rounded'), which only such a chunk has.
 */
const QUANTIZED_TABLE_CUTS = [
  ...CHUNK_CUTS.slice(0, CHUNK_CUTS.indexOf('pairs') + 1),
  'rounded',
  ...CHUNK_CUTS.slice(CHUNK_CUTS.indexOf('pairs') + 1),
] as const;

export function chunkModuleName(shape: ChunkShape, latency = 0): string {
  const sv = GEMV_WEIGHT_FORMATS[shape.weight].selector?.specialValues
    ? `_sv${shape.specialValues.map(numberTag).join('_')}`
    : '';
  const aligned = shape.alignBits === undefined ? '' : `_al${shape.alignBits}`;
  const awq = shape.packing === 'awq' ? '_awq' : '';
  const products =
    shape.lut !== undefined
      ? `_lut${shape.lut.inputs}${shape.lut.mirror ? 'm' : ''}${shape.lut.tableFormat === 'int8' ? '_t8' : ''}${shape.lut.serial ? '_serial' : ''}`
      : shape.terms
        ? '_terms'
        : (shape.multipliers ?? 'auto') === 'auto'
          ? ''
          : `_${shape.multipliers}`;
  return `gemv_chunk_${shape.weight}${sv}_${shape.activation}${aligned}_p${shape.rows}_s${shape.lanes}${awq}${products}${latency > 0 ? `_l${latency}` : ''}`;
}

/**
 * Inputs x (S activation codes), lanes (how many of them are real), w (P rows of S codes, row-major, or
 * in bit planes), sv or dtype (P group selectors: RaZeR, BitMoD); outputs per row r: dot_r = Σ a·w
 * exactly and bad_r (a NaN weight or a non-finite activation), and act = Σ a, shared by the rows.
 * Combinational, or pipelined to `latency` stages (CHUNK_CUTS).
 */
export function chunkModule(shape: ChunkShape, latency = 0): Module {
  const weight = GEMV_WEIGHT_FORMATS[shape.weight];
  const integer = isIntegerActivation(shape.activation);
  const widths = chunkWidths(shape);
  const { table } = widths;
  const S = shape.lanes;
  const P = shape.rows;
  const m = new ModuleBuilder(chunkModuleName(shape, latency), {
    generator: 'gemv',
    params: { ...shape, latency },
  });
  const cut = pipelineCuts<(typeof QUANTIZED_TABLE_CUTS)[number]>(
    m,
    latency,
    shape.lut?.tableFormat === 'int8' ? QUANTIZED_TABLE_CUTS : CHUNK_CUTS,
  );
  const ab = activationBits(shape.activation);
  const x = m.input('x', UInt(S * ab), `${S} ${shape.activation} activations, lane 0 lowest`);
  const laneCount = m.input(
    'lanes',
    UInt(Math.max(1, Math.ceil(Math.log2(S + 1)))),
    'lanes that hold an element (1..S)',
  );
  const w = m.input(
    'w',
    UInt(P * S * weight.bits),
    weight.planes === undefined
      ? `${P} rows of ${S} ${shape.weight} codes, row 0 lowest`
      : `${P} rows of ${S} ${shape.weight} codes in bit planes (${weight.planes.join(' + ')} bits), row 0 lowest`,
  );
  const selector = weight.selector;
  const selectorBits = selector?.bits ?? 0;
  const sv =
    selector !== undefined && table.values.length > 1
      ? m.input(selector.field, UInt(selectorBits * P), selector.doc)
      : undefined;
  // A bit-serial table core's chunk takes each plane in turn, a term core each term.
  const terms = shape.terms ? chunkTerms(shape) : undefined;
  const passes = terms?.count ?? (shape.lut?.serial ? weight.bits : 1);
  const pass =
    passes > 1
      ? m.input(
          'pass',
          UInt(unsignedBits(passes - 1)),
          terms
            ? `the weights' term of this pass, 0..${passes - 1}`
            : `the weight bit plane of this pass, 0..${passes - 1}`,
        )
      : undefined;
  const plane = shape.lut?.serial ? pass : undefined;
  cut.at('input');

  // Activations as integers, zero in lanes past the end: integer codes as they are; float codes exact, in
  // units of the smallest subnormal, or aligned, in units of 2^(E − alignBits + 1) for the chunk's
  // largest exponent E (truncated).
  const floats = integer ? undefined : floatLanes(x, laneCount, floatFormat(shape.activation), S);
  const actBad = floats?.bad ?? m.constant(0, UInt(1));
  cut.at('unpacked');
  // The placing shifts split in two by 'half_placed' (when chosen).
  const halfPlaced = cut.has('half_placed') ? { halfPlaced: () => cut.at('half_placed') } : {};
  const skipAlignment = () => {
    // No largest exponent to find: its cuts are empty stages, so that the latency is the one asked.
    for (const level of MAX_LEVEL_CUTS) cut.at(level);
    cut.at('block_max');
    cut.at('distance');
  };
  const lanes = !floats
    ? integerLanes(
        integerActivations(x, laneCount, ab, S, () => {
          skipAlignment();
          cut.at('half_placed');
          cut.at('shifted');
        }),
      )
    : shape.alignBits === undefined
      ? exactActivations(
          floats.lanes,
          floats.format,
          {
            ...halfPlaced,
            shifted: () => {
              skipAlignment();
              cut.at('shifted');
            },
          },
          shape.lut?.tableFormat === 'int8',
        )
      : alignedActivations(floats.lanes, floats.format, shape.alignBits, {
          level: (depth) => cut.at(`max_level${depth}` as (typeof MAX_LEVEL_CUTS)[number]),
          max: () => cut.at('block_max'),
          distance: () => cut.at('distance'),
          ...halfPlaced,
          shifted: () => cut.at('shifted'),
        });
  const act = lanes.values;

  if (terms !== undefined) {
    // One term of every weight per pass, each an activation shifted and signed; the rows share the
    // lanes' negations.
    const codes = laneCodes(w, shape);
    const selectors = Array.from({ length: P }, (_, r) =>
      sv?.slice(selectorBits * (r + 1) - 1, selectorBits * r).named(`${selector!.field}${r}`),
    );
    const negated = act.map((a, i) => a.neg().resize(a.width).named(`a${i}_negated`));
    cut.at('decoded');
    const onePass = termPassTerms(
      act,
      negated,
      codes,
      selectors,
      terms,
      pass ?? m.constant(0, UInt(1)),
      widths.dot,
      () => cut.at('pairs'),
    );
    cut.at('products');
    const first = pass === undefined ? undefined : pass.eq(0).named('first_pass');
    return finishChunk(m, widths, act, onePass.terms, Array<Signal>(P).fill(actBad), cut, {
      width: widths.dot,
      name: (r) => `dot${r}_term`,
      dot: (sum, _act, r) => onePass.weigh(sum, `dot${r}_weighed`),
      // Σ a once per chunk, on its first pass.
      act: (actSum) =>
        first === undefined ? actSum : mux(first, actSum, m.constant(0n, actSum.type)).named('act_once'),
    });
  }

  if (shape.lut !== undefined) {
    // Table lookup: the weight codes index the activations' tables bit plane by bit plane. Quantized
    // tables' scale comes from the activations alone, a stage ahead of the grid it sets.
    const codes = laneCodes(w, shape);
    // Quantized tables: the scale, and the lanes' shift to its grid by its high bits, before 'decoded'.
    const g = shape.lut.inputs;
    const scale =
      shape.lut.tableFormat !== 'int8'
        ? undefined
        : tableScale(
            lanes.bitLength ? { bitLength: lanes.bitLength } : { magnitudes: lanes.magnitudes() },
            g,
          );
    const quantized =
      scale === undefined
        ? undefined
        : { scale, coarse: gridCoarse(act, scale, g), rounded: () => cut.at('rounded') };
    cut.at('decoded');
    const bad = Array<Signal>(P).fill(actBad);
    if (plane !== undefined) {
      // One plane per cycle: each row's plane sum, then its share of Σ a·w (lut-products.ts).
      const planeWidth = widths.act + 2 + (shape.lut.mirror ? 1 : 0);
      const serial = lutSerialTerms(
        act,
        codes,
        weight,
        shape.lut,
        plane,
        planeWidth,
        () => cut.at('pairs'),
        quantized,
      );
      cut.at('products');
      return finishChunk(m, widths, act, serial.terms, bad, cut, {
        width: serial.width,
        // Quantized tables' plane sums are shifted back after the tree: the tree goes whole before the cut.
        ...(shape.lut.tableFormat === 'int8' ? { cutAtEnd: true } : {}),
        name: (r) => `dot${r}_plane`,
        dot: (sum, actSum, r) => serial.contribution(sum, actSum, widths.dot, `dot${r}_share`),
        act: serial.act,
      });
    }
    const width = widths.dot + (shape.lut.mirror ? 1 : 0);
    const lut = lutDotTerms(act, codes, weight, shape.lut, width, () => cut.at('pairs'), quantized);
    cut.at('products');
    return finishChunk(
      m,
      widths,
      act,
      lut.terms,
      bad,
      cut,
      quantized !== undefined
        ? {
            width: lut.width,
            name: (r) => `dot${r}_scaled`,
            cutAtEnd: true,
            // In units of the chunk's table scale, doubled for mirrored tables: shifted back by the
            // scale's high bits before the cut, by its low bits after it.
            beforeCut: (sum, r) => lut.coarse(sum, widths.dot, `dot${r}_coarse`),
            dot: (coarse, _act, r) => lut.unscale(coarse, widths.dot, `dot${r}_unscaled`),
          }
        : shape.lut.mirror
          ? {
              width,
              name: (r) => `dot${r}_doubled`,
              // A doubled sum is even: its halving drops a 0 bit.
              dot: (sum) => sum.slice(width - 1, 1).asSigned(),
            }
          : undefined,
    );
  }

  // Narrow weights multiply by shifts and adds in LUTs when the chunk's multipliers would not fit in
  // the DSP blocks of a mid-size FPGA: the activation, negated for a negative weight (once per lane,
  // shared by the rows), times |w|.
  const blocksPerProduct = Math.ceil(act[0]!.width / 18) * Math.ceil(table.width / 18);
  const multipliers = shape.multipliers ?? 'auto';
  const shiftAdd =
    multipliers === 'luts' ||
    (multipliers === 'auto' &&
      unsignedBits(magnitudeMax(table)) <= SHIFT_ADD_MAX_BITS &&
      P * S * blocksPerProduct > DSP_BLOCKS);
  const signedWeights = table.values.flat().some((v) => v !== undefined && v < 0n);
  const negated =
    shiftAdd && signedWeights ? act.map((a, i) => a.neg().resize(a.width).named(`a${i}_negated`)) : undefined;
  // Each weight code as the multiplier's operand: its value, or its magnitude and sign for shifts and adds.
  const weights = Array.from({ length: P }, (_, r) =>
    Array.from({ length: S }, (_, slot) => {
      const lane = logicalLane(shape, slot);
      const code = weightCode(w, weight, P * S, r * S + slot).named(`w${r}_${lane}`);
      const rowSv = sv?.slice(selectorBits * (r + 1) - 1, selectorBits * r);
      const prefix = `w${r}_${lane}`;
      const nan = weightNan(code, table, prefix);
      return {
        lane,
        nan: nan === undefined ? undefined : nan.and(laneCount.gt(lane)).named(`${prefix}_nan_present`),
        magnitude: shiftAdd ? weightMagnitude(code, table, rowSv, prefix) : undefined,
        value: shiftAdd ? undefined : weightValue(code, table, rowSv, prefix),
      };
    }),
  );
  const bad = weights.map((row, r) =>
    row
      .reduce<Signal>((any, { nan }) => (nan === undefined ? any : any.or(nan)), actBad)
      .named(`bad${r}_any`),
  );
  cut.at('decoded');
  // Each product: a multiplier's, or a shift-and-add tree; with 'pairs', every tree's first level comes
  // before the cut and the rest after it.
  const split = cut.has('pairs');
  const firstLevels = weights.map((row, r) =>
    row.map(({ lane, magnitude, value }) => {
      if (magnitude === undefined) return { lane, product: act[lane]!.mul(value!).named(`p${r}_${lane}`) };
      const base = negated
        ? mux(magnitude.negative, negated[lane]!, act[lane]!).named(`p${r}_${lane}_base`)
        : act[lane]!;
      const pairs = shiftAddPairs(base, magnitude.value, `p${r}_${lane}`);
      return split ? { lane, pairs } : { lane, product: shiftAddSum(pairs) };
    }),
  );
  cut.at('pairs');
  const dots = firstLevels.map((row) => {
    const products: Signal[] = [];
    for (const { lane, product, pairs } of row) products[lane] = product ?? shiftAddSum(pairs!);
    return products;
  });
  cut.at('products');
  return finishChunk(m, widths, act, dots, bad, cut);
}

/**
 * The chunk's adder trees and outputs: each row's terms summed (to Σ a·w, or to what `rows` turns
 * into it) and the activations, cut by 'tree' (and 'tree_high').
 */
function finishChunk(
  m: ModuleBuilder,
  widths: ReturnType<typeof chunkWidths>,
  act: Signal[],
  dots: Signal[][],
  bad: Signal[],
  cut: ReturnType<typeof pipelineCuts<(typeof QUANTIZED_TABLE_CUTS)[number]>>,
  rows?: {
    width: number;
    name: (r: number) => string;
    dot: (sum: Signal, actSum: Signal, r: number) => Signal;
    act?: (actSum: Signal) => Signal;
    /** The rows' trees whole before the 'tree' cut: `dot` adds logic after it (a shift). */
    cutAtEnd?: boolean;
    /** With cutAtEnd: what a row's sum becomes before the cut (`dot` then takes that). */
    beforeCut?: (sum: Signal, r: number) => Signal;
  },
): Module {
  const [actSum, ...dotSums] = sumTrees(
    [
      { terms: act, width: widths.act, name: 'act' },
      ...dots.map((terms, r) => ({
        terms,
        width: rows?.width ?? widths.dot,
        name: rows?.name(r) ?? `dot${r}`,
        ...(rows?.cutAtEnd ? { cutAtEnd: true } : {}),
        ...(rows?.beforeCut ? { beforeCut: (sum: Signal) => rows.beforeCut!(sum, r) } : {}),
      })),
    ],
    cut.has('tree_high') ? [() => cut.at('tree'), () => cut.at('tree_high')] : [() => cut.at('tree')],
  );
  dotSums.forEach((sum, r) => {
    m.output(`dot${r}`, rows ? rows.dot(sum!, actSum!, r) : sum!, `row ${r}: Σ a·w, exact`);
    m.output(`bad${r}`, bad[r]!, `row ${r}: a NaN weight or a non-finite activation`);
  });
  m.output('act', rows?.act?.(actSum!) ?? actSum!, 'Σ of the chunk activations, exact');
  return m.build();
}

/** Each lane's float activation unpacked, whether it is present, and whether any present one is NaN or infinite. */
function floatLanes(x: Signal, laneCount: Signal, fa: FloatFormat, S: number) {
  const ab = floatLayout(fa).bits;
  let anyBad: Signal = x.builder.constant(0, UInt(1));
  const lanes = Array.from({ length: S }, (_, i) => {
    const present = laneCount.gt(i).named(`lane${i}_present`);
    const u = unpackFloat(x.slice(i * ab + ab - 1, i * ab), fa, `a${i}`);
    anyBad = anyBad.or(present.and(u.isNaN.or(u.isInf)));
    return { present, u };
  });
  return { lanes, format: fa, bad: anyBad.named('act_bad') };
}

/**
 * The chunk's integer activations: each two's complement code is its own value (no exponent, never NaN),
 * zero in lanes past the end; `cuts` places the float decoding's cuts as empty stages.
 */
function integerActivations(x: Signal, laneCount: Signal, ab: number, S: number, cuts: () => void): Signal[] {
  const m = x.builder;
  const values = Array.from({ length: S }, (_, i) => {
    const present = laneCount.gt(i).named(`lane${i}_present`);
    // One bit wider than the code, so that the most negative code has a negation (shifts and adds).
    const code = x
      .slice(i * ab + ab - 1, i * ab)
      .asSigned()
      .sext(ab + 1)
      .named(`a${i}_code`);
    return mux(present, code, m.constant(0, code.type)).named(`a${i}_value`);
  });
  cuts();
  return values;
}

/** The chunk's activations as exact integers (floatToFixed), zero in lanes past the end; `cut` between the shifts and the signs. */
function exactActivations(
  lanes: { present: Signal; u: ReturnType<typeof unpackFloat> }[],
  fa: FloatFormat,
  cut: { halfPlaced?: () => void; shifted: () => void },
  withBitLengths = false,
): LaneActivations {
  const m = lanes[0]!.present.builder;
  // The magnitude sig·2^shift has the bit length of sig plus the shift (0 past the end).
  const bitLengths = !withBitLengths
    ? undefined
    : lanes.map(({ present, u }, i) => {
        const { shift } = fixedPlacement(u, fa);
        const width = unsignedBits(u.sig.width + (1 << shift.width));
        const sigLength = m
          .constant(BigInt(u.sig.width), UInt(width))
          .sub(leadingZeros(u.sig).zext(width), { width });
        const length = sigLength.add(shift.zext(width), { width });
        return mux(present.and(u.sig.orR()), length, m.constant(0n, UInt(width))).named(`a${i}_length`);
      });
  const magnitudes =
    cut.halfPlaced === undefined
      ? lanes.map(({ u }, i) => fixedMagnitude(u, fa, `a${i}`))
      : shiftInTwo(
          lanes.map(({ u }, i) => {
            const { sig, shift } = fixedPlacement(u, fa);
            return { value: sig, amount: shift, name: `a${i}_units` };
          }),
          'left',
          cut.halfPlaced,
        );
  const bitLength = bitLengths && maxTree(bitLengths, 'act_length');
  cut.shifted();
  const values = lanes.map(({ present, u }, i) => {
    const fixed = signedFixed(u, magnitudes[i]!, fa, `a${i}`).value;
    return mux(present, fixed, m.constant(0, fixed.type)).named(`a${i}_value`);
  });
  return {
    values,
    magnitudes: () => lanes.map(({ present }, i) => presentOnly(present, magnitudes[i]!)),
    ...(bitLength === undefined ? {} : { bitLength }),
  };
}

/**
 * The chunk's activations as signed integers (0 past the end), and on demand their magnitudes before
 * the signs are applied (what a quantized table's scale reads, off the negation's carry chain).
 */
interface LaneActivations {
  values: Signal[];
  magnitudes: () => Signal[];
  /**
   * The largest bit length of the lanes' magnitudes, when asked for: from the floats' fields, beside
   * their placement (a quantized table's scale).
   */
  bitLength?: Signal;
}

/** Integer lanes, their magnitudes |a| (−2^(B−1) read as 2^(B−1)). */
function integerLanes(values: Signal[]): LaneActivations {
  return { values, magnitudes: () => values.map((a) => mux(a.msb(), a.neg(), a).asUnsigned()) };
}

/** A lane's magnitude, or 0 past the end (as the table scale reads it, beside the signed value). */
function presentOnly(present: Signal, magnitude: Signal): Signal {
  return mux(present, magnitude, magnitude.builder.constant(0n, magnitude.type));
}

/**
 * Every lane's shift split by one pipeline cut: by the high bits of its amount before `cut`, by the low
 * bits after it.
 */
function shiftInTwo(
  items: { value: Signal; amount: Signal; name: string }[],
  direction: 'left' | 'right',
  cut: () => void,
): Signal[] {
  const by = (value: Signal, amount: Signal) =>
    direction === 'left' ? value.shl(amount) : value.shr(amount);
  const lowBits = (amount: Signal) => Math.ceil(amount.width / 2);
  const coarse = items.map(({ value, amount, name }) => {
    const low = lowBits(amount);
    if (amount.width <= low) return value;
    const high = cat(amount.slice(amount.width - 1, low), amount.builder.constant(0, UInt(low)));
    return by(value, high).named(`${name}_coarse`);
  });
  cut();
  return items.map(({ amount, name }, i) =>
    by(coarse[i]!, amount.slice(lowBits(amount) - 1, 0).zext(amount.width)).named(name),
  );
}

/**
 * The chunk's activations on one grid: E = the largest exponent among its finite lanes (at least emin),
 * each significand placed with its hidden bit at bit alignBits − 1 − (E − e) and truncated. Output `exp` = E.
 */
function alignedActivations(
  lanes: { present: Signal; u: ReturnType<typeof unpackFloat> }[],
  fa: FloatFormat,
  alignBits: number,
  cut: {
    level: (depth: number) => void;
    max: () => void;
    distance: () => void;
    halfPlaced?: () => void;
    shifted: () => void;
  },
): LaneActivations {
  const m = lanes[0]!.present.builder;
  const emin = floatLayout(fa).emin;
  const exps = lanes.map(({ present, u }, i) =>
    mux(present.and(u.isNaN.or(u.isInf).not()), u.exp, m.constant(emin, u.exp.type)).named(
      `a${i}_finite_exp`,
    ),
  );
  // E by a tree of comparisons, which may be cut after any of its first levels.
  let top = exps;
  let depth = 0;
  while (top.length > 1) {
    const next: Signal[] = [];
    for (let i = 0; i + 1 < top.length; i += 2) next.push(mux(top[i]!.gt(top[i + 1]!), top[i]!, top[i + 1]!));
    if (top.length % 2 === 1) next.push(top[top.length - 1]!);
    top = next;
    depth++;
    if (depth <= MAX_LEVEL_CUTS.length && top.length > 1) cut.level(depth);
  }
  // A shallower tree's remaining level cuts are empty stages, so that the latency is the one asked.
  for (let level = Math.max(depth, 1); level <= MAX_LEVEL_CUTS.length; level++) cut.level(level);
  const maxExp = top[0]!.named('block_exp');
  cut.max();
  m.output('exp', maxExp, "the chunk's largest activation exponent E");
  const sigBits = fa.mantBits + 1;
  const distanceBits = unsignedBits(exponentRange(fa).max - emin);
  const magnitudes = lanes.map(({ u }, i) => {
    const placed = u.sig.zext(alignBits).shl(alignBits - sigBits);
    const distance = maxExp
      .sub(exps[i]!, { width: maxExp.width + 1 })
      .asUnsigned()
      .resize(distanceBits)
      .named(`a${i}_distance`);
    return { placed, distance };
  });
  cut.distance();
  const aligned =
    cut.halfPlaced === undefined
      ? magnitudes.map(({ placed, distance }, i) => placed.shr(distance).named(`a${i}_aligned`))
      : shiftInTwo(
          magnitudes.map(({ placed, distance }, i) => ({
            value: placed,
            amount: distance,
            name: `a${i}_aligned`,
          })),
          'right',
          cut.halfPlaced,
        );
  cut.shifted();
  const values = lanes.map(({ present, u }, i) => {
    const wide = aligned[i]!.zext(alignBits + 1).asSigned();
    const finite = present.and(u.isNaN.or(u.isInf).not());
    return mux(finite, mux(u.sign, wide.neg().resize(alignBits + 1), wide), m.constant(0, wide.type)).named(
      `a${i}_value`,
    );
  });
  return { values, magnitudes: () => lanes.map(({ present }, i) => presentOnly(present, aligned[i]!)) };
}

/**
 * Weights whose magnitude has at most this many bits may multiply by shifts and adds (shiftAddProduct):
 * four shifted copies of the activation and three adders, about 6 LUT4 per product bit on an ECP5.
 */
const SHIFT_ADD_MAX_BITS = 4;

/**
 * 18×18 multiplier blocks the chunk may take (Yosys maps an a × w product to ⌈a/18⌉·⌈w/18⌉ of them):
 * the ECP5-85 has 156, and the group close needs some. Beyond this, narrow weights use LUTs: the
 * W4A16 core's 32 products of a 42-bit fp16 value take 96 blocks (in LUTs they would take about
 * 17,000 LUT4), MXFP4's 256 products of a 25-bit aligned value 512 and NVFP4's 64 of a 42-bit value 192.
 */
const DSP_BLOCKS = 128;

/**
 * A table lookup of a weight code: f of each code's value, as constants of `type`; codes whose value
 * depends on the group's special-value index (RaZeR's −0 code) select by `sv`.
 */
function lookup(
  code: Signal,
  table: WeightTable,
  sv: Signal | undefined,
  f: (v: bigint | undefined) => bigint,
  type: HdlType,
): Signal {
  const m = code.builder;
  const base = table.values[0]!;
  let value = select(
    code,
    base.map((v) => m.constant(f(v), type)),
  );
  for (let c = 0; c < base.length && sv !== undefined; c++) {
    const column = table.values.map((values) => f(values[c]));
    if (column.every((v) => v === column[0])) continue;
    value = mux(
      code.eq(c),
      select(
        sv,
        column.map((v) => m.constant(v, type)),
      ),
      value,
    );
  }
  return value;
}

/** A weight code as a signed integer. */
function weightValue(code: Signal, table: WeightTable, sv: Signal | undefined, prefix: string): Signal {
  return lookup(code, table, sv, (v) => v ?? 0n, SInt(table.width)).named(`${prefix}_value`);
}

/** A weight code's |value| (unsigned, as few bits as the table needs) and whether the value is negative. */
function weightMagnitude(
  code: Signal,
  table: WeightTable,
  sv: Signal | undefined,
  prefix: string,
): { value: Signal; negative: Signal } {
  const abs = (v: bigint | undefined) => (v === undefined ? 0n : v < 0n ? -v : v);
  const type = UInt(unsignedBits(magnitudeMax(table)));
  return {
    value: lookup(code, table, sv, abs, type).named(`${prefix}_magnitude`),
    negative: lookup(code, table, sv, (v) => (v !== undefined && v < 0n ? 1n : 0n), UInt(1)).named(
      `${prefix}_negative`,
    ),
  };
}

function magnitudeMax(table: WeightTable): bigint {
  const abs = (v: bigint | undefined) => (v === undefined ? 0n : v < 0n ? -v : v);
  return table.values.flat().reduce<bigint>((a, v) => (abs(v) > a ? abs(v) : a), 0n);
}

/** Whether a weight code is a NaN code; undefined when the format has none. */
function weightNan(code: Signal, table: WeightTable, prefix: string): Signal | undefined {
  const nanCodes = table.values[0]!.map((v, c) => (v === undefined ? c : -1)).filter((c) => c >= 0);
  if (nanCodes.length === 0) return undefined;
  return nanCodes
    .map((c) => code.eq(c))
    .reduce((a, b) => a.or(b))
    .named(`${prefix}_nan`);
}

/**
 * Balanced adder trees, exact, each at its own width, built level by level together so that each cut
 * cuts all of them in one stage: n cuts after ⌈k·levels/(n + 1)⌉ levels (one cut: halfway down).
 */
function sumTrees(
  trees: {
    terms: Signal[];
    width: number;
    name: string;
    cutAtEnd?: boolean;
    /** A tree summed whole before the cuts: what its sum becomes before them. */
    beforeCut?: (sum: Signal) => Signal;
  }[],
  cuts: (() => void)[],
): Signal[] {
  let levels = trees.map((t) => t.terms.map((term) => term.resize(t.width)));
  const depth = Math.max(...levels.map((level) => Math.ceil(Math.log2(Math.max(1, level.length)))));
  const cutLevels = cuts.map((_, k) => Math.ceil(((k + 1) * depth) / (cuts.length + 1)));
  const sums = () => levels.map((level, i) => level[0]!.named(`${trees[i]!.name}_sum`));
  if (trees.some((t) => t.cutAtEnd)) {
    // A tree summed whole before the cuts (its sum goes on through more logic after them), the others
    // cut at their levels as below.
    const reduce = (i: number, until: number) => {
      for (let d = 0; d < until && levels[i]!.length > 1; d++)
        levels[i] = pairUp(levels[i]!, (a, b) => a.add(b, { width: trees[i]!.width }));
    };
    let done = 0;
    cutLevels.forEach((level, k) => {
      trees.forEach((t, i) => {
        reduce(i, t.cutAtEnd ? depth : level - (k === 0 ? 0 : cutLevels[k - 1]!));
        if (k === 0 && t.beforeCut) levels[i] = [t.beforeCut(levels[i]![0]!.named(`${t.name}_sum`))];
      });
      cuts[k]!();
      done = level;
    });
    trees.forEach((_, i) => reduce(i, depth - done));
    return sums();
  }
  for (let d = 0; d < depth; d++) {
    cutLevels.forEach((level, k) => {
      if (level === d) cuts[k]!();
    });
    levels = levels.map((level, i) => pairUp(level, (a, b) => a.add(b, { width: trees[i]!.width })));
  }
  cutLevels.forEach((level, k) => {
    if (level >= depth) cuts[k]!();
  });
  return sums();
}
