import { z } from 'zod';
import { addRaw } from '../arith/add.ts';
import { alignToFormat } from '../arith/align.ts';
import { kulischLayout, kulischSumLayout, type KulischLayout } from '../arith/kulisch.ts';
import { longAccumulator, MAX_LONG_ACCUMULATOR_WIDTH } from '../arith/long-accumulator.ts';
import { normalize } from '../arith/normalize.ts';
import { exactProduct } from '../arith/product.ts';
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
import { boolParam, choiceParam, intParam, type Generator } from '../generator.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { cat, mux, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { integerAdd, reducedMagnitude } from '../mul/lmul.ts';
import { numberTag, timingTag } from '../naming.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';

export const fpMacParams = z
  .object({
    aFormat: floatFormatParam(ROUNDED_FORMAT_NAMES).default('e4m3fn'),
    bFormat: floatFormatParam(ROUNDED_FORMAT_NAMES).default('e4m3fn'),
    /**
     * kulisch: the exact sum in a long fixed-point accumulator (Kulisch's exact accumulation), rounded once when read;
     * float: acc ← round(acc + a·b) every step (fused multiply-add); none: no accumulator, the
     * output is round(a·b + c) (a pipelined FMA).
     */
    accumulator: choiceParam(['kulisch', 'float', 'none']).default('kulisch'),
    /** Format of the float accumulator, of the rounded Kulisch output, or of the FMA's addend and result. */
    accFormat: floatFormatParam(ROUNDED_FORMAT_NAMES).default('fp32'),
    /** Kulisch: the number of products the accumulator sums exactly (its width follows SPEC §9.2); default 32. */
    k: intParam(1, 1 << 20).optional(),
    /**
     * Kulisch, instead of k: a window of the accumulator, as FloPoCo's FPLargeAcc has — its top bit
     * weighs −2^msb and its last 2^lsb; each product is truncated toward zero at 2^lsb, and one of
     * magnitude 2^msb or more is left out and raises the `overflow` output.
     */
    msb: intParam(-4096, 4096).optional(),
    lsb: intParam(-4096, 4096).optional(),
    /** Kulisch: bits per carry segment of the accumulator, the longest carry on its loop. */
    segment: choiceParam(['4', '8', '16', '32', '64']).default('16'),
    /** exact: the exact product a·b; lmul: the L-Mul product (SPEC §1; a and b of one format). */
    product: choiceParam(['exact', 'lmul']).default('exact'),
    /** L-Mul products: mantissa bits of the operands (default: all of the format's). */
    m: intParam(1, 23).optional(),
    ...roundingParams,
    /** Float accumulator: add inputs `c` and `use_c`; with use_c high the addend is c instead of the accumulator (an FMA). */
    addendInput: boolParam().default(false),
    /** Float accumulator or FMA: a 5-bit `flags` output of each step, {invalid, 0, overflow, underflow, inexact}. */
    flags: boolParam().default(false),
    latency: intParam(0, 16).default(1),
    ready: boolParam().default(false),
  })
  .superRefine((p, ctx) => {
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
      ? (p.msb === undefined ? LONG_CUTS : WINDOW_CUTS).length
      : p.accumulator === 'none'
        ? FMA_CUTS.length
        : FLOAT_CUTS.length;
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
    if (p.ready && p.latency === 0) issue('ready', 'valid/ready backpressure needs latency 1 or more');
  });

export type FpMacParams = z.output<typeof fpMacParams>;

/** The float accumulator's cut points, by priority: product and unpack stay off the loop. */
const FLOAT_CUTS = ['output', 'product', 'unpack'] as const;
/** The FMA's cut points, by priority (a feed-forward pipeline: any of them may be cut). */
const FMA_CUTS = [
  'product',
  'summed',
  'align',
  'normalize',
  'counted',
  'aligned',
  'exponents',
  'partial',
  'unpack',
  'complemented',
  'round',
] as const;
/** The long accumulator's cut points, by priority: the loop alone in its stage first, then the read-out. */
const LONG_CUTS = [
  'accumulate',
  'product',
  'window',
  'align',
  'resolve',
  'magnitude',
  'normalize',
  'unpack',
  'carry',
  'complement',
  'place',
  'round',
  'partial',
] as const;
/** In an msb/lsb window the product is normalized too: cuts in and after its normalization. */
const WINDOW_CUTS = [...LONG_CUTS, 'counted', 'normalized'] as const;

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
export const fpMac: Generator<typeof fpMacParams> = {
  name: 'fp_mac',
  family: 'mac',
  summary:
    'float multiply-accumulate: exact long (Kulisch) accumulator, per-step fused float accumulator or pipelined FMA, exact or L-Mul products, II = 1',
  params: fpMacParams,
  build(p) {
    const [fa, fb, facc] = [floatFormat(p.aFormat), floatFormat(p.bFormat), floatFormat(p.accFormat)];
    const kind =
      p.accumulator === 'kulisch'
        ? p.msb === undefined
          ? `kulisch${p.k ?? 32}`
          : `window${numberTag(p.msb)}_${numberTag(p.lsb!)}`
        : p.accumulator === 'none'
          ? 'fma'
          : '';
    const name =
      `fp_mac_${p.aFormat}_${p.bFormat}_` +
      (kind === '' ? '' : `${kind}_`) +
      p.accFormat +
      (p.accumulator === 'kulisch' && p.segment !== '16' ? `_seg${p.segment}` : '') +
      (p.product === 'lmul' ? `_lmul${p.m ?? fa.mantBits}` : '') +
      policyTag(p) +
      (p.addendInput ? '_c' : '') +
      (p.flags ? '_flags' : '') +
      `_${timingTag(p.latency, p.ready)}`;
    const m = new ModuleBuilder(name, { generator: 'fp_mac', params: p }, { ready: p.ready });
    const a = m.input('a', UInt(floatLayout(fa).bits), `${p.aFormat} code`);
    const b = m.input('b', UInt(floatLayout(fb).bits), `${p.bFormat} code`);
    const policy = resolvedOutputPolicy({ ...p, outFormat: p.accFormat });
    if (p.accumulator === 'none') {
      const c = m.input('c', UInt(floatLayout(facc).bits), `${p.accFormat} addend`);
      const cut = pipelineCuts(m, p.latency, FMA_CUTS);
      const multiply = cut.has('partial')
        ? (x: Signal, y: Signal) => splitProduct(x, y, 2, () => cut.at('partial'), 'product')
        : undefined;
      const product = productRaw(a, b, fa, fb, p, () => cut.at('unpack'), multiply);
      const u = unpackFloat(c, facc, 'c');
      cut.at('product');
      const addend: RawFloat = { ...u, invalid: u.isSignalingNaN };
      const sum = addRaw(product, addend, policy.rounding === 'rdown' ? 1 : 0, 'sum', (point) =>
        cut.at(point),
      );
      const normalized = normalize(sum, 'sum_norm', (point) => cut.at(point));
      cut.at('normalize');
      // Denormalized for the output from the exponent alone; the rounding is then one addition.
      const aligned = alignToFormat(
        { ...normalized, maxLeadingZeros: 0 },
        facc,
        policy.subnormals,
        'sum_align',
      );
      cut.at('align');
      const rounded = roundPack(aligned, facc, policy, 'out');
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
};

/** The IEEE flags of a rounding as one 5-bit value {invalid, 0, overflow, underflow, inexact}. */
function flagsOf(rounded: RoundedFloat): Signal {
  const zero = rounded.code.builder.constant(0, UInt(1));
  return cat(rounded.invalid, zero, rounded.overflow, rounded.underflow, rounded.inexact).named('step_flags');
}

/** acc ← round(acc + a·b) every step: the add-normalize-round is on the loop. */
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
  const cut = pipelineCuts(m, p.latency, FLOAT_CUTS);
  const product = productRaw(a, b, fa, fb, p, () => cut.at('unpack'));
  cut.at('product');
  const acc = m.register('acc_q', UInt(floatLayout(facc).bits), { reset: 0 });
  const addendCode = addend === undefined ? acc : mux(addend.useC, addend.c, acc).named('addend_code');
  const u = unpackFloat(addendCode, facc, 'acc');
  // Clear: the addend is a zero of the product's sign, so the step returns round(a·b) exactly.
  const addendRaw: RawFloat = {
    sign: mux(clear, product.sign, u.sign),
    exp: u.exp,
    sig: u.sig,
    isZero: u.isZero.or(clear),
    isInf: u.isInf.and(clear.not()),
    isNaN: u.isNaN.and(clear.not()),
    invalid: u.isSignalingNaN.and(clear.not()),
  };
  const sum = addRaw(product, addendRaw, policy.rounding === 'rdown' ? 1 : 0, 'sum');
  const rounded = roundPack(normalize(sum, 'sum_norm'), facc, policy, 'step');
  const accNext = rounded.code.named('acc_next');
  acc.next(accNext);
  const flags = flagsOf(rounded);
  cut.at('output');
  m.output('acc', accNext, `${p.accFormat} code of the accumulator after this vector`);
  if (p.flags) m.output('flags', flags, 'IEEE flags of this step {invalid, 0, overflow, underflow, inexact}');
  return m.build();
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
  const cut = pipelineCuts(m, p.latency, WINDOW_CUTS);
  const layout = { ...accumulatorLayout(p), segment: Number(p.segment) };
  const windowed = p.msb !== undefined;
  const multiply = cut.has('partial')
    ? (x: Signal, y: Signal) => splitProduct(x, y, 2, () => cut.at('partial'), 'product')
    : undefined;
  const raw = productRaw(a, b, fa, fb, p, () => cut.at('unpack'), multiply);
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
        const keep = (name: string, set: Signal) => {
          const q = m.register(`${name}_q`, UInt(1), { reset: 0 });
          const next = q.and(clear.not()).or(set).named(name);
          q.next(next);
          return next;
        };
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
  );
  cut.at('align');
  const out = roundPack(aligned, facc, policy, 'out');
  cut.at('round');
  m.output('acc', out.code.named('acc'), `the exact accumulator rounded to ${p.accFormat}`);
  if (windowed)
    m.output('overflow', overflow, 'a product of magnitude 2^msb or more was left out since the last clear');
  return m.build();
}

/** The product a·b as a raw float: exact (unpack, significand product) or the L-Mul product (SPEC §1). */
function productRaw(
  a: Signal,
  b: Signal,
  fa: FloatFormat,
  fb: FloatFormat,
  p: FpMacParams,
  afterUnpack: () => void,
  multiply?: (x: Signal, y: Signal) => Signal,
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
  return exactProduct(ua, ub, 'product', multiply === undefined ? {} : { multiply });
}
