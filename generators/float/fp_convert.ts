import { alignDecisions, alignSignificand, alignToFormat, type AlignOptions } from '../arith/align.ts';
import { leadingZeros } from '../arith/lzc.ts';
import type { NormalizedFloat } from '../arith/raw-float.ts';
import { roundIncrement, roundPack, type RoundedFloat, type RoundPackOptions } from '../arith/round.ts';
import { asSigned, normalizeOperand, unpackFloat } from '../arith/unpack.ts';
import { signedBits, unsignedBits } from '../arith/widths.ts';
import { floatLayout, type FloatFormat, type ResolvedPolicy, type RoundingMode } from '../formats/index.ts';
import {
  checkOutputPolicy,
  FLOAT_FORMAT_NAMES,
  floatFormat,
  policyTag,
  resolvedOutputPolicy,
  roundingParams,
  ROUNDED_FORMAT_NAMES,
} from '../float-params.ts';
import { defineGenerator, type GeneratorParams } from '../define.ts';
import { boolParam, choiceParam, intParam } from '../generator.ts';
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { cat, mux, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';

const INT_KINDS = ['int', 'uint'] as const;

/** Special codes picked before the rounding increment, which is added last (docs/fp_convert.md#float-to-float). */
const ROUND_OPTIONS: RoundPackOptions = { selectBeforeIncrement: true };

/**
 * The converter's cut points, by priority (docs/fp_convert.md#pipeline): after the value is aligned
 * to the output ('align'), after the source is normalized or unpacked ('normalize'), between the
 * alignment's exponent decisions and its significand shift ('denorm'), between the rounding
 * increment and its addition ('increment'), at the output.
 */
export const CONVERT_CUTS = ['align', 'normalize', 'denorm', 'increment', 'output'] as const;

/**
 * An integer source's cut points, by priority (docs/fp_convert.md#pipeline): after its magnitude's
 * leading-zero count ('counted'), after the alignment ('align'), after the normalizing shift
 * ('normalize'), after the magnitude ('magnitude', the negation of a negative code), then as
 * CONVERT_CUTS.
 */
export const INT_SOURCE_CUTS = [
  'counted',
  'align',
  'normalize',
  'magnitude',
  'denorm',
  'increment',
  'output',
] as const;

type ConvertCut = (typeof INT_SOURCE_CUTS)[number];

/** With the 'denorm' cut: the alignment's comparisons in LUTs and its lost bits from a mask. */
const SPLIT_ALIGN_OPTIONS: AlignOptions = {
  comparesInLuts: true,
  lostFromMask: true,
  topSet: true,
  clampAbove: true,
};
/**
 * Without it: the normalized source's top bit is always set (its field needs no correction), and a
 * field beyond the result's is clamped (docs/fp_convert.md#float-to-float).
 */
const ALIGN_OPTIONS: AlignOptions = { topSet: true, comparesInLuts: true, clampAbove: true };

export type FpConvertParams = GeneratorParams<typeof fpConvert>;

export function isInt(format: string): boolean {
  return (INT_KINDS as readonly string[]).includes(format);
}

/** Bits of one lane's source and result code. */
export function codeBits(format: string, width: number | undefined): number {
  return isInt(format) ? (width ?? 8) : floatLayout(floatFormat(format)).bits;
}

/** Module-name tag of a format: 'fp16', 's8', 'u32'. */
function formatTag(format: string, width: number | undefined): string {
  return isInt(format) ? `${format === 'int' ? 's' : 'u'}${width ?? 8}` : format;
}

/**
 * Format conversion, lane-parallel at II = 1 (docs/fp_convert.md): float → float (exact when widening,
 * otherwise rounded once under the policy, saturate-to-finite included), integer → float (rounded
 * once), float → integer (rounded by the rounding mode, saturated, NaN to 0 or the minimum). A float
 * result may be rounded stochastically instead, from random bits on an input (`stochasticBits`).
 */
export const fpConvert = defineGenerator({
  name: 'fp_convert',
  family: 'float',
  summary:
    'format converter: float → float, int → float and float → int (1..64 bits), every rounding policy, 1..64 lanes, II = 1',
  params: {
    inFormat: choiceParam([...FLOAT_FORMAT_NAMES, ...INT_KINDS] as [string, ...string[]])
      .default('fp32')
      .describe(
        "Source: a float format, or a two's complement ('int') or unsigned ('uint') integer of inWidth bits.",
      ),
    inWidth: intParam(1, 64).optional().describe('bits of an integer source (int or uint inFormat only)'),
    outFormat: choiceParam([...ROUNDED_FORMAT_NAMES, ...INT_KINDS] as [string, ...string[]])
      .default('fp16')
      .describe(
        'Result: a rounded float format, or an integer of outWidth bits (rounded by `rounding`, saturated).',
      ),
    outWidth: intParam(1, 64).optional().describe('bits of an integer result (int or uint outFormat only)'),
    ...roundingParams,
    inputSubnormals: choiceParam(['keep', 'flush'])
      .default('keep')
      .describe(
        'keep: subnormal sources count; flush: they read as zero of their sign (denormals-are-zero).',
      ),
    nanToInt: choiceParam(['zero', 'min'])
      .default('zero')
      .describe('Float → integer: what a NaN becomes, 0 or the most negative integer (0 for uint).'),
    lanes: intParam(1, 64)
      .default(1)
      .describe(
        'Independent conversions side by side, one code per lane in a packed word (lane 0 in the low bits).',
      ),
    flags: boolParam()
      .default(false)
      .describe('Add a `flags` output, 5 bits per lane: {invalid, 0, overflow, underflow, inexact}.'),
    stochasticBits: intParam(1, 32)
      .optional()
      .describe(
        'Stochastic rounding with R random bits per lane from a `rand_bits` input (float results; docs/fp_convert.md#stochastic-rounding); absent: `rounding` applies.',
      ),
  },
  latency: {
    max: INT_SOURCE_CUTS.length,
    default: 0,
    description:
      'pipeline stages (0 combinational; at most 5 from a float source, 7 from an integer), cut where CONVERT_CUTS or INT_SOURCE_CUTS says (docs/fp_convert.md#pipeline)',
  },
  check(p, ctx) {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const intIn = isInt(p.inFormat);
    const intOut = isInt(p.outFormat);
    if (intIn && intOut) issue('outFormat', `must be a float format when inFormat is ${p.inFormat}`);
    if (p.inWidth !== undefined && !intIn) issue('inWidth', 'applies to int and uint sources only');
    if (p.outWidth !== undefined && !intOut) issue('outWidth', 'applies to int and uint results only');
    if (intOut) {
      if (p.overflow !== undefined && p.overflow !== 'saturate')
        issue('overflow', 'must be saturate for an integer result (it saturates to its range)');
      if (p.nan !== undefined) issue('nan', 'applies to float results; use nanToInt for an integer result');
      if (p.outputSubnormals !== 'keep' || p.tininess !== 'after')
        issue(
          p.outputSubnormals !== 'keep' ? 'outputSubnormals' : 'tininess',
          'applies to float results only',
        );
    } else {
      checkOutputPolicy(p, ctx);
      if (p.nanToInt !== 'zero') issue('nanToInt', 'applies to integer results only');
    }
    if (p.stochasticBits !== undefined) {
      if (intOut)
        issue('stochasticBits', 'applies to float results only (an integer result takes `rounding`)');
      else if (p.rounding !== 'rne')
        issue(
          'rounding',
          'must be left at its default when stochasticBits is set (stochastic rounding replaces it)',
        );
      else if (p.outputSubnormals !== 'keep')
        issue(
          'outputSubnormals',
          'must be keep when stochasticBits is set (subnormal results are rounded stochastically)',
        );
    }
    if (intIn && p.inputSubnormals !== 'keep') issue('inputSubnormals', 'applies to float sources only');
    if (!intIn && p.latency > CONVERT_CUTS.length)
      issue('latency', `must be at most ${CONVERT_CUTS.length} for a float source (${p.inFormat})`);
  },
  build(p, top) {
    const inBits = codeBits(p.inFormat, p.inWidth);
    const intOut = isInt(p.outFormat);
    const policyName = intOut
      ? (p.rounding === 'rne' ? '' : `_${p.rounding}`) + (p.nanToInt === 'min' ? '_nanmin' : '')
      : policyTag(p);
    const stem =
      `fp_convert_${formatTag(p.inFormat, p.inWidth)}_${formatTag(p.outFormat, p.outWidth)}` +
      policyName +
      (p.stochasticBits === undefined ? '' : `_sr${p.stochasticBits}`) +
      (p.inputSubnormals === 'flush' ? '_daz' : '') +
      (p.flags ? '_flags' : '') +
      `_x${p.lanes}`;
    const name = top.name(stem);
    const m = top.module(stem);
    const cut = pipelineCuts<ConvertCut>(m, p.latency, isInt(p.inFormat) ? INT_SOURCE_CUTS : CONVERT_CUTS);
    const a = m.input(
      'a',
      UInt(inBits * p.lanes),
      `${p.lanes} ${formatTag(p.inFormat, p.inWidth)} codes, lane 0 lowest`,
    );
    const R = p.stochasticBits;
    const rand =
      R === undefined
        ? undefined
        : m.input(
            'rand_bits',
            UInt(R * p.lanes),
            `${p.lanes} × ${R} random bits for stochastic rounding, lane 0 lowest`,
          );
    const lanes = Array.from({ length: p.lanes }, (_, j) => ({
      code: a.slice(inBits * (j + 1) - 1, inBits * j).named(`a${j}`),
      random: rand?.slice(R! * (j + 1) - 1, R! * j).named(`r${j}`),
      prefix: `l${j}`,
    }));

    let results: RoundedFloat[];
    if (intOut) {
      const fi = floatFormat(p.inFormat);
      const unpacked = lanes.map((l) =>
        unpackFloat(l.code, fi, `${l.prefix}_a`, p.inputSubnormals === 'flush'),
      );
      cut.at('normalize');
      const fixed = unpacked.map((u, j) => toFixed(u, fi, p.outWidth ?? 8, lanes[j]!.prefix));
      cut.at('align');
      results = fixed.map((f, j) => roundToInt(f, p, lanes[j]!.prefix));
      // (No alignment to a float format and no rounding increment of its own: registers before the output.)
      cut.at('denorm');
      cut.at('increment');
    } else {
      const fo = floatFormat(p.outFormat);
      const policy = resolvedOutputPolicy(p) as ResolvedPolicy;
      // Stochastic rounding reads R exact bits below the last kept one.
      const alignOptions: AlignOptions = R === undefined ? {} : { roundingBits: R };
      const raws = isInt(p.inFormat)
        ? intSources(
            lanes.map((l) => l.code),
            p.inFormat === 'int',
            lanes.map((l) => l.prefix),
            (point) => cut.at(point),
          )
        : lanes.map((l) => floatSource(l.code, p, l.prefix));
      cut.at('normalize');
      let aligned: NormalizedFloat[];
      if (cut.has('denorm')) {
        // Every lane's exponent decisions, the cut, then every lane's significand shift.
        const decided = raws.map((r, j) =>
          alignDecisions({ ...r, maxLeadingZeros: 0 }, fo, policy.subnormals, `${lanes[j]!.prefix}_align`, {
            ...SPLIT_ALIGN_OPTIONS,
            ...alignOptions,
          }),
        );
        cut.at('denorm');
        aligned = decided.map((d) => alignSignificand(d));
      } else {
        aligned = raws.map((r, j) =>
          alignToFormat(
            { ...r, maxLeadingZeros: 0 },
            fo,
            policy.subnormals,
            `${lanes[j]!.prefix}_align`,
            undefined,
            { ...ALIGN_OPTIONS, ...alignOptions },
          ),
        );
      }
      cut.at('align');
      if (cut.has('increment')) {
        // A rounding module per lane, pipelined between the increment and the addition that applies it.
        const rounder = roundingModule(
          `${name}_round`,
          aligned[0]!,
          fo,
          policy,
          p.flags,
          p.ready !== false,
          lanes[0]!.random,
        );
        results = aligned.map((v, j) => roundInstance(m, rounder, v, lanes[j]!.prefix, lanes[j]!.random));
        cut.at('increment');
      } else {
        results = aligned.map((v, j) =>
          roundPack(v, fo, policy, `${lanes[j]!.prefix}_out`, undefined, {
            ...ROUND_OPTIONS,
            ...(lanes[j]!.random === undefined ? {} : { random: lanes[j]!.random }),
          }),
        );
      }
    }
    cut.at('output');
    const outTag = formatTag(p.outFormat, p.outWidth);
    m.output(
      'y',
      cat(...results.map((r) => r.code).reverse()).named('y'),
      `${p.lanes} ${outTag} codes, lane 0 lowest`,
    );
    if (p.flags) {
      const zero = m.constant(0, UInt(1));
      const flags = results.map((r) => cat(r.invalid, zero, r.overflow, r.underflow, r.inexact));
      m.output(
        'flags',
        cat(...flags.reverse()).named('y_flags'),
        'per lane (lane 0 lowest) IEEE flags {invalid, 0, overflow, underflow, inexact}',
      );
    }
    return m.build();
  },
});

/** A float source as a normalized raw float (top bit of sig set when finite and nonzero). */
function floatSource(code: Signal, p: FpConvertParams, prefix: string): NormalizedFloat {
  const fi = floatFormat(p.inFormat);
  const flush = p.inputSubnormals === 'flush';
  // A source subnormal that lies far below the result's smallest subnormal (fp32 → e4m3fn, bf16 →
  // fp16) rounds as any value that far below does: its significand needs no normalization, the
  // hidden bit may read as one (docs/fp_convert.md#float-to-float).
  const farBelow = fi.subnormals && farBelowResult(fi, floatFormat(p.outFormat), p.stochasticBits);
  const x = normalizeOperand(
    unpackFloat(code, fi, `${prefix}_a`, flush),
    fi,
    `${prefix}_a`,
    flush || farBelow,
  );
  // The exponent stays biased (the source's field, less a subnormal's shift): the alignment then
  // moves it to the result's field with one constant, instead of taking one bias off and putting
  // another on. A NaN keeps its sign where the policy passes it ('signed'); a signalling one raises
  // invalid.
  return {
    sign: x.sign,
    exp: asSigned(x.biasedExp!),
    expBias: x.bias!,
    sig: x.sig,
    isZero: x.isZero,
    isInf: x.isInf,
    isNaN: x.isNaN,
    nanSign: x.sign,
    invalid: x.isSignalingNaN,
    expRange: { min: x.expRange.min + x.bias!, max: x.expRange.max + x.bias! },
  };
}

/**
 * Every lane's integer source as a normalized raw float: its magnitude with the top bit's weight
 * 2^(w−1), shifted left by its leading-zero count. The lanes go through each step together, so that
 * a cut (`cut('magnitude')` after the negation, `cut('counted')` after the count) falls across all.
 */
function intSources(
  codes: Signal[],
  signed: boolean,
  prefixes: string[],
  cut: (point: 'magnitude' | 'counted') => void,
): NormalizedFloat[] {
  const m = codes[0]!.builder;
  const w = codes[0]!.width;
  const zero = m.constant(0, UInt(1));
  const magnitudes = codes.map((code, j) => {
    const sign = signed ? code.msb().named(`${prefixes[j]}_sign`) : zero;
    const magnitude = signed
      ? mux(sign, m.constant(0, UInt(w)).sub(code, { width: w }), code).named(`${prefixes[j]}_magnitude`)
      : code;
    return { sign, magnitude };
  });
  cut('magnitude');
  const counts = magnitudes.map(({ magnitude }, j) =>
    w === 1 ? undefined : leadingZeros(magnitude).named(`${prefixes[j]}_norm_lz`),
  );
  cut('counted');
  // The exponent of the top bit is w − 1, lowered by the count: one sign bit over [−1, w − 1].
  const expType = SInt(signedBits(-1, w - 1));
  return magnitudes.map(({ sign, magnitude }, j) => {
    const lz = counts[j];
    const isZero = magnitude.orR().not().named(`${prefixes[j]}_is_zero`);
    const sig = lz === undefined ? magnitude : magnitude.shl(lz).named(`${prefixes[j]}_norm_sig`);
    const exp =
      lz === undefined
        ? m.constant(0, expType)
        : m
            .constant(w - 1, expType)
            .sub(
              lz
                .zext(lz.width + 1)
                .asSigned()
                .resize(expType.width),
              { width: expType.width },
            )
            .named(`${prefixes[j]}_norm_exp`);
    return {
      sign,
      exp,
      sig,
      isZero,
      isInf: zero,
      isNaN: zero,
      expRange: { min: -1, max: w - 1 },
    };
  });
}

/**
 * Whether every subnormal of `source` (and twice its largest) lies below half the smallest subnormal
 * of `result` (below 2^−R of it under stochastic rounding with R bits: its top R dropped bits are
 * zero), so that each rounds, flushes and raises flags as any other value that far below.
 */
export function farBelowResult(source: FloatFormat, result: FloatFormat, stochasticBits = 1): boolean {
  return floatLayout(source).emin + 1 < floatLayout(result).emin - result.mantBits - stochasticBits;
}

/** A float's magnitude as a fixed-point number: integer bits (weights n..0), guard bit and sticky bit. */
interface FixedMagnitude {
  sign: Signal;
  integer: Signal;
  guard: Signal;
  sticky: Signal;
  /** |x| ≥ 2^(n+1): beyond any n-bit integer whatever the rounding. */
  huge: Signal;
  isNaN: Signal;
  isInf: Signal;
  isSignalingNaN: Signal;
}

/**
 * Shift a float's significand to the integer grid: its top bit, of weight 2^exp, is placed at bit n
 * of the integer part (exp = n) and moved right by n − exp; what falls below the guard bit is sticky.
 */
function toFixed(
  u: ReturnType<typeof unpackFloat>,
  format: FloatFormat,
  n: number,
  prefix: string,
): FixedMagnitude {
  const m = u.sig.builder;
  const M = format.mantBits;
  const width = M + 1 + n + 2;
  const shiftBits = unsignedBits(width);
  const ew = Math.max(u.exp.width, signedBits(0, n)) + 2;
  const distance = m.constant(n, SInt(ew)).sub(u.exp.resize(ew), { width: ew }).named(`${prefix}_distance`);
  const huge = distance.lt(0).and(u.isZero.not()).named(`${prefix}_huge`);
  const amount = mux(
    distance.lt(0),
    m.constant(0, UInt(shiftBits)),
    mux(distance.gt(width), m.constant(width, UInt(shiftBits)), distance.asUnsigned().resize(shiftBits)),
  ).named(`${prefix}_shift`);
  // A zero (a flushed subnormal too) has no bits to round.
  const sig = mux(u.isZero, m.constant(0, UInt(M + 1)), u.sig);
  const placed = cat(sig, m.constant(0, UInt(n + 2)));
  const shifted = placed.shr(amount).named(`${prefix}_fixed`);
  const below = cat(...Array.from({ length: width }, (_, i) => amount.gt(width - 1 - i)));
  const lost = placed.and(below).orR();
  return {
    sign: u.sign,
    integer: shifted.slice(width - 1, M + 2).named(`${prefix}_integer`),
    guard: shifted.bit(M + 1),
    sticky: (M >= 1 ? shifted.slice(M, 0).orR() : shifted.bit(0)).or(lost).named(`${prefix}_sticky`),
    huge,
    isNaN: u.isNaN,
    isInf: u.isInf,
    isSignalingNaN: u.isSignalingNaN,
  };
}

/** Round the fixed-point magnitude to an integer and saturate it to the result's range. */
function roundToInt(f: FixedMagnitude, p: FpConvertParams, prefix: string): RoundedFloat {
  const m = f.sign.builder;
  const n = p.outWidth ?? 8;
  const signed = p.outFormat === 'int';
  const up = roundIncrement(p.rounding as RoundingMode, f.sign, f.integer.bit(0), f.guard, f.sticky).named(
    `${prefix}_round_up`,
  );
  const magnitude = f.integer.add(up.zext(n + 1), { width: n + 2 }).named(`${prefix}_rounded`);
  const big = (v: bigint) => m.constant(v, UInt(n + 2));
  // The largest magnitude of each sign: 2^(n−1) − 1 and 2^(n−1) signed; 2^n − 1 and 0 unsigned.
  const maxPositive = signed ? (1n << BigInt(n - 1)) - 1n : (1n << BigInt(n)) - 1n;
  const maxNegative = signed ? 1n << BigInt(n - 1) : 0n;
  const beyond = mux(f.sign, magnitude.gt(big(maxNegative)), magnitude.gt(big(maxPositive)));
  const overflow = f.huge.or(f.isInf).or(beyond).and(f.isNaN.not()).named(`${prefix}_out_of_range`);
  const low = magnitude.slice(n - 1, 0);
  const value = mux(f.sign, m.constant(0, UInt(n)).sub(low, { width: n }), low);
  const minCode = m.constant(signed ? 1n << BigInt(n - 1) : 0n, UInt(n));
  const maxCode = m.constant(maxPositive, UInt(n));
  const saturated = mux(f.sign, minCode, maxCode);
  const nanCode = p.nanToInt === 'min' ? minCode : m.constant(0, UInt(n));
  const code = mux(f.isNaN, nanCode, mux(overflow, saturated, value)).named(`${prefix}_out_code`);
  const invalid = f.isNaN.or(overflow).named(`${prefix}_out_invalid`);
  const zero = m.constant(0, UInt(1));
  return {
    code,
    invalid,
    overflow: zero,
    underflow: zero,
    inexact: f.guard.or(f.sticky).and(invalid.not()).named(`${prefix}_out_inexact`),
  };
}

/** The fields of an aligned value that are signals (the rounding module's inputs). */
const ROUND_INPUTS = [
  'sign',
  'exp',
  'sig',
  'sticky',
  'isZero',
  'isInf',
  'isNaN',
  'nanSign',
  'invalid',
] as const;

function roundInputs(v: NormalizedFloat, random?: Signal): Record<string, Signal> {
  const names: Record<(typeof ROUND_INPUTS)[number], string> = {
    sign: 'sign',
    exp: 'exp',
    sig: 'sig',
    sticky: 'sticky',
    isZero: 'zero',
    isInf: 'inf',
    isNaN: 'nan',
    nanSign: 'nan_sign',
    invalid: 'invalid',
  };
  const inputs: Record<string, Signal> = {};
  for (const key of ROUND_INPUTS) {
    const s = v[key];
    if (s !== undefined) inputs[names[key]] = s;
  }
  if (random !== undefined) inputs.rand_bits = random;
  return inputs;
}

/**
 * One lane's rounding (roundPack) as a module with a pipeline cut between the rounding increment and
 * its addition; built from a sample aligned value (every lane's has the same widths and ranges).
 * `enable` for a parent with valid/ready backpressure.
 */
function roundingModule(
  name: string,
  sample: NormalizedFloat,
  format: FloatFormat,
  policy: ResolvedPolicy,
  flags: boolean,
  enable: boolean,
  random?: Signal,
): Module {
  const b = new ModuleBuilder(
    name,
    { generator: 'fp_convert', params: { stage: 'round' } },
    enable ? { enable } : {},
  );
  const x = Object.fromEntries(
    Object.entries(roundInputs(sample, random)).map(([k, s]) => [k, b.input(k, s.type)]),
  );
  const v: NormalizedFloat = {
    sign: x.sign!,
    exp: x.exp!,
    sig: x.sig!,
    isZero: x.zero!,
    isInf: x.inf!,
    isNaN: x.nan!,
    ...(x.sticky === undefined ? {} : { sticky: x.sticky }),
    ...(x.nan_sign === undefined ? {} : { nanSign: x.nan_sign }),
    ...(x.invalid === undefined ? {} : { invalid: x.invalid }),
    ...(sample.expBias === undefined ? {} : { expBias: sample.expBias }),
    ...(sample.expRange === undefined ? {} : { expRange: sample.expRange }),
    ...(sample.alignedEmin === undefined ? {} : { alignedEmin: sample.alignedEmin }),
  };
  const r = roundPack(v, format, policy, 'out', () => b.stage(), {
    ...ROUND_OPTIONS,
    ...(x.rand_bits === undefined ? {} : { random: x.rand_bits }),
  });
  b.output('code', r.code);
  if (flags) {
    b.output('flag_invalid', r.invalid);
    b.output('flag_overflow', r.overflow);
    b.output('flag_underflow', r.underflow);
    b.output('flag_inexact', r.inexact);
  }
  return b.build();
}

function roundInstance(
  m: ModuleBuilder,
  rounder: Module,
  v: NormalizedFloat,
  prefix: string,
  random?: Signal,
): RoundedFloat {
  const o = m.instance(rounder, `${prefix}_round`, roundInputs(v, random));
  const zero = m.constant(0, UInt(1));
  return {
    code: o.code!.named(`${prefix}_out_code`),
    invalid: o.flag_invalid ?? zero,
    overflow: o.flag_overflow ?? zero,
    underflow: o.flag_underflow ?? zero,
    inexact: o.flag_inexact ?? zero,
  };
}
