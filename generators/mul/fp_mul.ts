import { z } from 'zod';
import { alignToFormat } from '../arith/align.ts';
import { exactProduct } from '../arith/product.ts';
import { roundPack } from '../arith/round.ts';
import { shiftAddProduct } from '../arith/shift-add-product.ts';
import { splitProduct } from '../arith/split-product.ts';
import { normalizeOperand, unpackFloat } from '../arith/unpack.ts';
import type { FloatFormat } from '../formats/index.ts';
import {
  checkOutputPolicy,
  floatFormat,
  floatFormatParam,
  policyTag,
  resolvedOutputPolicy,
  roundingParams,
  ROUNDED_FORMAT_NAMES,
} from '../float-params.ts';
import { boolParam, choiceParam, intParam, readyParam, type Generator } from '../generator.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { cat, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
import { timingTag } from '../naming.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';

export const fpMulParams = z
  .object({
    aFormat: floatFormatParam().default('e4m3fn').describe('format of operand a'),
    bFormat: floatFormatParam().default('e4m3fn').describe('format of operand b'),
    outFormat: floatFormatParam(ROUNDED_FORMAT_NAMES)
      .default('e4m3fn')
      .describe('format of the product, rounded once with the rounding policy'),
    ...roundingParams,
    inputSubnormals: choiceParam(['keep', 'flush'])
      .default('keep')
      .describe('keep: subnormal operands count; flush: they read as zero (denormals-are-zero).'),
    flags: boolParam()
      .default(false)
      .describe("Add a 5-bit `flags` output: {invalid, 0, overflow, underflow, inexact}, TestFloat's order."),
    latency: intParam(0, 7)
      .default(0)
      .describe(
        "Stage cuts, in order of use: after unpacking, after the significand product (the alignment's decisions from the exponent before it, its shift after), once the rounding increment is decided (before its addition), inside the significand product (partial products, then their sum), after the exponent sum (before the alignment's decisions), after normalization, at the output.",
      ),
    ready: readyParam(),
  })
  .superRefine((p, ctx) => {
    checkOutputPolicy(p, ctx);
  });

export type FpMulParams = z.output<typeof fpMulParams>;

/**
 * Significands of at most this many bits (FP8's to FP16's) are multiplied in LUTs, by gated, shifted
 * copies added (on ECP5 a MULT18X18D alone between registers takes about 7 ns; split around the
 * 'partial' cut, adders take less).
 */
const LUT_PRODUCT_BITS = 11;
/** A split significand product multiplies by slices of at most this many bits (under 10 ns on iCE40). */
const PARTIAL_PRODUCT_BITS = 6;
/**
 * Split in LUTs, the narrower operand goes in slices of at least this many bits, and at most three
 * of them: a few additions on either side of the cut (BF16's 8 bits: 3 + 3 + 2; FP16's 11: 4 + 4 + 3).
 */
const LUT_SLICE_BITS = 3;
const lutSliceBits = (width: number) =>
  Math.min(Math.ceil(width / 2), Math.max(LUT_SLICE_BITS, Math.ceil(width / 3)));

/**
 * Exact floating-point multiplier: the product of two floats is formed exactly, then rounded once
 * into the output format (a wide enough output, e.g. e4m3fn×e4m3fn→fp32, is exact).
 */
export const fpMul: Generator<typeof fpMulParams> = {
  name: 'fp_mul',
  family: 'mul',
  summary:
    'floating-point multiplier for any two float formats into any float format, one rounding, latency 0..7',
  params: fpMulParams,
  build(p) {
    const [fa, fb, fo] = [floatFormat(p.aFormat), floatFormat(p.bFormat), floatFormat(p.outFormat)];
    const policy = resolvedOutputPolicy(p);
    const name =
      `fp_mul_${p.aFormat}_${p.bFormat}_${p.outFormat}` +
      policyTag(p) +
      (p.inputSubnormals === 'flush' ? '_daz' : '') +
      (p.flags ? '_flags' : '') +
      `_${timingTag(p.latency, p.ready)}`;
    const m = new ModuleBuilder(name, { generator: 'fp_mul', params: p }, { ready: p.ready });
    const cut = pipelineCuts(m, p.latency, [
      'unpack',
      'product',
      'increment',
      'partial',
      'exponent',
      'normalize',
      'output',
    ] as const);
    const flush = p.inputSubnormals === 'flush';

    // Subnormal operands are normalized first: the significands' hidden bits become constant ones,
    // and their product has at most one leading zero.
    const operand = (code: Signal, format: FloatFormat, prefix: string) => {
      const x = normalizeOperand(unpackFloat(code, format, prefix, flush), format, prefix, flush);
      x.isSignalingNaN.named(`${prefix}_is_snan`);
      return x;
    };
    const a = operand(
      m.input('a', UInt(fa.expBits + fa.mantBits + (fa.signed ? 1 : 0)), `${p.aFormat} code`),
      fa,
      'a',
    );
    const b = operand(
      m.input('b', UInt(fb.expBits + fb.mantBits + (fb.signed ? 1 : 0)), `${p.bFormat} code`),
      fb,
      'b',
    );
    cut.at('unpack');

    const inLuts = Math.min(a.sig.width, b.sig.width) <= LUT_PRODUCT_BITS;
    let lutProducts = 0;
    const lutProduct = (x: Signal, y: Signal) => {
      const prefix = `product_lut${lutProducts++}`;
      return x.width >= y.width ? shiftAddProduct(x, y, prefix) : shiftAddProduct(y, x, prefix);
    };
    // Split around the 'partial' cut: b in slices (of 6 bits for multiplier
    // blocks: under 10 ns on iCE40, whose multipliers are LUTs).
    const multiply = cut.has('partial')
      ? (x: Signal, y: Signal) =>
          splitProduct(
            x,
            y,
            Math.ceil(y.width / (inLuts ? lutSliceBits(y.width) : PARTIAL_PRODUCT_BITS)),
            () => cut.at('partial'),
            'product',
            inLuts ? lutProduct : undefined,
          )
      : inLuts
        ? lutProduct
        : undefined;
    // Special operands decide the result outright: NaN in, or Inf × 0, gives NaN (the latter is invalid).
    const product = {
      ...exactProduct(a, b, 'product', { keepBiases: true, multiply }),
      maxLeadingZeros: 1,
    };
    cut.at('exponent');

    // The one-bit normalization and (output subnormals kept) the shift to the subnormal quantum in
    // one step, its amount known from the exponents alone (decided before the 'product' cut, beside
    // the multiplier); the exponent becomes the output's field.
    // With the exponent sum registered ('exponent' cut), its comparisons with emin in LUTs are faster
    // than through carry chains (ECP5); beside the sum, the chains are as fast (FP8 at latency 3).
    // (The same for the bits the subnormal shift drops: from a mask decoded from its amount.)
    const normalized = alignToFormat(product, fo, policy.subnormals, 'norm', () => cut.at('product'), {
      comparesInLuts: cut.has('exponent'),
      lostFromMask: cut.has('exponent'),
    });
    cut.at('normalize');

    const result = roundPack(
      normalized,
      fo,
      policy,
      'out',
      cut.has('increment') ? (point) => cut.at(point) : undefined,
    );
    cut.at('output');
    m.output('p', result.code, `${p.outFormat} code of a×b`);
    if (p.flags) {
      const zero = m.constant(0, UInt(1));
      m.output(
        'flags',
        cat(result.invalid, zero, result.overflow, result.underflow, result.inexact),
        'IEEE flags {invalid, 0, overflow, underflow, inexact}',
      );
    }
    return m.build();
  },
};
