import { z } from 'zod';
import { alignDecisions, alignSignificand } from '../arith/align.ts';
import type { RawFloat } from '../arith/raw-float.ts';
import { roundPack } from '../arith/round.ts';
import { shiftAddProduct } from '../arith/shift-add-product.ts';
import { normalizeOperand, unpackFloat } from '../arith/unpack.ts';
import { floatLayout, resolvePolicy, ROUNDING_MODES, type Policy } from '../formats/index.ts';
import { floatFormat, ROUNDED_FORMAT_NAMES } from '../float-params.ts';
import { defineGenerator, type GeneratorParams } from '../define.ts';
import { choiceParam } from '../generator.ts';
import { cat, select, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';

export type MultiFpMulParams = GeneratorParams<typeof multiFpMul>;

/** Significands of at most this many bits (FP8's) are multiplied in LUTs rather than a DSP block. */
const LUT_PRODUCT_BITS = 4;

/**
 * A multiplier that serves several float formats through one datapath, chosen per operation by the
 * `fmt` input: each format is unpacked into a common exponent and a left-aligned, normalized
 * significand, one significand multiplier serves all, and the product is aligned to and rounded into
 * every format, the selected one kept.
 * Narrower formats use the low bits of the code ports.
 */
export const multiFpMul = defineGenerator({
  name: 'multi_fp_mul',
  family: 'mul',
  summary: 'one multiplier datapath for several float formats (e.g. e4m3fn and e5m2), selected per operation',
  params: {
    formats: z
      .array(choiceParam(ROUNDED_FORMAT_NAMES))
      .min(2, { error: 'needs at least 2 formats' })
      .max(4, { error: 'takes at most 4 formats' })
      .default(['e4m3fn', 'e5m2'])
      .describe('Formats served, in `fmt` input order; both operands and the result use the selected one.'),
    rounding: choiceParam(ROUNDING_MODES)
      .default('rne')
      .describe('rounding mode of every format (rne, rna, rnz, rnd, rtz, rup, rdown)'),
    overflow: choiceParam(['saturate', 'nan', 'inf', 'ieee'])
      .default('saturate')
      .describe(
        'Overflow of every format: saturate (default for 8-bit formats) or, where all formats have it, nan / inf.',
      ),
  },
  latency: {
    max: 4,
    default: 0,
    description:
      'Stage cuts, in order of use: after the significand product, after the alignment to each format, after unpacking, at the output.',
  },
  check(p, ctx) {
    if (new Set(p.formats).size !== p.formats.length)
      ctx.addIssue({ code: 'custom', path: ['formats'], message: 'lists a format twice' });
    for (const name of p.formats) {
      try {
        resolvePolicy(floatFormat(name), { rounding: p.rounding, overflow: p.overflow } as Policy);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          path: ['overflow'],
          message: (error as Error).message.replace(/^policy\.\w+ = '[^']*' is /, 'is '),
        });
      }
    }
  },
  build(p, top) {
    const formats = p.formats.map(floatFormat);
    const bits = Math.max(...formats.map((f) => floatLayout(f).bits));
    const mantMax = Math.max(...formats.map((f) => f.mantBits));
    const stem = `multi_fp_mul_${p.formats.join('_')}${p.rounding !== 'rne' ? `_${p.rounding}` : ''}${p.overflow !== 'saturate' ? `_ovf${p.overflow}` : ''}`;
    const m = top.module(stem);
    const cut = pipelineCuts(m, p.latency, ['multiply', 'align', 'unpack', 'output'] as const);
    const a = m.input('a', UInt(bits), `code of the selected format (low bits for narrower formats)`);
    const b = m.input('b', UInt(bits), `code of the selected format`);
    const fmtBits = Math.max(1, Math.ceil(Math.log2(formats.length)));
    const fmt = m.input(
      'fmt',
      UInt(fmtBits),
      `format: ${p.formats.map((f, i) => `${i}=${f}`).join(', ')}; higher values act as ${formats.length - 1}`,
    );

    // Unpack in every format, then keep the selected one: exponent, left-aligned significand, classes.
    // Subnormal operands are normalized first (as in fp_mul): the hidden bits are constant ones and
    // the product has at most one leading zero, so no leading-zero count follows the multiplier.
    const common = (code: Signal, prefix: string) => {
      const views = formats.map((f) => {
        const name = `${prefix}_${f.name}`;
        const u = normalizeOperand(unpackFloat(code.slice(floatLayout(f).bits - 1, 0), f, name), f, name);
        const sig = f.mantBits < mantMax ? cat(u.sig, m.constant(0, UInt(mantMax - f.mantBits))) : u.sig;
        return { ...u, sig };
      });
      const expWidth = Math.max(...views.map((v) => v.exp.width));
      const pick = (field: (v: (typeof views)[number]) => Signal, name: string) =>
        select(fmt, views.map(field)).named(`${prefix}_${name}`);
      return {
        sign: pick((v) => v.sign, 'sign'),
        exp: pick((v) => v.exp.resize(expWidth), 'exp'),
        sig: pick((v) => v.sig, 'sig'),
        isZero: pick((v) => v.isZero, 'is_zero'),
        isInf: pick((v) => v.isInf, 'is_inf'),
        isNaN: pick((v) => v.isNaN, 'is_nan'),
        isSignalingNaN: pick((v) => v.isSignalingNaN, 'is_snan'),
        expRange: {
          min: Math.min(...views.map((v) => v.expRange.min)),
          max: Math.max(...views.map((v) => v.expRange.max)),
        },
      };
    };
    const x = common(a, 'a');
    const y = common(b, 'b');
    cut.at('unpack');

    const infTimesZero = x.isInf.and(y.isZero).or(x.isZero.and(y.isInf));
    const isNaN = x.isNaN.or(y.isNaN).or(infTimesZero).named('product_is_nan');
    const product: RawFloat = {
      sign: x.sign.xor(y.sign).named('product_sign'),
      exp: x.exp.add(y.exp).add(1).named('product_exp'),
      // Significands of a few bits (FP8's) multiply in LUTs, by shifted copies added; wider ones in a multiplier.
      sig: (x.sig.width <= LUT_PRODUCT_BITS
        ? shiftAddProduct(x.sig, y.sig, 'product_lut')
        : x.sig.mul(y.sig)
      ).named('product_sig'),
      isZero: x.isZero.or(y.isZero).and(isNaN.not()).named('product_is_zero'),
      isInf: x.isInf.or(y.isInf).and(isNaN.not()).named('product_is_inf'),
      isNaN,
      invalid: x.isSignalingNaN.or(y.isSignalingNaN).or(infTimesZero).named('product_invalid'),
      expRange: { min: x.expRange.min + y.expRange.min + 1, max: x.expRange.max + y.expRange.max + 1 },
      maxLeadingZeros: 1,
    };
    // Each format normalizes and denormalizes in one step, its shift decided from the exponent alone:
    // the decisions beside the multiplier, before the 'multiply' cut, the shifts after it.
    const policies = formats.map((f) =>
      resolvePolicy(f, { rounding: p.rounding, overflow: p.overflow } as Policy),
    );
    const decided = formats.map((f, i) =>
      alignDecisions(product, f, policies[i]!.subnormals, `norm_${f.name}`, { comparesInLuts: true }),
    );
    cut.at('multiply');
    const aligned = decided.map(alignSignificand);
    cut.at('align');
    const codes = formats.map((f, i) =>
      // With a cut callback (placing none) roundPack decides overflow beside the rounding addition.
      roundPack(aligned[i]!, f, policies[i]!, `out_${f.name}`, () => {}).code.resize(bits),
    );
    const result = select(fmt, codes).named('result');
    cut.at('output');
    m.output('p', result, 'code of a×b in the selected format');
    return m.build();
  },
});
