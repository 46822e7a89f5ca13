// The wrong variants each generator's default plan must expose, one table per generator. A variant is a
// policy field replaced by another value, or a structural change the golden model knows by its tag
// (testbenches/golden/variant.ts). A new generator adds its table here (and its plan to PLANS below);
// a new structural variant adds a `variantIs('<generator>.<name>')` branch to its golden model.
import { resolveDequant, type DequantParams } from '../../generators/dequant/dequant.ts';
import { elementFormat } from '../golden/dequant.ts';
import { dequantSpec } from '../plans/dequant.ts';
import { accumulatorLayout, type FpMacParams } from '../../generators/mac/fp_mac.ts';
import { gemvShape, type GemvParams } from '../../generators/gemv/gemv.ts';
import { gemvCoreOf } from '../../generators/mpgemm/gemv-core.ts';
import { isIntegerActivation, MIXED_ACTIVATION } from '../../generators/gemv/activation.ts';
import {
  GEMV_WEIGHT_FORMATS,
  RAZER_SPECIAL_VALUES,
  type GemvWeightName,
} from '../../generators/formats/gemv-weights.ts';
import { floatFormat, resolvedOutputPolicy, type RoundingParams } from '../../generators/float-params.ts';
import {
  NAN_MODES,
  decode,
  decodeNumber,
  encodeNumber,
  formatBits,
  formatByName,
  OVERFLOW_MODES,
  ROUNDING_MODES,
  floatLayout,
  resolvePolicy,
  type FloatLayout,
  type Policy,
  type ResolvedPolicy,
} from '../../generators/formats/index.ts';
import type { GoldenVariant } from '../golden/variant.ts';
import { dequantPlan } from '../plans/dequant.ts';
import { dotPlan } from '../plans/dot.ts';
import { mxDotPlan } from '../plans/mx_dot.ts';
import { fpMacPlan } from '../plans/fp_mac.ts';
import { fpMulPlan } from '../plans/fp_mul.ts';
import { intMacPlan } from '../plans/int_mac.ts';
import { intMulPlan } from '../plans/int_mul.ts';
import { lmulPlan } from '../plans/lmul.ts';
import { mixedMacPlan } from '../plans/mixed_mac.ts';
import { multiFpMulPlan } from '../plans/multi_fp_mul.ts';
import type { VerificationPlan } from '../plans/plan.ts';
import { reconfMulPlan } from '../plans/reconf_mul.ts';
import { fpAddPlan } from '../plans/fp_add.ts';
import { fpConvertPlan } from '../plans/fp_convert.ts';
import { isInt } from '../../generators/float/fp_convert.ts';
import { quantizePlan } from '../plans/quantize.ts';

type Params = Record<string, unknown>;

export interface Variant {
  name: string;
  change: GoldenVariant;
  /** true when the variant is a different model for this unit; false or a reason when it is not. */
  appliesTo?: (p: Params) => boolean | string;
}

export interface MutationTable {
  generator: string;
  /** undefined for GEMV, whose jobs come from testbenches/plans/gemv.ts. */
  plan: VerificationPlan<never> | undefined;
  variants: Variant[];
}

/** What a unit's golden model applies: its output policy, and whether flags show underflow. */
interface PolicyView {
  policy: ResolvedPolicy;
  flags: boolean;
  /** Where every result is a product (or a sum of `terms` products) of two formats: which policies it can meet. */
  range?: ProductRange;
  /** Every value the unit rounds, where there are few enough to try each: a variant that rounds them all alike is none. */
  values?: number[];
}

interface ProductRange {
  inexact: boolean;
  overflows: boolean;
  tiny: boolean;
  /** Whether a NaN can arise (a NaN or Inf input); default true. */
  nan?: boolean;
  /** Whether a result can be a tie of the output's rounding (half-way between two neighbours); default true. */
  ties?: boolean;
  /** Whether every result below the output's normal range is exact (the operands lie on its subnormal grid). */
  tinyExact?: boolean;
  /** How the range was established, where every result was tried. */
  tried?: string;
}

/** A Kulisch accumulator's read-out: its register's width and LSB decide which policies it can meet. */
function kulischRange(p: Params): ProductRange {
  const { width, lsbExp } = accumulatorLayout(p as unknown as FpMacParams);
  const out = floatLayout(floatFormat(p.accFormat as string));
  const specials = [p.aFormat, p.bFormat].some((f) => {
    const l = floatLayout(floatFormat(f as string));
    return l.hasNaN || l.hasInf;
  });
  return {
    inexact: width - 1 > out.mantBits + 1,
    overflows: lsbExp + width - 1 > out.maxQ + out.mantBits,
    tiny: lsbExp < out.emin,
    nan: specials,
  };
}

/**
 * An MX block dot product's results: E8M0 scales reach 2^±127 each, so any output can overflow, fall
 * below its normal range or be inexact. NVFP4 × NVFP4 has at most 20 significant bits (16 products of
 * E2M1 values, each a multiple of 1/4 below 36, times two 4-bit E4M3 significands) between 2^−20 and
 * 2^27: exact in fp32, never tiny or beyond a 16-bit float's range.
 */
function mxDotRange(p: Params): ProductRange {
  if (p.aFormat !== 'nvfp4') return { inexact: true, overflows: true, tiny: true };
  const out = floatLayout(floatFormat(p.outFormat as string));
  // A DotGeneral sums blocks of different scales: its sum can hold more bits than any one block's 20.
  const inexact = p.accumulate === 'exact' || out.mantBits + 1 < 20;
  return { inexact, overflows: out.maxQ + out.mantBits < 27, tiny: out.emin > -20 };
}

/** Whether a GEMV core's activations are integers (with an activation scale). */
function integerActivations(p: Params): boolean {
  return isIntegerActivation(p.activation as string);
}

/** Whether a GEMV core can see a NaN or an infinite input: float activations, or a weight with a NaN code. */
function nonFiniteInputs(p: Params): boolean {
  const weight = GEMV_WEIGHT_FORMATS[p.weight as GemvWeightName];
  const codes = Array.from({ length: 2 ** weight.bits }, (_, code) => code);
  const nanWeight = weight
    .formats(RAZER_SPECIAL_VALUES)
    .some((f) => codes.some((code) => decode(f, code).kind !== 'finite'));
  return !integerActivations(p) || nanWeight;
}

/** Whether a sum of `terms` products of a and b can be inexact, overflow or fall below the output's normal range. */
function productRange(a: string, b: string, out: string, terms = 1): ProductRange {
  const [la, lb, lo] = [a, b, out].map((f) => floatLayout(floatFormat(f)));
  const max = (l: FloatLayout) => l.maxUnits * 2 ** l.maxQ;
  const min = (f: string, l: FloatLayout) => 2 ** (l.emin - (floatFormat(f).subnormals ? l.mantBits : 0));
  const tiny = min(a, la!) * min(b, lb!) < 2 ** lo!.emin;
  return {
    inexact: terms > 1 || tiny || la!.mantBits + lb!.mantBits + 2 > lo!.mantBits + 1,
    overflows: max(la!) * max(lb!) * terms >= max(lo!),
    tiny,
  };
}

/**
 * Every policy field replaced by each other value the output format allows. Equivalent models are not
 * variants: tininess matters only to the underflow flag and to flushing, IEEE overflow differs from
 * Inf only under a directed rounding, and a NaN rule only where the format has NaN inputs to pass on.
 */
function policyVariants(view: (p: Params) => PolicyView): Variant[] {
  const variant = (
    field: keyof Policy,
    value: string,
    when?: (v: PolicyView) => boolean | string,
  ): Variant => ({
    name: `${field} ${value}`,
    change: { policy: { [field]: value } },
    appliesTo: (p) => {
      const v = view(p);
      if (v.policy[field] === value) return false;
      const values = v.values;
      if (values !== undefined) {
        const out = floatFormat(p.outFormat as string);
        const mutated = { ...v.policy, [field]: value } as Policy;
        if (values.every((x) => encodeNumber(out, x, v.policy).code === encodeNumber(out, x, mutated).code))
          return `every one of the ${values.length} values the unit rounds rounds alike`;
      }
      return when?.(v) ?? true;
    },
  });
  const directed = (v: PolicyView) => ['rtz', 'rup', 'rdown'].includes(v.policy.rounding);
  const nearest = (mode: string) => ['rne', 'rna', 'rnz', 'rnd'].includes(mode);
  // Two round-to-nearest modes differ only on a tie.
  const rounding = (mode: string) => (v: PolicyView) => {
    if (v.range?.inexact === false) return 'every result is exact';
    return (
      !nearest(mode) ||
      !nearest(v.policy.rounding) ||
      v.range?.ties !== false ||
      `no result is a tie of the output rounding${v.range?.tried ? ` (${v.range.tried})` : ''}`
    );
  };
  const tiny = (v: PolicyView) => v.range?.tiny !== false || 'no result falls below the normal range';
  return [
    ...ROUNDING_MODES.map((mode) => variant('rounding', mode, rounding(mode))),
    ...OVERFLOW_MODES.filter((o) => o !== 'wrap').map((o) =>
      variant('overflow', o, (v) => {
        if (v.range?.overflows === false)
          return `no result overflows${v.range.tried ? ` (${v.range.tried})` : ''}`;
        return ['inf', 'ieee'].includes(o) && ['inf', 'ieee'].includes(v.policy.overflow) && !directed(v)
          ? 'IEEE overflow is Inf under round-to-nearest'
          : true;
      }),
    ),
    variant('subnormals', 'keep', tiny),
    variant('subnormals', 'flush', tiny),
    ...(['before', 'after'] as const).map((t) =>
      variant('tininess', t, (v) => {
        if (!v.flags && v.policy.subnormals !== 'flush') return 'no underflow flag, subnormals kept';
        // Tininess decides the underflow flag of an inexact tiny result, and flushing before or after rounding.
        if (v.range?.tinyExact === true && v.policy.subnormals === 'keep')
          return 'every result below the normal range is exact (the operands lie on its subnormal grid)';
        return tiny(v);
      }),
    ),
    // 'signed' is left out: an operation's NaN result is the quiet NaN of no sign (docs/ieee-and-fp8.md#policy),
    // so only conversions of a NaN could keep one, and no golden model converts a NaN input.
    ...NAN_MODES.filter((mode) => mode !== 'signed').map((mode) =>
      variant('nan', mode, (v) => v.range?.nan !== false || 'no NaN can arise'),
    ),
  ];
}

/** The policy of a unit with the shared rounding parameters and an output format. */
const outputView =
  (
    flags = (p: Params) => p.flags === true,
    format = (p: Params) => p.outFormat as string,
    range?: (p: Params) => ProductRange,
  ) =>
  (p: Params): PolicyView => ({
    policy: resolvedOutputPolicy({ ...(p as unknown as RoundingParams), outFormat: format(p) }),
    flags: flags(p),
    ...(range ? { range: range(p) } : {}),
  });

/** quantize's variants of the E8M0 shared exponent, of NVFP4's block and tensor scales, of int8's scale. */
const mxOnly = (p: Params) => String(p.format).startsWith('mx') || 'no E8M0 shared exponent';
const nvfp4Only = (p: Params) => p.format === 'nvfp4' || 'not nvfp4';
const int8Only = (p: Params) => p.format === 'int8' || 'not int8';
const rounded = (p: Params) =>
  p.format === 'nvfp4' || p.format === 'int8' || 'the E8M0 scale is a power of two, never rounded to 0';

const tagged = (name: string, appliesTo?: Variant['appliesTo']): Variant => ({
  name,
  change: { tag: name },
  ...(appliesTo ? { appliesTo } : {}),
});

/** Dequantizers without zero point or tensor scale round element × scale: every such product, when there are at most 2^16. */
const dequantValues = new Map<string, number[] | undefined>();
function dequantProducts(p: Params): number[] | undefined {
  const key = JSON.stringify(p);
  if (!dequantValues.has(key)) {
    const spec = dequantSpec(p as unknown as DequantParams);
    let values: number[] | undefined;
    if (spec.zeroPoint === 'none' && !spec.tensorScale) {
      const elements = new Set<number>();
      for (let select = 0; select < 4; select++) {
        const f = elementFormat(spec, select);
        for (let c = 0; c < 2 ** formatBits(f); c++) elements.add(decodeNumber(f, c));
      }
      const scales =
        spec.scale === 'none'
          ? [1]
          : Array.from({ length: 2 ** formatBits(formatByName(spec.scale)) }, (_, c) =>
              decodeNumber(formatByName(spec.scale), c),
            );
      if (elements.size * scales.length <= 1 << 16)
        values = [...elements].flatMap((e) => scales.map((x) => e * x));
    }
    dequantValues.set(key, values);
  }
  return dequantValues.get(key);
}

/**
 * fp_add: a sum or difference below the output's normal range is a multiple of the smaller operand grid;
 * when that grid is no finer than the output's subnormal one, every such result is exact.
 */
function addRange(p: Params): ProductRange {
  const [la, lb, lo] = [p.aFormat, p.bFormat, p.outFormat].map((f) => floatLayout(floatFormat(f as string)));
  const lsb = (l: FloatLayout) => l.emin - l.mantBits;
  return { inexact: true, overflows: true, tiny: true, tinyExact: Math.min(lsb(la!), lsb(lb!)) >= lsb(lo!) };
}

/**
 * fp_convert: flushing a subnormal source to zero changes nothing when every subnormal source is below
 * half the output's smallest subnormal under a round-to-nearest mode without flags (both give ±0).
 */
function convertSubnormalsMatter(p: Params): boolean | string {
  if (isInt(p.inFormat as string)) return 'an integer source';
  const [li, lo] = [p.inFormat, p.outFormat].map((f) => floatLayout(floatFormat(f as string)));
  const policy = resolvedOutputPolicy({
    ...(p as unknown as RoundingParams),
    outFormat: p.outFormat as string,
  });
  const nearest = ['rne', 'rna', 'rnz', 'rnd'].includes(policy.rounding);
  if (p.flags !== true && nearest && 2 ** li!.emin <= 2 ** (lo!.emin - lo!.mantBits - 1))
    return `every ${p.inFormat as string} subnormal is below half the smallest ${p.outFormat as string} subnormal: rounds to ±0 either way`;
  return true;
}

/** fp_convert with stochastic rounding. */
function stochastic(p: Params): boolean | string {
  return p.stochasticBits !== undefined || 'no stochastic rounding';
}

/** fp_convert with stochastic rounding and results below the output's normal range (subnormal quanta). */
function stochasticTiny(p: Params): boolean | string {
  const applies = stochastic(p);
  if (applies !== true) return applies;
  if (isInt(p.inFormat as string)) return 'an integer source has no value below the normal range';
  const [fi, fo] = [p.inFormat, p.outFormat].map((f) => floatFormat(f as string));
  const smallest = floatLayout(fi!).emin - (fi!.subnormals ? fi!.mantBits : 0);
  return smallest < floatLayout(fo!).emin || `no ${p.inFormat as string} value is below the normal range`;
}

/** Stochastic rounding replaces the rounding mode: no rounding variant is a variant of it. */
function unlessStochastic(v: Variant): Variant {
  if (v.change.policy?.rounding === undefined) return v;
  return {
    ...v,
    appliesTo: (p) =>
      p.stochasticBits !== undefined
        ? 'stochastic rounding replaces the rounding mode'
        : (v.appliesTo?.(p) ?? true),
  };
}

/** Every finite value of a source of at most 16 bits (integers: every value of the width). */
function convertSources(p: Params): number[] | undefined {
  if (isInt(p.inFormat as string)) {
    const w = (p.inWidth as number | undefined) ?? 8;
    if (w > 16) return undefined;
    const signed = p.inFormat === 'int';
    return Array.from({ length: 2 ** w }, (_, c) => (signed && c >= 2 ** (w - 1) ? c - 2 ** w : c));
  }
  const f = formatByName(p.inFormat as string);
  if (formatBits(f) > 16) return undefined;
  return Array.from({ length: 2 ** formatBits(f) }, (_, c) => decodeNumber(f, c)).filter(Number.isFinite);
}

/** The number of significant bits of a finite number (0 for zero). */
function significantBits(x: number): number {
  if (x === 0) return 0;
  let y = Math.abs(x);
  while (!Number.isInteger(y)) y *= 2;
  while (y % 2 === 0) y /= 2;
  return y.toString(2).length;
}

/**
 * Dequantizers without zero point or tensor scale round element × scale: every product of a finite
 * element and a finite scale is tried (2^20 for 16 codes × an fp16 scale; at most 2^22), exactly in binary64 when the
 * two have at most 53 significant bits together, and the range says whether any of them is inexact, a
 * tie of the output's rounding, above the output's largest finite value or below its normal range.
 */
const dequantRanges = new Map<string, ProductRange | undefined>();
function dequantRange(p: Params): ProductRange | undefined {
  const key = JSON.stringify(p);
  if (!dequantRanges.has(key)) dequantRanges.set(key, productsRange(p));
  return dequantRanges.get(key);
}

function productsRange(p: Params): ProductRange | undefined {
  const spec = dequantSpec(p as unknown as DequantParams);
  if (spec.zeroPoint !== 'none' || spec.tensorScale) return undefined;
  const elements = new Set<number>();
  for (let select = 0; select < 4; select++) {
    const f = elementFormat(spec, select);
    for (let c = 0; c < 2 ** formatBits(f); c++) elements.add(decodeNumber(f, c));
  }
  const scaleFormat = spec.scale === 'none' ? undefined : formatByName(spec.scale);
  const scales =
    scaleFormat === undefined
      ? [1]
      : Array.from({ length: 2 ** formatBits(scaleFormat) }, (_, c) => decodeNumber(scaleFormat, c));
  const [es, ss] = [[...elements], scales].map((xs) => xs.filter((x) => Number.isFinite(x) && x !== 0));
  const bits = (xs: number[]) => Math.max(0, ...xs.map(significantBits));
  if (bits(es!) + bits(ss!) > 53 || es!.length * ss!.length > 1 << 22) return undefined;
  const out = floatLayout(floatFormat(p.outFormat as string));
  const max = out.maxUnits * 2 ** out.maxQ;
  const range: ProductRange = {
    inexact: false,
    overflows: false,
    tiny: false,
    nan: true,
    ties: false,
    tried: `each of the ${es!.length * ss!.length} products of a finite nonzero element and scale tried; largest |product| ${Math.max(...es!.map(Math.abs)) * Math.max(...ss!.map(Math.abs))}, ${p.outFormat as string} max ${max}`,
  };
  for (const e of es!)
    for (const s of ss!) {
      const x = Math.abs(e * s);
      if (x > max) range.overflows = true;
      if (x < 2 ** out.emin) range.tiny = true;
      let exp = Math.floor(Math.log2(x));
      if (2 ** exp > x) exp--;
      if (2 ** (exp + 1) <= x) exp++;
      const units = x / 2 ** (Math.max(exp, out.emin) - out.mantBits);
      const fraction = units - Math.floor(units);
      if (fraction !== 0) range.inexact = true;
      if (fraction === 0.5) range.ties = true;
    }
  return range;
}

/**
 * mixed_mac: a nonzero result is at least the smallest activation × the smallest scale × 1/2 (a weight's
 * grid), and at most the largest of each × 16 × group per group for 2^32 groups.
 */
function mixedRange(p: Params): ProductRange {
  const [a, s, out] = [p.activation, p.scale, p.outFormat].map((f) => floatLayout(floatFormat(f as string)));
  const max = (l: FloatLayout) => Math.log2(l.maxUnits) + l.maxQ;
  const minExp = (l: FloatLayout) => l.emin - l.mantBits;
  return {
    inexact: true,
    overflows: max(a!) + max(s!) + 4 + Math.log2(p.group as number) + 32 >= max(out!),
    tiny: minExp(a!) + minExp(s!) - 1 < out!.emin,
  };
}

const hasZeroPoint = (p: Params) =>
  resolveDequant(p as unknown as DequantParams).zeroPoint !== 'none' || 'no zero point';

/** GEMV's variants, read from a core's gemv parameters. */
const GEMV_VARIANTS: Variant[] = [
  ...policyVariants(outputView(() => false)),
  tagged('gemv.final-rounding'),
  tagged('gemv.scale-per-element'),
  tagged(
    'gemv.no-zero-point',
    (p) => GEMV_WEIGHT_FORMATS[p.weight as GemvWeightName].zeroPoint || 'no zero point',
  ),
  tagged('gemv.group-boundary'),
  tagged('gemv.reads-past-k'),
  tagged('gemv.specials-ignored', (p) => nonFiniteInputs(p) || 'integer activations and no NaN weight code'),
  tagged('gemv.scale-specials-ignored'),
  tagged('gemv.activation-scale-dropped', (p) => integerActivations(p) || 'float activations'),
  tagged('gemv.activation-scale-rounded', (p) => integerActivations(p) || 'float activations'),
  tagged(
    'gemv.high-half-unshifted',
    (p) => p.activation === MIXED_ACTIVATION || 'no mixed 4/8-bit activations',
  ),
  tagged(
    'gemv.grid-below-top',
    (p) => gemvShape(p as unknown as GemvParams).accumulation === 'aligned' || 'exact accumulation',
  ),
  // lut_gemv's quantized tables: another rounding, no clamp, the exact entries, one scale per group.
  ...['table-truncated', 'table-unclamped', 'table-exact', 'table-scale-per-group'].map((name) =>
    tagged(`gemv.${name}`, (p) => (p as unknown as GemvParams).lut?.tableFormat === 'int8' || 'exact tables'),
  ),
];

export const MUTATION_TABLES: MutationTable[] = [
  // Integer multipliers: an operand read with the other signedness, a product kept too narrow.
  {
    generator: 'int_mul',
    plan: intMulPlan,
    variants: [
      tagged('int_mul.a-signedness'),
      tagged('int_mul.b-signedness'),
      tagged('int_mul.product-short'),
      tagged('int_mul.product-low-half'),
    ],
  },
  {
    generator: 'int_mac',
    plan: intMacPlan,
    variants: [tagged('int_mac.overflow'), tagged('int_mac.clear-late')],
  },
  {
    generator: 'fp_mul',
    plan: fpMulPlan,
    variants: [
      ...policyVariants(
        outputView(undefined, undefined, (p) =>
          productRange(p.aFormat as string, p.bFormat as string, p.outFormat as string),
        ),
      ),
      tagged('fp_mul.input-subnormals'),
    ],
  },
  {
    generator: 'lmul',
    plan: lmulPlan,
    variants: [
      // docs/lmul.md#policy: RNE, flush and tininess before, the output's overflow a parameter. The
      // integer-add result has m ≤ the format's mantissa bits and is set to ±0 below the normal range
      // itself: no rounding, flushing or tininess rule can change it (the formula variant rounds).
      ...policyVariants((p) => ({
        policy: resolvePolicy(floatFormat((p.outFormat ?? p.format) as string), {
          rounding: 'rne',
          overflow: p.overflow as Policy['overflow'],
          subnormals: 'flush',
          tininess: 'before',
        }),
        flags: false,
        range: { inexact: p.variant === 'formula', overflows: true, tiny: false },
      })),
      tagged('lmul.other-variant'),
      tagged('lmul.operand-rounding', (p) =>
        ((p.m as number | undefined) ?? floatFormat(p.format as string).mantBits) <
        floatFormat(p.format as string).mantBits
          ? true
          : 'operands keep every mantissa bit',
      ),
    ],
  },
  {
    generator: 'reconf_mul',
    plan: reconfMulPlan,
    variants: [
      ...policyVariants(
        outputView(
          () => false,
          (p) => (p.outFormat ?? p.format) as string,
        ),
      ),
      tagged('reconf_mul.operand-rounding'),
      tagged('reconf_mul.lmul-exact'),
    ],
  },
  {
    generator: 'multi_fp_mul',
    plan: multiFpMulPlan,
    variants: policyVariants((p) => ({
      policy: resolvePolicy(floatFormat((p.formats as string[])[0]!), {
        rounding: p.rounding,
        overflow: p.overflow,
      } as Policy),
      flags: false,
    })).filter((v) => v.name.startsWith('rounding') || v.name.startsWith('overflow')),
  },
  {
    generator: 'fp_add',
    plan: fpAddPlan,
    variants: [
      ...policyVariants(outputView(undefined, undefined, addRange)),
      tagged('fp_add.input-subnormals'),
      tagged('fp_add.operation-swapped'),
    ],
  },
  {
    generator: 'fp_convert',
    plan: fpConvertPlan,
    variants: [
      // Every source value, where a 16-bit or narrower source allows trying each: a policy that rounds
      // them all alike (an exact conversion) is no variant.
      ...policyVariants((p) => ({ ...outputView()(p), values: convertSources(p) })).map(unlessStochastic),
      tagged('fp_convert.input-subnormals', convertSubnormalsMatter),
      // Stochastic rounding's wrong models (testbenches/golden/fp_convert.ts): f + r > 2^R for ≥, the
      // bits below f jammed into its last bit, f measured at a subnormal's own binade.
      tagged('fp_convert.stochastic-strict', stochastic),
      tagged('fp_convert.stochastic-sticky-jammed', stochastic),
      tagged('fp_convert.stochastic-normal-quantum', stochasticTiny),
    ],
  },
  {
    generator: 'dequant',
    plan: dequantPlan,
    variants: [
      ...policyVariants((p) => {
        const range = dequantRange(p);
        return { ...outputView(() => false)(p), values: dequantProducts(p), ...(range ? { range } : {}) };
      }),
      tagged('dequant.packing', (p) => (p.lanes as number) % 8 === 0 || 'fewer than 8 lanes'),
      tagged('dequant.order', hasZeroPoint),
      tagged('dequant.no-zero-point', hasZeroPoint),
      tagged('dequant.scale-exponent'),
      tagged('dequant.nan-scale'),
      tagged('dequant.no-tensor-scale', (p) => p.tensorScale === true || 'no tensor scale'),
    ],
  },
  {
    generator: 'quantize',
    plan: quantizePlan,
    variants: [
      tagged('quantize.other-rounding'),
      tagged('quantize.ties-toward-zero', (p) => p.rounding !== 'rnz' || 'ties go toward zero already'),
      tagged('quantize.shared-exponent-up', mxOnly),
      tagged('quantize.shared-exponent-down', mxOnly),
      tagged('quantize.no-scale-floor', (p) =>
        !String(p.format).startsWith('mx')
          ? 'no E8M0 shared exponent'
          : p.inFormat !== 'fp16' || 'fp16 inputs never need a scale below 2^-127',
      ),
      tagged('quantize.no-clamp'),
      tagged('quantize.specials-ignored'),
      tagged(
        'quantize.input-subnormals',
        (p) =>
          p.format !== 'int8' ||
          p.inFormat === 'fp16' ||
          'an int8 scale is at least 2^-24: bf16 and fp32 subnormals round to 0 either way',
      ),
      // NVFP4 and int8: a scale that rounds to 0 kept at 0 (zero elements) instead of raised to the
      // least subnormal. NVFP4: the E4M3 block scale rounded the other way (nearest ↔ up), the tensor
      // scale read as 1. int8: the elements divided by amax / 127 itself, not by the rounded scale.
      tagged('quantize.scale-zero', rounded),
      tagged('quantize.scale-rounding', nvfp4Only),
      tagged('quantize.tensor-scale-ignored', nvfp4Only),
      tagged('quantize.scale-unrounded', int8Only),
    ],
  },
  {
    generator: 'fp_mac',
    plan: fpMacPlan,
    variants: [
      ...policyVariants(
        outputView(
          undefined,
          (p) => p.accFormat as string,
          (p) =>
            p.accumulator === 'kulisch' ? kulischRange(p) : { inexact: true, overflows: true, tiny: true },
        ),
      ),
      tagged('fp_mac.final-rounding', (p) => p.accumulator === 'float' || 'rounds once already'),
      tagged(
        'fp_mac.unfused',
        (p) => (p.accumulator !== 'kulisch' && p.product !== 'lmul') || 'no fused step',
      ),
      tagged('fp_mac.partial-order', (p) => (p.partialSums as number) > 2 || 'at most two partial sums'),
      tagged('fp_mac.kulisch-no-wrap', (p) => p.accumulator === 'kulisch' || 'no Kulisch accumulator'),
    ],
  },
  {
    generator: 'dot',
    plan: dotPlan,
    variants: [
      ...policyVariants(
        outputView(
          () => false,
          undefined,
          (p) =>
            productRange(p.aFormat as string, p.bFormat as string, p.outFormat as string, p.lanes as number),
        ),
      ),
      tagged('dot.other-sum'),
    ],
  },
  {
    generator: 'mx_dot',
    plan: mxDotPlan,
    variants: [
      ...policyVariants(outputView(() => false, undefined, mxDotRange)),
      tagged('mx_dot.one-scale'),
      tagged('mx_dot.round-products', (p) => mxDotRange(p).inexact || 'every product and sum is exact'),
      tagged('mx_dot.scale-nan-ignored', (p) => p.aFormat !== 'nvfp4' || 'NVFP4 scales are E4M3 values'),
      tagged('mx_dot.round-blocks', (p) => p.accumulate === 'exact' || 'one Dot per block pair'),
    ],
  },
  {
    generator: 'mixed_mac',
    plan: mixedMacPlan,
    variants: [
      ...policyVariants(outputView(() => false, undefined, mixedRange)),
      tagged('mixed_mac.final-rounding'),
      tagged('mixed_mac.unfused-scale', (p) => p.inner !== 'fp32' || 'fp32 inner sums'),
      tagged('mixed_mac.no-zero-point', (p) => p.weight === 'uint4' || 'no zero point'),
      tagged('mixed_mac.metadata-first', (p) => p.inner !== 'fp32' || 'fp32 inner sums'),
      tagged('mixed_mac.specials-ignored'),
      tagged('mixed_mac.scale-per-element', (p) => p.inner !== 'fp32' || 'fp32 inner sums'),
      tagged('mixed_mac.group-boundary'),
      tagged('mixed_mac.scale-specials-ignored'),
      tagged('mixed_mac.inner-fp32', (p) => p.inner !== 'fp32' || 'fp32 inner sums'),
      tagged('mixed_mac.group-window', (p) => p.inner !== 'fp32' || 'fp32 inner sums'),
    ],
  },
  {
    generator: 'gemv',
    plan: undefined,
    variants: GEMV_VARIANTS,
  },
  // The table-lookup and bit-serial GEMVs compute gemv's arithmetic: the same variants, on the gemv
  // core each is.
  ...['lut_gemv', 'bitserial_gemv'].map((generator) => ({
    generator,
    plan: undefined,
    variants: GEMV_VARIANTS.map((v) => ({
      ...v,
      ...(v.appliesTo === undefined
        ? {}
        : { appliesTo: (p: Params) => v.appliesTo!(gemvCoreOf(generator, p)! as unknown as Params) }),
    })),
  })),
];
