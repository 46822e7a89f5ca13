import { addRaw, compareExponents } from '../arith/add.ts';
import { alignToFormat } from '../arith/align.ts';
import { kulischLayout, kulischSumLayout, type KulischLayout } from '../arith/kulisch.ts';
import { heldSinceClear, longAccumulator, MAX_LONG_ACCUMULATOR_WIDTH } from '../arith/long-accumulator.ts';
import { normalize } from '../arith/normalize.ts';
import { exactProduct } from '../arith/product.ts';
import { shiftAddProduct } from '../arith/shift-add-product.ts';
import { splitProduct } from '../arith/split-product.ts';
import type { RawFloat } from '../arith/raw-float.ts';
import { roundPack, type RoundedFloat } from '../arith/round.ts';
import { unpackFloat } from '../arith/unpack.ts';
import { signedBits, unsignedBits } from '../arith/widths.ts';
import { floatLayout, type FloatFormat, type ResolvedPolicy } from '../formats/index.ts';
import {
  checkOutputPolicy,
  floatFormat,
  floatFormatParam,
  policyTag,
  resolvedOutputPolicy,
  roundingParams,
  ROUNDED_FORMAT_NAMES,
} from '../float-params.ts';
import type { Module } from '../hdl/ir.ts';
import { defineGenerator, type GeneratorParams } from '../define.ts';
import { boolParam, choiceParam, intParam } from '../generator.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { cat, mux, select, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { integerAdd, reducedMagnitude } from '../mul/lmul.ts';
import { numberTag } from '../naming.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';
import { DSP_TILE_BITS, tiledProduct } from './tiled-product.ts';

/** Exact products of significands this wide or narrower are built of LUT adders (shiftAddProduct). */
const LUT_PRODUCT_BITS = 4;

/** Partial sums of the float accumulator: at most this many. */
export const MAX_PARTIAL_SUMS = 8;

export type FpMacParams = GeneratorParams<typeof fpMac>;

/** Points in a float addition (addRaw, normalize, alignToFormat, roundPack) where a cut may go. */
type AddPoint =
  'exponents' | 'aligned' | 'summed' | 'complemented' | 'counted' | 'normalize' | 'align' | 'increment';
/** The loop's own cut points, by priority: with L partial sums the loop may take L − 1 of them. */
const LOOP_CUTS = [
  'complemented',
  'counted',
  'aligned',
  'align',
  'summed',
  'normalize',
  'exponents',
  'increment',
] as const;
/** A float addition's main cut points, by the priority every feed-forward addition here gives them. */
const ADDITION_CUTS = ['summed', 'align', 'normalize', 'counted', 'aligned', 'exponents'] as const;
/** The cut points of each addition that combines the partial sums, by priority ('merged': after its rounding). */
const MERGE_CUTS = ['merged', ...ADDITION_CUTS, 'complemented', 'increment'] as const;
/**
 * The float accumulator's cut points, by priority: product and unpack stay off the loop; with L
 * partial sums the loop spreads over up to L − 1 cuts, and each of the L − 1 additions that combine
 * them gets its own.
 */
function floatCuts(partialSums: number): string[] {
  const loop = LOOP_CUTS.slice(0, partialSums - 1).map((c) => `loop_${c}`);
  const merges = MERGE_CUTS.flatMap((c) =>
    Array.from({ length: partialSums - 1 }, (_, k) => `merge${k + 1}_${c}`),
  );
  return ['output', 'product', 'unpack', ...loop, ...merges];
}
/**
 * The FMA's cut points, by priority (a feed-forward pipeline: any of them may be cut; 'count' splits
 * the sum's leading-zero count, 'shift' the alignment shift).
 */
const FMA_CUTS = [
  'product',
  ...ADDITION_CUTS,
  'partial',
  'unpack',
  'complemented',
  'round',
  'denorm',
  'difference',
  'increment',
  'count',
  'shift',
] as const;
/** The long accumulator's cut points, by priority: the loop alone in its stage first, then the read-out. */
const LONG_CUTS = [
  'accumulate',
  'product',
  'window',
  'align',
  'increment',
  'place',
  'resolve',
  'magnitude',
  'normalize',
  'unpack',
  'carry',
  'complement',
  'round',
  'partial',
  'top',
  'flags',
] as const;
/**
 * The long accumulator's cut points for these parameters: in an msb/lsb window the product is
 * normalized too (cuts in and after its normalization); where the sum can be subnormal in the
 * output format, its shift to the subnormal quantum gets a cut of its own ('denorm') right after
 * the alignment's ('align'), otherwise that cut comes last (it splits nothing).
 */
function longCuts(p: FpMacParams): string[] {
  const subnormal = accumulatorLayout(p).lsbExp < floatLayout(floatFormat(p.accFormat)).emin;
  const cuts: string[] = [...LONG_CUTS, ...(p.msb === undefined ? [] : ['counted', 'normalized'])];
  if (subnormal) cuts.splice(cuts.indexOf('increment'), 0, 'denorm');
  else cuts.push('denorm');
  if (p.product === 'lmul') cuts.splice(cuts.indexOf('align') + 1, 0, 'lmul_sum');
  // One segment has no pending carries to resolve: no 'carry' or 'flags' cut, and 'resolve' splits nothing;
  // its short loop needs the absolute value cut off the read-out ('magnitude') before 'place'.
  if (accumulatorLayout(p).width <= Number(p.segment)) {
    cuts.splice(cuts.indexOf('carry'), 1);
    cuts.splice(cuts.indexOf('flags'), 1);
    cuts.push(...cuts.splice(cuts.indexOf('resolve'), 1));
    const [place] = cuts.splice(cuts.indexOf('place'), 1);
    cuts.splice(cuts.indexOf('magnitude') + 1, 0, place!);
  }
  return withoutPartial(p, cuts);
}

/** An L-Mul product has no multiplier to split ('partial'), but its integer sum may be cut ('lmul_sum'). */
function withoutPartial(p: FpMacParams, cuts: readonly string[]): string[] {
  return cuts.filter((c) => (p.product === 'lmul' ? c !== 'partial' : c !== 'lmul_sum'));
}

/** Kulisch: the accumulator's width and LSB, from k (exact for k products, generators/arith/kulisch.ts) or from the msb/lsb window. */
export function accumulatorLayout(p: FpMacParams): KulischLayout {
  if (p.msb !== undefined && p.lsb !== undefined) return { width: p.msb - p.lsb + 1, lsbExp: p.lsb };
  const fa = floatFormat(p.aFormat);
  const k = p.k ?? 32;
  return p.product === 'lmul' ? kulischSumLayout(fa, k) : kulischLayout(fa, floatFormat(p.bFormat), k);
}

/** What the accumulator sums, for messages: 'k = 32 e4m3fn × e4m3fn products'. */
function accumulatorWhat(p: FpMacParams): string {
  const products = `${p.aFormat} × ${p.bFormat}${p.product === 'lmul' ? ' L-Mul' : ''} products`;
  return p.msb === undefined
    ? `k = ${p.k ?? 32} ${products}`
    : `${products} in the window msb = ${p.msb}, lsb = ${p.lsb}`;
}

/**
 * Floating-point multiply-accumulate at II = 1, three ways. Kulisch (the default): the exact products
 * enter a long fixed-point accumulator whose loop holds one carry-save segment add (as wide as
 * Kulisch's exact accumulator for k products, or an msb/lsb window as in FloPoCo's FPLargeAcc: de
 * Dinechin, Pasca, Creţ, Tudoran, FPT 2008); the carries, absolute value, normalization and the one
 * rounding are pipelined behind the loop. Float: every step is a fused multiply-add (one rounding per step); its
 * add-normalize-round sits on the accumulator's feedback path, which bounds its clock (the product
 * side is pipelined freely). None: a feed-forward FMA, round(a·b + c), pipelined throughout.
 */
export const fpMac = defineGenerator({
  name: 'fp_mac',
  family: 'mac',
  summary:
    'float multiply-accumulate: exact long (Kulisch) accumulator, per-step fused float accumulator or pipelined FMA, exact or L-Mul products, II = 1',
  params: {
    aFormat: floatFormatParam(ROUNDED_FORMAT_NAMES).default('e4m3fn').describe('format of operand a'),
    bFormat: floatFormatParam(ROUNDED_FORMAT_NAMES).default('e4m3fn').describe('format of operand b'),
    accumulator: choiceParam(['kulisch', 'float', 'none'])
      .default('kulisch')
      .describe(
        "kulisch: the exact sum in a long fixed-point accumulator (Kulisch's exact accumulation), rounded once when read; float: acc ← round(acc + a·b) every step (fused multiply-add); none: no accumulator, the output is round(a·b + c) (a pipelined FMA).",
      ),
    accFormat: floatFormatParam(ROUNDED_FORMAT_NAMES)
      .default('fp32')
      .describe(
        "Format of the float accumulator, of the rounded Kulisch output, or of the FMA's addend and result.",
      ),
    k: intParam(1, 1 << 20)
      .optional()
      .describe(
        'Kulisch: the number of products the accumulator sums exactly (its width follows docs/kulisch.md#width); default 32.',
      ),
    msb: intParam(-4096, 4096)
      .optional()
      .describe(
        "Kulisch, instead of k: a window of the accumulator, as FloPoCo's FPLargeAcc has — its top bit weighs −2^msb and its last 2^lsb; each product is truncated toward zero at 2^lsb, and one of magnitude 2^msb or more is left out and raises the `overflow` output.",
      ),
    lsb: intParam(-4096, 4096)
      .optional()
      .describe("Kulisch window, with msb: the weight 2^lsb of the accumulator's last bit"),
    segment: choiceParam(['4', '8', '16', '32', '64'])
      .default('16')
      .describe('Kulisch: bits per carry segment of the accumulator, the longest carry on its loop.'),
    product: choiceParam(['exact', 'lmul'])
      .default('exact')
      .describe(
        'exact: the exact product a·b; lmul: the L-Mul product (docs/lmul.md; a and b of one format).',
      ),
    m: intParam(1, 23)
      .optional()
      .describe("L-Mul products: mantissa bits of the operands (default: all of the format's)."),
    ...roundingParams,
    addendInput: boolParam()
      .default(false)
      .describe(
        'Float accumulator: add inputs `c` and `use_c`; with use_c high the addend is c instead of the accumulator (an FMA).',
      ),
    flags: boolParam()
      .default(false)
      .describe(
        'Float accumulator or FMA: a 5-bit `flags` output of each step, {invalid, 0, overflow, underflow, inexact}.',
      ),
    partialSums: intParam(1, MAX_PARTIAL_SUMS)
      .default(1)
      .describe(
        "Float accumulator: L partial sums used round-robin (the i-th product since a clear goes to sum i mod L, so each one's loop has L cycles), combined when read as ((s0 + s1) + s2) + …, every addition rounded (docs/fp_mac.md#interleaved-partial-sums).",
      ),
  },
  latency: {
    max: 128,
    default: 1,
    description:
      'pipeline stages (the accumulation loop itself is one cycle); the cut points, most useful first, are in docs/fp_mac.md',
  },
  check(p, ctx) {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    checkOutputPolicy({ ...p, outFormat: p.accFormat }, ctx);
    if (p.product === 'lmul' && p.aFormat !== p.bFormat)
      issue('bFormat', `must equal aFormat (${p.aFormat}) for L-Mul products`);
    const mant = floatFormat(p.aFormat).mantBits;
    if (p.m !== undefined && (p.product !== 'lmul' || p.m > mant))
      issue('m', p.product !== 'lmul' ? 'applies to L-Mul products only' : `must be at most ${mant}`);
    const kulisch = p.accumulator === 'kulisch';
    if (kulisch && (p.addendInput || p.flags))
      issue(p.addendInput ? 'addendInput' : 'flags', 'applies to the float accumulator and the FMA only');
    if (p.partialSums > 1 && (p.accumulator !== 'float' || p.addendInput || p.flags))
      issue(
        'partialSums',
        p.accumulator !== 'float'
          ? 'applies to the float accumulator only (1 elsewhere)'
          : `must be 1 with ${p.addendInput ? 'addendInput' : 'flags'} (one accumulator per step's addend and flags)`,
      );
    if (p.accumulator === 'none' && p.addendInput)
      issue('addendInput', 'applies to the float accumulator only (without one, c is always an input)');
    if (p.k !== undefined && (!kulisch || p.msb !== undefined || p.lsb !== undefined))
      issue(
        'k',
        kulisch ? 'applies without an msb/lsb window only' : 'applies to the kulisch accumulator only',
      );
    for (const key of ['msb', 'lsb'] as const) {
      if (p[key] !== undefined && !kulisch) issue(key, 'applies to the kulisch accumulator only');
    }
    if (kulisch && (p.msb === undefined) !== (p.lsb === undefined))
      issue(p.msb === undefined ? 'msb' : 'lsb', 'msb and lsb set a window together: give both');
    if (p.msb !== undefined && p.lsb !== undefined && p.msb <= p.lsb)
      issue('msb', `must be above lsb (${p.lsb})`);
    const maxLatency = kulisch
      ? longCuts(p).length
      : p.accumulator === 'none'
        ? withoutPartial(p, FMA_CUTS).length
        : floatCuts(p.partialSums).length;
    if (p.latency > maxLatency)
      issue('latency', `must be at most ${maxLatency} for the ${p.accumulator} accumulator`);
    if (kulisch) {
      const { width } = accumulatorLayout(p);
      if (width > MAX_LONG_ACCUMULATOR_WIDTH)
        issue(
          p.msb === undefined ? 'k' : 'msb',
          `the accumulator for ${accumulatorWhat(p)} would be ${width} bits wide; at most ${MAX_LONG_ACCUMULATOR_WIDTH} are allowed`,
        );
    }
  },
  build(p, top): Module {
    const [fa, fb, facc] = [floatFormat(p.aFormat), floatFormat(p.bFormat), floatFormat(p.accFormat)];
    const kind =
      p.accumulator === 'kulisch'
        ? p.msb === undefined
          ? `kulisch${p.k ?? 32}`
          : `window${numberTag(p.msb)}_${numberTag(p.lsb!)}`
        : p.accumulator === 'none'
          ? 'fma'
          : '';
    const stem =
      `fp_mac_${p.aFormat}_${p.bFormat}_` +
      (kind === '' ? '' : `${kind}_`) +
      p.accFormat +
      (p.accumulator === 'kulisch' && p.segment !== '16' ? `_seg${p.segment}` : '') +
      (p.product === 'lmul' ? `_lmul${p.m ?? fa.mantBits}` : '') +
      policyTag(p) +
      (p.addendInput ? '_c' : '') +
      (p.flags ? '_flags' : '') +
      (p.partialSums > 1 ? `_ps${p.partialSums}` : '');
    const m = top.module(stem);
    const a = m.input('a', UInt(floatLayout(fa).bits), `${p.aFormat} code`);
    const b = m.input('b', UInt(floatLayout(fb).bits), `${p.bFormat} code`);
    const policy = resolvedOutputPolicy({ ...p, outFormat: p.accFormat });
    if (p.accumulator === 'none') {
      const c = m.input('c', UInt(floatLayout(facc).bits), `${p.accFormat} addend`);
      const cut = pipelineCuts(m, p.latency, withoutPartial(p, FMA_CUTS));
      // The addend is unpacked beside a and b, and its exponent compared with the product's while
      // the significands multiply: the addition starts from the pick of the difference.
      const u = unpackFloat(c, facc, 'c');
      const addend: RawFloat = { ...u, invalid: u.isSignalingNaN };
      const multiply = cut.has('partial') ? productWithCut(() => cut.at('partial')) : undefined;
      const product = productRaw(a, b, fa, fb, p, () => cut.at('unpack'), multiply);
      const compared = compareExponents(product, addend, 'sum');
      cut.at('product');
      const sum = addRaw(
        product,
        addend,
        policy.rounding === 'rdown' ? 1 : 0,
        'sum',
        (point) => cut.at(point),
        {
          cutDifference: () => cut.at('difference'),
          swapAfterDifference: true,
          // The deepest pipelines (the 'count' cut) also count trailing zeros for the alignment's sticky bit.
          lostFromTrailingZeros: cut.has('count'),
          cutShift: cut.has('shift') ? () => cut.at('shift') : undefined,
          compared,
        },
      );
      const normalized = normalize(
        sum,
        'sum_norm',
        (point) => cut.at(point),
        cut.has('count') ? () => cut.at('count') : undefined,
      );
      cut.at('normalize');
      // Denormalized for the output from the exponent alone; the rounding is then one addition.
      const aligned = alignToFormat(
        { ...normalized, maxLeadingZeros: 0 },
        facc,
        policy.subnormals,
        'sum_align',
        () => cut.at('denorm'),
        // The deepest pipeline ('shift') compares the registered exponent with emin in LUTs and
        // gathers the bits the subnormal shift drops beside the shifter.
        { comparesInLuts: cut.has('shift'), lostFromMask: cut.has('shift') },
      );
      cut.at('align');
      const rounded = roundPack(aligned, facc, policy, 'out', () => cut.at('increment'));
      cut.at('round');
      m.output('y', rounded.code.named('y'), `${p.accFormat} code of round(a·b + c)`);
      if (p.flags)
        m.output('flags', flagsOf(rounded), 'IEEE flags {invalid, 0, overflow, underflow, inexact}');
      return m.build();
    }
    const clear = m.input('clear', UInt(1), 'start a new sum with this product');
    return p.accumulator === 'float'
      ? floatAccumulator(m, a, b, clear, fa, fb, facc, p, policy)
      : longAccumulatorMac(m, a, b, clear, fa, fb, facc, p, policy);
  },
});

/** The IEEE flags of a rounding as one 5-bit value {invalid, 0, overflow, underflow, inexact}. */
function flagsOf(rounded: RoundedFloat): Signal {
  const zero = rounded.code.builder.constant(0, UInt(1));
  return cat(rounded.invalid, zero, rounded.overflow, rounded.underflow, rounded.inexact).named('step_flags');
}

/**
 * acc ← round(acc + a·b) every step: the loop holds the addition (exponent compare, alignment, add,
 * normalization) and the rounding; the product, its unpacking and the output sit outside it. With L
 * partial sums, product i since the clear adds to sum i mod L (the first L start from round(a·b)),
 * so that a sum is read again only L steps after it was written: the loop may spread over L cycles
 * (registers read at its start and loaded at its end). The output after each step combines the
 * sums as they stand, ((s0 + s1) + s2) + …, every addition rounded, sums not yet started left out.
 */
function floatAccumulator(
  m: ModuleBuilder,
  a: Signal,
  b: Signal,
  clear: Signal,
  fa: FloatFormat,
  fb: FloatFormat,
  facc: FloatFormat,
  p: FpMacParams,
  policy: ResolvedPolicy,
) {
  const addend = p.addendInput
    ? {
        c: m.input('c', UInt(floatLayout(facc).bits), `${p.accFormat} addend`),
        useC: m.input('use_c', UInt(1), 'add c instead of the accumulator'),
      }
    : undefined;
  const L = p.partialSums;
  const bits = floatLayout(facc).bits;
  const cut = pipelineCuts(m, p.latency, floatCuts(L));
  const product = productRaw(a, b, fa, fb, p, () => cut.at('unpack'));
  cut.at('product');
  // The round-robin slot of this product and whether its sum is still to start (fresh).
  let slot: Signal | undefined;
  let fresh = clear;
  let full: Signal | undefined;
  const accs = Array.from({ length: L }, (_, j) =>
    m.register(L === 1 ? 'acc_q' : `acc${j}_q`, UInt(bits), { reset: 0 }),
  );
  let accRead: Signal = accs[0]!;
  if (L > 1) {
    const slotBits = unsignedBits(L - 1);
    const slotQ = m.register('slot_q', UInt(slotBits), { reset: 0 });
    // After reset every sum is +0 and started (as the one accumulator of L = 1 is).
    const fullQ = m.register('started_q', UInt(1), { reset: 1 });
    slot = mux(clear, m.constant(0, UInt(slotBits)), slotQ).named('slot');
    full = fullQ.and(clear.not()).named('started');
    fresh = full.not().named('fresh');
    const last = slot.eq(L - 1);
    slotQ.next(mux(last, m.constant(0, UInt(slotBits)), slot.add(1, { width: slotBits })).named('slot_next'));
    fullQ.next(full.or(last).named('started_next'));
    accRead = select(slot, accs).named('acc_read');
  }
  const addendCode =
    addend === undefined ? accRead : mux(addend.useC, addend.c, accRead).named('addend_code');
  // With use_c the addend is c, on a clear too.
  if (addend !== undefined) fresh = fresh.and(addend.useC.not()).named('fresh_sum');
  const u = unpackFloat(addendCode, facc, 'acc');
  // A fresh sum: the addend is a zero of the product's sign, so the step returns round(a·b) exactly.
  const addendRaw: RawFloat = {
    sign: mux(fresh, product.sign, u.sign),
    exp: u.exp,
    sig: u.sig,
    isZero: u.isZero.or(fresh),
    isInf: u.isInf.and(fresh.not()),
    isNaN: u.isNaN.and(fresh.not()),
    invalid: u.isSignalingNaN.and(fresh.not()),
  };
  const loopCut = (point: AddPoint) => cut.at(`loop_${point}`);
  const rounded = roundedSum(product, addendRaw, facc, policy, 'sum', 'step', loopCut);
  const accNext = rounded.code.named('acc_next');
  if (L === 1) accs[0]!.next(accNext);
  else accs.forEach((acc, j) => acc.next(accNext, { when: slot!.eq(j), fromLaterStage: true }));
  const flags = flagsOf(rounded);
  cut.at('output');
  if (L === 1) {
    m.output('acc', accNext, `${p.accFormat} code of the accumulator after this vector`);
    if (p.flags)
      m.output('flags', flags, 'IEEE flags of this step {invalid, 0, overflow, underflow, inexact}');
    return m.build();
  }
  // The sums after this step, where the loop ends: a copy of each, and this step's new one.
  const current = Array.from({ length: L }, (_, j) => {
    const here = slot!.eq(j);
    const part = m.register(`part${j}_q`, UInt(bits), { reset: 0 });
    part.next(accNext, { when: here });
    return {
      code: mux(here, accNext, part).named(`part${j}`),
      started: j === 0 ? m.constant(1, UInt(1)) : full!.or(slot!.ge(j)).named(`part${j}_started`),
    };
  });
  let total = current[0]!.code;
  for (let j = 1; j < L; j++) {
    const prefix = `merge${j}`;
    const x = unpackFloat(total, facc, `${prefix}_x`);
    const y = unpackFloat(current[j]!.code, facc, `${prefix}_y`);
    const sum = roundedSum(x, y, facc, policy, prefix, `${prefix}_round`, (point) =>
      cut.at(`${prefix}_${point}`),
    ).code;
    total = mux(current[j]!.started, sum, total).named(`${prefix}_total`);
    cut.at(`${prefix}_merged`);
  }
  m.output('acc', total, `${p.accFormat} code of ((s0 + s1) + …) after this vector, every addition rounded`);
  return m.build();
}

/** round(x + y) into `format`: addRaw, normalize, alignToFormat, roundPack, with `cut` at their points. */
function roundedSum(
  x: RawFloat,
  y: RawFloat,
  format: FloatFormat,
  policy: ResolvedPolicy,
  prefix: string,
  roundPrefix: string,
  cut: (point: AddPoint) => void,
): RoundedFloat {
  const sum = addRaw(x, y, policy.rounding === 'rdown' ? 1 : 0, prefix, cut);
  const normalized = normalize(sum, `${prefix}_norm`, cut);
  cut('normalize');
  const aligned = alignToFormat(
    { ...normalized, maxLeadingZeros: 0 },
    format,
    policy.subnormals,
    `${prefix}_align`,
  );
  cut('align');
  return roundPack(aligned, format, policy, roundPrefix, () => cut('increment'));
}

/**
 * The exact products into a long accumulator (generators/arith/long-accumulator.ts), whose loop is one
 * segment-wide integer add; Inf and NaN products are tracked beside it. The sum after every step is
 * read out, normalized and rounded once, in pipeline stages behind the loop.
 */
function longAccumulatorMac(
  m: ModuleBuilder,
  a: Signal,
  b: Signal,
  clear: Signal,
  fa: FloatFormat,
  fb: FloatFormat,
  facc: FloatFormat,
  p: FpMacParams,
  policy: ResolvedPolicy,
) {
  const cut = pipelineCuts(m, p.latency, longCuts(p));
  const layout = { ...accumulatorLayout(p), segment: Number(p.segment) };
  const windowed = p.msb !== undefined;
  const multiply = cut.has('partial') ? productWithCut(() => cut.at('partial')) : undefined;
  const raw = productRaw(
    a,
    b,
    fa,
    fb,
    p,
    () => cut.at('unpack'),
    multiply,
    () => cut.at('lmul_sum'),
  );
  // In a window every product is normalized, so that its exponent alone says whether it fits.
  const product = windowed ? normalize(raw, 'product_norm', (point) => cut.at(point)) : raw;
  if (windowed) cut.at('normalized');
  const sigBits = product.sig.width;
  // Where the product's LSB lies above the accumulator's: exp − (sigBits − 1) − lsbExp.
  const bias = sigBits - 1 + layout.lsbExp;
  const w = Math.max(product.exp.width, signedBits(-Math.abs(bias), Math.abs(bias))) + 1;
  const position = product.exp.resize(w).sub(bias, { width: w }).named('product_position');
  const special = product.isZero.or(product.isNaN).or(product.isInf);
  let sig = product.sig;
  let placeAt = position;
  let tooLarge = m.constant(0, UInt(1));
  if (windowed) {
    // Bits below 2^lsb are cut off the magnitude (truncation toward zero); 2^msb or more does not fit.
    const below = position.lt(0).named('product_below_lsb');
    const dropBits = unsignedBits(sigBits);
    const drop = m.constant(0, SInt(w)).sub(position, { width: w }).asUnsigned();
    const amount = mux(
      below,
      mux(drop.gt(sigBits), m.constant(sigBits, UInt(w)), drop),
      m.constant(0, UInt(w)),
    )
      .resize(dropBits)
      .named('product_truncation');
    sig = product.sig.shr(amount).named('product_sig_truncated');
    placeAt = mux(below, m.constant(0, SInt(w)), position);
    tooLarge = product.exp
      .resize(w)
      .ge(m.constant(p.msb!, SInt(w)))
      .and(special.not())
      .named('product_overflow');
  }
  const positionBits = Math.min(unsignedBits(layout.width - 1), w - 1);
  cut.at('product');
  // The stage of the loop is current when the block reaches its 'accumulate' point: the flags of
  // Inf and NaN products (and of products beyond the window) are kept there, beside the sum.
  let sticky: { nan: Signal; posInf: Signal; negInf: Signal; overflow: Signal } | undefined;
  const sum = longAccumulator(
    {
      sig,
      position: placeAt.asUnsigned().slice(positionBits - 1, 0),
      negative: product.sign,
      zero: special.or(tooLarge).named('product_skipped'),
    },
    clear,
    layout,
    facc.mantBits + 3,
    (point) => {
      if (point === 'accumulate') {
        const keep = (name: string, set: Signal) => heldSinceClear(clear, name, set);
        sticky = {
          nan: keep('acc_nan', product.isNaN),
          posInf: keep('acc_pinf', product.isInf.and(product.sign.not())),
          negInf: keep('acc_ninf', product.isInf.and(product.sign)),
          overflow: windowed ? keep('acc_overflow', tooLarge) : tooLarge,
        };
      }
      cut.at(point);
    },
    'acc',
    // With a 'carry' or 'flags' cut the stage behind the loop ends at the segment carries or their
    // flags: those come from the segments directly, beside the adds of the pending carries.
    // With a 'top' cut the sticky bit is formed after it, beside the window's pick, and the segments'
    // nonzero flags before the 'magnitude' cut, beside the additions of the absolute value, whose
    // increments come from the segments' zero flags (decided beside the carries' additions) with the
    // sign applied last.
    {
      flagsFromSegments: cut.has('carry') || cut.has('flags'),
      stickyAfterTop: cut.has('top'),
      nonzeroBesideMagnitude: cut.has('top'),
      incrementsFromZeros: cut.has('top'),
      zerosBesideCarries: cut.has('top'),
      decodeBeforePlace: cut.has('top'),
    },
  );
  cut.at('normalize');
  const { nan, posInf, negInf, overflow } = sticky!;
  const isNaN = nan.or(posInf.and(negInf)).named('sum_is_nan');
  const isInf = posInf.or(negInf).and(isNaN.not()).named('sum_is_inf');
  // Denormalized for the output where the sum can be tiny there (decided from the exponent alone),
  // so that the rounding is one addition on the packed field and mantissa.
  const aligned = alignToFormat(
    {
      ...sum,
      sign: mux(isInf, negInf, sum.sign).named('sum_sign'),
      isZero: sum.isZero.and(isNaN.or(isInf).not()).named('sum_is_zero'),
      isInf,
      isNaN,
    },
    facc,
    policy.subnormals,
    'acc_align',
    () => cut.at('denorm'),
    // Where the subnormal shift has a stage of its own, its exponent test runs in LUTs and the bits it
    // drops are gathered from a mask beside the shifter, not by an OR after it.
    { comparesInLuts: cut.has('denorm'), lostFromMask: cut.has('denorm') },
  );
  cut.at('align');
  const out = roundPack(aligned, facc, policy, 'out', () => cut.at('increment'));
  cut.at('round');
  m.output('acc', out.code.named('acc'), `the exact accumulator rounded to ${p.accFormat}`);
  if (windowed)
    m.output('overflow', overflow, 'a product of magnitude 2^msb or more was left out since the last clear');
  return m.build();
}

/**
 * A significand product with a pipeline cut inside: in DSP-sized tiles, each one's output registered
 * before the tiles are summed, where a significand is wider than a DSP block's operand (fp32's 24
 * bits: four 12×12 tiles); otherwise in two halves of the narrower operand.
 */
function productWithCut(cut: () => void) {
  return (x: Signal, y: Signal): Signal =>
    Math.max(x.width, y.width) > DSP_TILE_BITS
      ? tiledProduct(x, y, DSP_TILE_BITS, cut, 'product')
      : splitProduct(x, y, 2, cut, 'product');
}

/** The product a·b as a raw float: exact (unpack, significand product) or the L-Mul product (docs/lmul.md). */
function productRaw(
  a: Signal,
  b: Signal,
  fa: FloatFormat,
  fb: FloatFormat,
  p: FpMacParams,
  afterUnpack: () => void,
  multiply?: (x: Signal, y: Signal) => Signal,
  cutSum: () => void = () => {},
): RawFloat {
  if (p.product === 'lmul') {
    const mBits = p.m ?? fa.mantBits;
    const ua = unpackFloat(a, fa, 'a', true);
    const ub = unpackFloat(b, fb, 'b', true);
    const sign = ua.sign.xor(ub.sign);
    const infTimesZero = ua.isInf.and(ub.isZero).or(ua.isZero.and(ub.isInf));
    const isNaN = ua.isNaN.or(ub.isNaN).or(infTimesZero);
    const code = integerAdd(
      reducedMagnitude(a, fa, mBits, 'rne', 'a'),
      reducedMagnitude(b, fb, mBits, 'rne', 'b'),
      fa,
      fa,
      mBits,
      'saturate',
      {
        sign,
        isNaN,
        isInf: ua.isInf.or(ub.isInf).and(isNaN.not()),
        isZero: ua.isZero.or(ub.isZero).and(isNaN.not()),
      },
      // A cut after the integer sum (before its range checks, where they compare the sum itself).
      (point?: string) => {
        if (point !== 'range') cutSum();
      },
    ).named('lmul_code');
    afterUnpack();
    const u = unpackFloat(code, fa, 'lmul');
    return {
      sign: u.sign,
      exp: u.exp,
      sig: u.sig,
      isZero: u.isZero,
      isInf: u.isInf,
      isNaN: u.isNaN,
      invalid: infTimesZero,
    };
  }
  const ua = unpackFloat(a, fa, 'a');
  const ub = unpackFloat(b, fb, 'b');
  afterUnpack();
  // Significands of 4 bits or fewer (FP8, FP4) multiply in a few LUT adders, faster than a DSP block.
  const lut = Math.max(ua.sig.width, ub.sig.width) <= LUT_PRODUCT_BITS;
  const product =
    multiply ?? (lut ? (x: Signal, y: Signal) => shiftAddProduct(x, y, 'product_sig') : undefined);
  return exactProduct(ua, ub, 'product', product === undefined ? {} : { multiply: product });
}
