import { z } from 'zod';
import { addRaw } from '../arith/add.ts';
import { kulischLayout } from '../arith/kulisch.ts';
import { normalize } from '../arith/normalize.ts';
import { exactProduct } from '../arith/product.ts';
import type { RawFloat } from '../arith/raw-float.ts';
import { roundPack } from '../arith/round.ts';
import { unpackFloat } from '../arith/unpack.ts';
import { floatLayout, type FloatFormat } from '../formats/index.ts';
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
import { timingTag } from '../naming.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';

export const fpMacParams = z
  .object({
    aFormat: floatFormatParam(ROUNDED_FORMAT_NAMES).default('e4m3fn'),
    bFormat: floatFormatParam(ROUNDED_FORMAT_NAMES).default('e4m3fn'),
    /** float: acc ← round(acc + a·b) every step (fused multiply-add); kulisch: exact fixed-point sum, rounded when read. */
    accumulator: choiceParam(['float', 'kulisch']).default('float'),
    /** Format of the float accumulator, or of the rounded Kulisch output. */
    accFormat: floatFormatParam(ROUNDED_FORMAT_NAMES).default('fp32'),
    /** Kulisch: the number of products the accumulator sums exactly (its width follows SPEC §9.2). */
    k: intParam(1, 1 << 20).default(32),
    /** exact: the exact product a·b; lmul: the L-Mul product (SPEC §1; a and b of one format). */
    product: choiceParam(['exact', 'lmul']).default('exact'),
    /** L-Mul products: mantissa bits of the operands (default: all of the format's). */
    m: intParam(1, 23).optional(),
    ...roundingParams,
    /** Float accumulator: add inputs `c` and `use_c`; with use_c high the addend is c instead of the accumulator (an FMA). */
    addendInput: boolParam().default(false),
    /** Float accumulator: a 5-bit `flags` output of each step, {invalid, 0, overflow, underflow, inexact}. */
    flags: boolParam().default(false),
    latency: intParam(0, 3).default(1),
    ready: boolParam().default(false),
  })
  .superRefine((p, ctx) => {
    checkOutputPolicy({ ...p, outFormat: p.accFormat }, ctx);
    if (p.product === 'lmul' && p.aFormat !== p.bFormat) {
      ctx.addIssue({
        code: 'custom',
        path: ['bFormat'],
        message: `must equal aFormat (${p.aFormat}) for L-Mul products`,
      });
    }
    const mant = floatFormat(p.aFormat).mantBits;
    if (p.m !== undefined && (p.product !== 'lmul' || p.m > mant)) {
      ctx.addIssue({
        code: 'custom',
        path: ['m'],
        message: p.product !== 'lmul' ? 'applies to L-Mul products only' : `must be at most ${mant}`,
      });
    }
    if (p.accumulator === 'kulisch' && (p.addendInput || p.flags)) {
      ctx.addIssue({
        code: 'custom',
        path: [p.addendInput ? 'addendInput' : 'flags'],
        message: 'applies to the float accumulator only',
      });
    }
    if (p.ready && p.latency === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['ready'],
        message: 'valid/ready backpressure needs latency 1 or more',
      });
  });

export type FpMacParams = z.output<typeof fpMacParams>;

/**
 * Floating-point multiply-accumulate, one accumulation per cycle. With a float accumulator every step
 * is a fused multiply-add (one rounding); the loop-carried add-normalize-round is one combinational
 * stage on the accumulator's feedback path, so II = 1 holds at any latency (the cost is Fmax; the
 * product side is pipelined freely). With a Kulisch accumulator the sum is exact for k products (SPEC
 * §9.2) and rounded once when read, after the register.
 */
export const fpMac: Generator<typeof fpMacParams> = {
  name: 'fp_mac',
  family: 'mac',
  summary:
    'float multiply-accumulate: fused float accumulator or exact Kulisch accumulator, exact or L-Mul products, II = 1',
  params: fpMacParams,
  build(p) {
    const [fa, fb, facc] = [floatFormat(p.aFormat), floatFormat(p.bFormat), floatFormat(p.accFormat)];
    const name =
      `fp_mac_${p.aFormat}_${p.bFormat}_` +
      (p.accumulator === 'kulisch' ? `kulisch${p.k}_${p.accFormat}` : p.accFormat) +
      (p.product === 'lmul' ? `_lmul${p.m ?? fa.mantBits}` : '') +
      policyTag(p) +
      (p.addendInput ? '_c' : '') +
      (p.flags ? '_flags' : '') +
      `_${timingTag(p.latency, p.ready)}`;
    const m = new ModuleBuilder(name, { generator: 'fp_mac', params: p }, { ready: p.ready });
    const a = m.input('a', UInt(floatLayout(fa).bits), `${p.aFormat} code`);
    const b = m.input('b', UInt(floatLayout(fb).bits), `${p.bFormat} code`);
    const clear = m.input('clear', UInt(1), 'start a new sum with this product');
    const addend = p.addendInput
      ? {
          c: m.input('c', UInt(floatLayout(facc).bits), `${p.accFormat} addend`),
          useC: m.input('use_c', UInt(1), 'add c instead of the accumulator'),
        }
      : undefined;
    const policy = resolvedOutputPolicy({ ...p, outFormat: p.accFormat });

    if (p.accumulator === 'float') {
      const cut = pipelineCuts(m, p.latency, ['output', 'product', 'unpack'] as const);
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
      const zero = m.constant(0, UInt(1));
      const flags = cat(rounded.invalid, zero, rounded.overflow, rounded.underflow, rounded.inexact).named(
        'step_flags',
      );
      cut.at('output');
      m.output('acc', accNext, `${p.accFormat} code of the accumulator after this vector`);
      if (p.flags)
        m.output('flags', flags, 'IEEE flags of this step {invalid, 0, overflow, underflow, inexact}');
      return m.build();
    }

    const cut = pipelineCuts(m, p.latency, ['accumulate', 'product', 'round'] as const);
    const product = productRaw(a, b, fa, fb, p, () => undefined);
    const layout = kulischLayout(fa, fb, p.k);
    // The product as an integer multiple of the accumulator's LSB weight 2^lsbExp.
    const shiftAmount = product.exp.sub(product.sig.width - 1 + layout.lsbExp, {
      width: product.exp.width + 2,
    });
    const shiftBits = Math.max(1, Math.ceil(Math.log2(layout.width)));
    const magnitude = product.sig
      .zext(layout.width)
      .shl(
        shiftAmount
          .resize(shiftBits + 1)
          .asUnsigned()
          .resize(shiftBits),
      )
      .named('product_fixed');
    const productZero = product.isZero.or(product.isNaN).or(product.isInf);
    const signedProduct = mux(
      productZero,
      m.constant(0, SInt(layout.width)),
      mux(product.sign, magnitude.asSigned().neg().resize(layout.width), magnitude.asSigned()),
    ).named('product_signed');
    cut.at('product');
    const acc = m.register('acc_q', SInt(layout.width), { reset: 0 });
    const nanQ = m.register('acc_nan_q', UInt(1), { reset: 0 });
    const posInfQ = m.register('acc_pinf_q', UInt(1), { reset: 0 });
    const negInfQ = m.register('acc_ninf_q', UInt(1), { reset: 0 });
    const accNext = mux(clear, signedProduct, acc.add(signedProduct, { width: layout.width })).named(
      'acc_next',
    );
    const keep = (q: Signal) => q.and(clear.not());
    const nanNext = keep(nanQ).or(product.isNaN).named('acc_nan');
    const posInfNext = keep(posInfQ).or(product.isInf.and(product.sign.not())).named('acc_pinf');
    const negInfNext = keep(negInfQ).or(product.isInf.and(product.sign)).named('acc_ninf');
    acc.next(accNext);
    nanQ.next(nanNext);
    posInfQ.next(posInfNext);
    negInfQ.next(negInfNext);
    cut.at('accumulate');
    // Read out: |acc| with the weight of its top bit, rounded once into the output format.
    const negative = accNext.msb();
    const absolute = mux(negative, accNext.neg().resize(layout.width + 1), accNext.resize(layout.width + 1))
      .asUnsigned()
      .slice(layout.width - 1, 0);
    const out = roundPack(
      normalize(
        {
          sign: mux(posInfNext.or(negInfNext), negInfNext, negative),
          exp: m.constant(layout.width - 1 + layout.lsbExp, SInt(24)),
          sig: absolute.named('acc_magnitude'),
          isZero: accNext.orR().not().and(nanNext.or(posInfNext).or(negInfNext).not()),
          isInf: posInfNext.or(negInfNext).and(nanNext.not()).and(posInfNext.and(negInfNext).not()),
          isNaN: nanNext.or(posInfNext.and(negInfNext)),
        },
        'acc_norm',
      ),
      facc,
      policy,
      'out',
    );
    cut.at('round');
    m.output('acc', out.code, `the exact accumulator rounded to ${p.accFormat}`);
    return m.build();
  },
};

/** The product a·b as a raw float: exact (unpack, significand product) or the L-Mul product (SPEC §1). */
function productRaw(
  a: Signal,
  b: Signal,
  fa: FloatFormat,
  fb: FloatFormat,
  p: FpMacParams,
  afterUnpack: () => void,
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
  return exactProduct(ua, ub, 'product');
}
