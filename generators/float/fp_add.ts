import type { SignificandForms } from '../arith/add.ts';
import type { RawFloat } from '../arith/raw-float.ts';
import { LEADING_ADD_CUTS } from '../arith/add-round.ts';
import { asSigned, unpackFloat } from '../arith/unpack.ts';
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
import { defineGenerator, type GeneratorParams } from '../define.ts';
import { boolParam, choiceParam } from '../generator.ts';
import { cat, mux, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';
import { fpAddRound, type AddPathCut } from './add-path.ts';
import { nearFarAddRound, type NearFarCut } from './near-far-path.ts';

/**
 * The adder's cut points, by priority (the first `latency` are cut, docs/fp_add.md#pipeline): after
 * the smaller operand's alignment shift ('aligned'), after the wide addition ('summed'), after the
 * alignment to the output format ('align'), after the exponent comparison and shift amount
 * ('exponents'), after the normalizing shift ('normalize'), after the leading-zero count
 * ('counted'), after the absolute value ('complemented'), after the exponents' difference
 * ('difference'), before the subnormal shift ('denorm'), before the rounding addition
 * ('increment'), inside the leading-zero count ('count'), inside the alignment shift ('shift'),
 * halfway up the wide addition's and the negation's carry chains ('carry', 'negate'), after
 * unpacking, and at the output.
 */
export const ADD_CUTS = [
  ...LEADING_ADD_CUTS,
  'complemented',
  'difference',
  'denorm',
  'increment',
  'count',
  'shift',
  'carry',
  'negate',
  'unpack',
  'output',
] as const satisfies readonly (AddPathCut | 'unpack' | 'output')[];

/**
 * The cut points of operands ordered by magnitude: ADD_CUTS without the negation's two, the subnormal
 * shift's amount cut from 7 stages on and the wide addition's carry chain from 8 (docs/fp_add.md).
 */
export const MAGNITUDE_ORDER_CUTS = [
  ...LEADING_ADD_CUTS,
  'denorm',
  'carry',
  'difference',
  'increment',
  'count',
  'shift',
  'unpack',
  'output',
] as const satisfies readonly (typeof ADD_CUTS)[number][];

/**
 * The cut points of the near/far-path adder, by priority (docs/fp_add.md#near-far-path): after the
 * far alignment shift and the near difference ('aligned'), after the far addition and the near
 * leading-zero count ('summed'), after the alignment to the output format ('align'), after the
 * exponent comparison ('exponents'), after the near normalizing shift and the choice of path
 * ('normalize'), before the subnormal shift ('denorm'), after the exponents' differences and the
 * operands' placements, before their picks ('difference'), halfway up the far addition's carry chain
 * ('carry'), before the rounding addition ('increment'), inside the near leading-zero count
 * ('count'), inside the far alignment shift ('shift'), after unpacking, and at the output.
 */
export const NEAR_FAR_CUTS = [
  'aligned',
  'summed',
  'align',
  'exponents',
  'normalize',
  'denorm',
  'difference',
  'carry',
  'increment',
  'count',
  'shift',
  'unpack',
  'output',
] as const satisfies readonly (NearFarCut | 'unpack' | 'output')[];

export type FpAddParams = GeneratorParams<typeof fpAdd>;

/**
 * Zero bits appended below the narrower significand so that addRaw's window keeps every bit the
 * rounding into `out` looks at (docs/fp_add.md#window). The window holds both significands and 3 bits; what is
 * shifted out of it becomes a sticky bit in its last place. That bit must lie below the output's guard
 * bit and the bit under it, counted from the larger operand's leading one: Mout + 7 bits plus that
 * operand's leading zeros. Of two operands of one format the larger one has none unless both sit at
 * emin (then nothing is shifted); of two formats the larger may be a subnormal of the other's range.
 */
export function windowPadding(fa: FloatFormat, fb: FloatFormat, out: FloatFormat): number {
  const leadingZeros = fa.name === fb.name ? 0 : Math.max(fa.mantBits, fb.mantBits);
  const window = fa.mantBits + 1 + fb.mantBits + 1 + 3;
  return Math.max(0, out.mantBits + 7 + leadingZeros - window);
}

/**
 * Floating-point adder: a ± b formed exactly in one window (addRaw), normalized, aligned to the output
 * format and rounded once (docs/fp_add.md). Any two float formats in, any rounded float format out.
 */
export const fpAdd = defineGenerator({
  name: 'fp_add',
  family: 'float',
  summary: `floating-point adder/subtractor for any two float formats into any float format, one rounding, latency 0..${ADD_CUTS.length}`,
  params: {
    aFormat: floatFormatParam().default('fp32').describe('format of operand a'),
    bFormat: floatFormatParam().default('fp32').describe('format of operand b'),
    outFormat: floatFormatParam(ROUNDED_FORMAT_NAMES)
      .default('fp32')
      .describe('format of the sum, rounded once with the rounding policy'),
    operation: choiceParam(['add', 'subtract', 'input'])
      .default('add')
      .describe('add: a + b; subtract: a − b; input: a 1-bit `sub` input chooses per vector (1: a − b).'),
    ...roundingParams,
    inputSubnormals: choiceParam(['keep', 'flush'])
      .default('keep')
      .describe(
        'keep: subnormal operands count; flush: they read as zero of their sign (denormals-are-zero).',
      ),
    flags: boolParam()
      .default(false)
      .describe("Add a 5-bit `flags` output: {invalid, 0, overflow, underflow, inexact}, TestFloat's order."),
    operandOrder: choiceParam(['exponent', 'magnitude'])
      .optional()
      .describe(
        'exponent (default): the operand of larger exponent leads and a negative difference is negated; magnitude (operands of one format): the larger code leads, so the difference is never negative (no negation: one carry chain fewer, at most 14 stages).',
      ),
    path: choiceParam(['single', 'near-far'])
      .optional()
      .describe(
        'single (default): one path, a window-wide alignment, addition and leading-zero count; near-far (operands of one format, an output whose normal range does not reach below theirs): a near path for subtractions of exponents at most one apart (no alignment shifter, a narrow difference and leading-zero count) beside a far path for the rest (no leading-zero count), one chosen by the exponents and signs and rounded once; the leading operand as operandOrder says (magnitude measured smaller and faster); at most 13 stages (docs/fp_add.md#near-far-path).',
      ),
  },
  latency: {
    max: ADD_CUTS.length,
    default: 0,
    description: 'Pipeline stages, cut where ADD_CUTS says (docs/fp_add.md#pipeline).',
  },
  check(p, ctx) {
    checkOutputPolicy(p, ctx);
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (p.path === 'near-far') {
      const [fa, fo] = [floatFormat(p.aFormat), floatFormat(p.outFormat)];
      if (p.aFormat !== p.bFormat)
        issue('path', `near-far needs operands of one format (aFormat ${p.aFormat}, bFormat ${p.bFormat})`);
      else if (!fa.subnormals || fa.mantBits < 1)
        issue('path', `near-far needs operands with mantissa bits and subnormals (${p.aFormat})`);
      else if (floatLayout(fo).emin < floatLayout(fa).emin)
        issue(
          'path',
          `near-far needs an output whose normal range does not reach below the operands' (${p.outFormat} below ${p.aFormat})`,
        );
      if (p.latency > NEAR_FAR_CUTS.length)
        issue('latency', `must be at most ${NEAR_FAR_CUTS.length} with path near-far`);
    }
    if (p.operandOrder === 'magnitude') {
      if (p.aFormat !== p.bFormat)
        issue(
          'operandOrder',
          `magnitude needs operands of one format (aFormat ${p.aFormat}, bFormat ${p.bFormat})`,
        );
      if (p.latency > MAGNITUDE_ORDER_CUTS.length)
        issue(
          'latency',
          `must be at most ${MAGNITUDE_ORDER_CUTS.length} with operandOrder magnitude (no negation to cut)`,
        );
    }
  },
  build(p, top) {
    const [fa, fb, fo] = [floatFormat(p.aFormat), floatFormat(p.bFormat), floatFormat(p.outFormat)];
    const policy = resolvedOutputPolicy(p);
    const stem =
      `fp_add_${p.aFormat}_${p.bFormat}_${p.outFormat}` +
      (p.operation === 'subtract' ? '_sub' : p.operation === 'input' ? '_addsub' : '') +
      policyTag(p) +
      (p.inputSubnormals === 'flush' ? '_daz' : '') +
      (p.flags ? '_flags' : '') +
      (p.operandOrder === 'magnitude' ? '_mag' : '') +
      (p.path === 'near-far' ? '_nearfar' : '');
    const m = top.module(stem);
    const nearFar = p.path === 'near-far';
    const byMagnitude = p.operandOrder === 'magnitude';
    const cut = pipelineCuts<string>(
      m,
      p.latency,
      nearFar ? NEAR_FAR_CUTS : byMagnitude ? MAGNITUDE_ORDER_CUTS : ADD_CUTS,
    );
    const flush = p.inputSubnormals === 'flush';
    const bits = (f: FloatFormat) => f.expBits + f.mantBits + (f.signed ? 1 : 0);
    const aCode = m.input('a', UInt(bits(fa)), `${p.aFormat} code`);
    const bCode = m.input('b', UInt(bits(fb)), `${p.bFormat} code`);
    const sub =
      p.operation === 'input'
        ? m.input('sub', UInt(1), '1: a − b, 0: a + b')
        : m.constant(p.operation === 'subtract' ? 1 : 0, UInt(1));

    // Each operand as a raw float (a signalling NaN raises invalid; b's sign flips for a
    // subtraction); the narrower significand is padded below so that the window is wide enough.
    // (The near/far paths size their own windows.)
    const pad = nearFar ? 0 : windowPadding(fa, fb, fo);
    const padB = fb.mantBits <= fa.mantBits;
    const sameBias = fa.bias === fb.bias;
    const operand = (
      code: Signal,
      format: FloatFormat,
      prefix: string,
      zeros: number,
      flip?: Signal,
    ): RawFloat => {
      const u = unpackFloat(code, format, prefix, flush);
      // Of one bias, a subnormal keeps exponent field 0 and has its significand moved up one place
      // (the same value: its hidden bit is 0), so that the exponents are the fields themselves, with
      // no exponent correction on their way into the comparison (docs/fp_add.md#algorithm).
      const fieldOnly = sameBias && format.subnormals && format.mantBits > 0;
      const field = code.slice(format.expBits + format.mantBits - 1, format.mantBits);
      const unpackedSig = fieldOnly
        ? mux(field.orR(), u.sig, cat(u.sig.slice(format.mantBits - 1, 0), m.constant(0, UInt(1)))).named(
            `${prefix}_sig_placed`,
          )
        : u.sig;
      const sig =
        zeros === 0
          ? unpackedSig
          : cat(unpackedSig, m.constant(0, UInt(zeros))).named(`${prefix}_sig_window`);
      const sign = flip === undefined ? u.sign : u.sign.xor(flip).named(`${prefix}_sign_effective`);
      return {
        sign,
        // Of one bias, the exponents are compared and subtracted as their fields (no bias taken off).
        exp: fieldOnly ? asSigned(field) : sameBias ? asSigned(u.biasedExp!) : u.exp,
        sig,
        isZero: u.isZero,
        isInf: u.isInf,
        isNaN: u.isNaN,
        invalid: u.isSignalingNaN,
      };
    };
    // Of one format, the codes without their signs are ordered as the magnitudes (zeros, Inf and NaN
    // are taken apart anyway).
    const magnitudeBits = bits(fa) - (fa.signed ? 1 : 0);
    const aNotSmaller = byMagnitude
      ? aCode
          .slice(magnitudeBits - 1, 0)
          .ge(bCode.slice(magnitudeBits - 1, 0))
          .named('a_not_smaller')
      : undefined;
    // Of one bias, a significand is placed as {1, m} or, for exponent field 0, {m, 0}: the trailing
    // zeros of both placements are counted from the mantissa alone, beside the field's test.
    const placements = (code: Signal, format: FloatFormat, zeros: number): SignificandForms | undefined => {
      if (!(sameBias && format.subnormals && format.mantBits > 0)) return undefined;
      const mant = code.slice(format.mantBits - 1, 0);
      const padded = (sig: Signal) => (zeros === 0 ? sig : cat(sig, m.constant(0, UInt(zeros))));
      return {
        select: code.slice(format.expBits + format.mantBits - 1, format.mantBits).orR(),
        ifSet: padded(cat(m.constant(1, UInt(1)), mant)),
        ifClear: padded(cat(mant, m.constant(0, UInt(1)))),
      };
    };
    const sigForms =
      byMagnitude && !nearFar
        ? { x: placements(aCode, fa, padB ? 0 : pad), y: placements(bCode, fb, padB ? pad : 0) }
        : undefined;
    // Zero is field 0 and mantissa 0 of a format with subnormals, unless they are flushed.
    const zeroSignificandOfZero = fa.subnormals && !flush;
    const a = operand(aCode, fa, 'a', padB ? 0 : pad);
    const b = operand(bCode, fb, 'b', padB ? pad : 0, p.operation === 'add' ? undefined : sub);
    cut.at('unpack');

    const result = nearFar
      ? nearFarAddRound(
          a,
          b,
          fo,
          policy,
          fa.bias,
          aNotSmaller,
          { x: placements(aCode, fa, 0)!, y: placements(bCode, fb, 0)! },
          zeroSignificandOfZero,
          (point) => cut.at(point),
          (point) => cut.has(point),
        )
      : fpAddRound(
          a,
          b,
          fo,
          policy,
          (point: AddPathCut) => cut.at(point),
          (point: AddPathCut) => cut.has(point),
          sameBias ? fa.bias : undefined,
          aNotSmaller,
          { sigForms, zeroSignificandOfZero },
        );
    cut.at('output');
    const what = p.operation === 'add' ? 'a+b' : p.operation === 'subtract' ? 'a−b' : 'a±b';
    m.output('y', result.code.named('y'), `${p.outFormat} code of ${what}`);
    if (p.flags) {
      const zero = m.constant(0, UInt(1));
      m.output(
        'flags',
        cat(result.invalid, zero, result.overflow, result.underflow, result.inexact).named('y_flags'),
        'IEEE flags {invalid, 0, overflow, underflow, inexact}',
      );
    }
    return m.build();
  },
});
