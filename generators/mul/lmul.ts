import { normalize } from '../arith/normalize.ts';
import { roundPack } from '../arith/round.ts';
import { unpackFloat } from '../arith/unpack.ts';
import { floatLayout, resolvePolicy, type FloatFormat } from '../formats/index.ts';
import { floatFormat, floatFormatParam, ROUNDED_FORMAT_NAMES } from '../float-params.ts';
import { defineGenerator, type GeneratorParams } from '../define.ts';
import { choiceParam, intParam } from '../generator.ts';
import { cat, mux, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';
import { lmulL, lmulOffset } from './lmul-offset.ts';

export type LmulParams = GeneratorParams<typeof lmul>;

/**
 * L-Mul (Luo & Sun, arXiv 2410.00907; docs/lmul.md): the mantissa product xm·ym is replaced by the constant 2^-l(m). The
 * integer-add variant is one (E+m)-bit addition of the operands' magnitude fields with a constant;
 * it has no multiplier. Zero and subnormal operands give ±0, results below the normal range ±0,
 * results beyond it saturate (docs/lmul.md#policy).
 */
export const lmul = defineGenerator({
  name: 'lmul',
  family: 'mul',
  summary: 'L-Mul approximate multiplier: one integer adder replaces the mantissa product (docs/lmul.md)',
  params: {
    format: floatFormatParam(ROUNDED_FORMAT_NAMES).default('bf16').describe('format of both operands'),
    outFormat: floatFormatParam(ROUNDED_FORMAT_NAMES)
      .optional()
      .describe(
        "Output format: the input's exponent field (same width and bias) with at least m mantissa bits; default the input format.",
      ),
    m: intParam(1, 23)
      .optional()
      .describe(
        "Mantissa bits of the operands (1 .. the format's); operands with more are reduced first. Default: all of them.",
      ),
    variant: choiceParam(['integer-add', 'formula'])
      .default('integer-add')
      .describe(
        'integer-add: one adder, the carry goes into the exponent (docs/lmul.md#one-adder-form); formula: (1+xm+ym+2^-l)·2^(xe+ye), rounded.',
      ),
    operandRounding: choiceParam(['rne', 'truncate'])
      .default('rne')
      .describe('How operands with more than m mantissa bits are reduced.'),
    overflow: choiceParam(['saturate', 'inf', 'nan'])
      .default('saturate')
      .describe(
        'Results beyond the largest finite value: saturate (docs/lmul.md#policy), or Inf / NaN where the format has them.',
      ),
  },
  latency: {
    max: 4,
    default: 0,
    description:
      'Stage cuts, in order of use: after the integer sum (before the offset and the range checks), after the operand reduction, after the range checks (the formula variant: once the rounding increment is decided), at the output.',
  },
  check(p, ctx) {
    const f = floatFormat(p.format);
    const out = floatFormat(p.outFormat ?? p.format);
    const m = p.m ?? f.mantBits;
    if (m > f.mantBits) {
      ctx.addIssue({
        code: 'custom',
        path: ['m'],
        message: `must be at most ${f.mantBits}, the mantissa bits of ${p.format}`,
      });
    }
    if (out.expBits !== f.expBits || out.bias !== f.bias || out.mantBits < m) {
      ctx.addIssue({
        code: 'custom',
        path: ['outFormat'],
        message: `must share ${p.format}'s exponent field (${f.expBits} bits, bias ${f.bias}) and have at least m = ${m} mantissa bits`,
      });
    }
    const layout = floatLayout(out);
    if ((p.overflow === 'inf' && !layout.hasInf) || (p.overflow === 'nan' && !layout.hasNaN)) {
      ctx.addIssue({
        code: 'custom',
        path: ['overflow'],
        message: `${out.name} has no ${p.overflow === 'inf' ? 'Inf' : 'NaN'}; allowed: saturate${layout.hasNaN ? ', nan' : ''}`,
      });
    }
  },
  build(p, top) {
    const f = floatFormat(p.format);
    const out = floatFormat(p.outFormat ?? p.format);
    const m = p.m ?? f.mantBits;
    const E = f.expBits;
    const M = f.mantBits;
    const stem =
      `lmul_${p.format}_m${m}` +
      (out.name !== f.name ? `_${out.name}` : '') +
      (p.variant === 'formula' ? '_formula' : '') +
      (p.operandRounding === 'truncate' && m < M ? '_trunc' : '') +
      (p.overflow !== 'saturate' ? `_ovf${p.overflow}` : '');
    const mod = top.module(stem);
    const cut = pipelineCuts(mod, p.latency, ['sum', 'operands', 'range', 'output'] as const);
    const bits = E + M + 1;
    const a = mod.input('a', UInt(bits), `${p.format} code`);
    const b = mod.input('b', UInt(bits), `${p.format} code`);
    // Zero and subnormal operands read as zero (docs/lmul.md#policy, rule 4).
    const ua = unpackFloat(a, f, 'a', true);
    const ub = unpackFloat(b, f, 'b', true);
    const sign = ua.sign.xor(ub.sign).named('sign');
    const infTimesZero = ua.isInf.and(ub.isZero).or(ua.isZero.and(ub.isInf));
    const isNaN = ua.isNaN.or(ub.isNaN).or(infTimesZero).named('result_is_nan');
    const isInf = ua.isInf.or(ub.isInf).and(isNaN.not()).named('result_is_inf');
    const isZero = ua.isZero.or(ub.isZero).and(isNaN.not()).named('result_is_zero');
    // (Named where they cross the 'operands' cut; a rounded one keeps its own name.)
    const magA = reducedMagnitude(a, f, m, p.operandRounding, 'a').named('a_mag_reduced');
    const magB = reducedMagnitude(b, f, m, p.operandRounding, 'b').named('b_mag_reduced');
    cut.at('operands');

    const specials = { sign, isNaN, isInf, isZero };
    const code =
      p.variant === 'integer-add'
        ? integerAdd(magA, magB, f, out, m, p.overflow, specials, (point) => cut.at(point))
        : formula(magA, magB, f, out, m, p.overflow, specials, (point) => cut.at(point));
    cut.at('output');
    mod.output('p', code, `${out.name} code of L-Mul(a, b)`);
    return mod.build();
  },
});

/** The operand's exponent and mantissa fields reduced to m mantissa bits; a rounding carry enters the exponent. */
export function reducedMagnitude(
  code: Signal,
  f: FloatFormat,
  m: number,
  rounding: 'rne' | 'truncate',
  prefix: string,
): Signal {
  const E = f.expBits;
  const M = f.mantBits;
  const top = code.slice(E + M - 1, M - m).named(`${prefix}_mag`);
  if (m === M || rounding === 'truncate') return top.zext(E + m + 1);
  const guard = code.bit(M - m - 1);
  const sticky = M - m - 1 > 0 ? code.slice(M - m - 2, 0).orR() : code.builder.constant(0, UInt(1));
  const roundUp = guard.and(sticky.or(top.bit(0)));
  return top
    .zext(E + m + 1)
    .add(roundUp.zext(E + m + 1), { width: E + m + 1 })
    .named(`${prefix}_mag_rounded`);
}

export interface Specials {
  sign: Signal;
  isNaN: Signal;
  isInf: Signal;
  isZero: Signal;
}

/**
 * R = |a| + |b| − OFFSET on the (E+m)-bit magnitude fields: the whole L-Mul datapath (docs/lmul.md#one-adder-form).
 * With `cut` (opt-in) the range checks compare |a| + |b| itself (against the limits plus OFFSET),
 * beside the subtraction rather than after it; `cut('sum')` may follow the sum, `cut('range')` the
 * checks, before the choice of the code.
 */
export function integerAdd(
  magA: Signal,
  magB: Signal,
  f: FloatFormat,
  out: FloatFormat,
  m: number,
  overflowMode: string,
  s: Specials,
  cut?: (point: 'sum' | 'range') => void,
): Signal {
  const mod = magA.builder;
  const E = f.expBits;
  const width = E + m + 3;
  const offset = lmulOffset(f.bias, m);
  const sum = magA.zext(width).asSigned().add(magB.zext(width).asSigned(), { width });
  const layout = floatLayout(out);
  // The largest R on the m-bit grid whose value does not exceed the output's largest finite value.
  const maxR = layout.maxCode >> (out.mantBits - m);
  let r: Signal;
  let underflow: Signal;
  let overflow: Signal;
  if (cut === undefined) {
    r = sum.sub(offset, { width }).named('r');
    underflow = r.lt(1 << m).named('underflow');
    overflow = r.gt(maxR).named('overflow');
  } else {
    sum.named('sum');
    cut('sum');
    r = sum.sub(offset, { width }).named('r');
    underflow = sum.lt((1 << m) + offset).named('underflow');
    overflow = sum.gt(maxR + offset).named('overflow');
    cut('range');
  }
  const pad = out.mantBits - m;
  const packed = cat(s.sign, r.slice(E + m - 1, 0), ...(pad > 0 ? [mod.constant(0, UInt(pad))] : []));
  const signedCode = (magnitude: number) => cat(s.sign, mod.constant(magnitude, UInt(E + out.mantBits)));
  const nanCode = layout.hasNaN
    ? mod.constant(layout.canonicalNaNCode!, UInt(layout.bits))
    : signedCode(layout.maxCode);
  const overflowCode =
    overflowMode === 'inf'
      ? signedCode(layout.infCode!)
      : overflowMode === 'nan'
        ? nanCode
        : signedCode(layout.maxCode);
  const zeroCode = layout.hasNegativeZero ? signedCode(0) : mod.constant(0, UInt(layout.bits));
  const infCode = layout.hasInf ? signedCode(layout.infCode!) : overflowCode;
  return mux(
    s.isNaN,
    nanCode,
    mux(s.isInf, infCode, mux(s.isZero.or(underflow), zeroCode, mux(overflow, overflowCode, packed))),
  ).named('result');
}

/**
 * The formula variant: (1 + xm + ym + 2^-l)·2^(xe+ye) formed exactly, then one rounding (RNE, flush,
 * saturate); `cut('sum')` between the exact value and its normalization, `cut('range')` once the
 * rounding increment is decided.
 */
function formula(
  magA: Signal,
  magB: Signal,
  f: FloatFormat,
  out: FloatFormat,
  m: number,
  overflowMode: string,
  s: Specials,
  cut: (point: 'sum' | 'range') => void,
): Signal {
  const E = f.expBits;
  const l = lmulL(m);
  const fracA = magA.slice(m - 1, 0);
  const fracB = magB.slice(m - 1, 0);
  const expA = magA.slice(E + m, m);
  const expB = magB.slice(E + m, m);
  // In units of 2^-(m+l): 1 + xm + ym + 2^-l, at most 3 + 2^-l, so m+l+2 bits.
  const sigWidth = m + l + 2;
  const fracSum = fracA.zext(sigWidth).add(fracB.zext(sigWidth), { width: sigWidth }).shl(l);
  const sig = fracSum.add((1 << (m + l)) + (1 << m), { width: sigWidth }).named('formula_sig');
  // The top bit weighs 2^(xe+ye+1); exponent fields carry the bias twice.
  const expWidth = E + 4;
  const exp = expA
    .zext(expWidth)
    .asSigned()
    .add(expB.zext(expWidth).asSigned(), { width: expWidth })
    .sub(2 * f.bias - 1, { width: expWidth })
    .named('formula_exp');
  const policy = resolvePolicy(out, {
    rounding: 'rne',
    overflow: overflowMode as 'saturate',
    subnormals: 'flush',
    tininess: 'before',
  });
  cut('sum');
  const normalized = normalize({ ...s, exp, sig, maxLeadingZeros: 1 }, 'norm');
  return roundPack(normalized, out, policy, 'out', () => cut('range')).code;
}
