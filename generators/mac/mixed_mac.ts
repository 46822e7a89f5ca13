import { signMagnitude } from '../arith/sign-magnitude.ts';
import { addRaw, type ExponentComparison } from '../arith/add.ts';
import { alignToFormat } from '../arith/align.ts';
import { normalize } from '../arith/normalize.ts';
import { exactProduct } from '../arith/product.ts';
import type { RawFloat } from '../arith/raw-float.ts';
import { roundPack } from '../arith/round.ts';
import { shiftAddProduct } from '../arith/shift-add-product.ts';
import { splitProduct } from '../arith/split-product.ts';
import { splitSum } from '../arith/split-sum.ts';
import { unpackFloat, type UnpackedFloat } from '../arith/unpack.ts';
import { signedBits, unsignedBits } from '../arith/widths.ts';
import { RAZER_SPECIAL_VALUES, floatLayout, resolvePolicy } from '../formats/index.ts';
import { GEMV_WEIGHT_FORMATS, type GemvWeightName } from '../formats/gemv-weights.ts';
import {
  checkOutputPolicy,
  floatFormat,
  outputPolicy,
  policyTag,
  resolvedOutputPolicy,
  roundingParams,
} from '../float-params.ts';
import type { Module } from '../hdl/ir.ts';
import { defineGenerator, type GeneratorParams } from '../define.ts';
import { choiceParam, intParam } from '../generator.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { cat, mux, select, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { numberTag } from '../naming.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';
import { specialValuesParam } from '../special-values-param.ts';
import { DSP_TILE_BITS, tiledProduct } from './tiled-product.ts';
import { weightCodes, type WeightCodes } from './weight-codes.ts';

/**
 * Weight formats, by the `weight` parameter: each code's value comes from the formats library
 * (GEMV_WEIGHT_FORMATS, shared with `gemv`), as an exact integer on the weight's grid (weightCodes).
 * uint4 alone takes a zero point; razer and bitmod take a 2-bit per-group selector that gives the -0
 * code 0b1000 its value: RaZeR's special value SV[sv] (docs/razer.md#idea), or the extra value of the
 * BitMoD data type picked by `dtype` (docs/bitmod.md#data-types).
 */
export const MIXED_WEIGHTS = {
  int4: {},
  uint4: { zeroPoint: true },
  e2m1fn: {},
  razer: { selector: 'sv' },
  sf4: {},
  fp4_range: {},
  fp4_prec2: {},
  bitmod: { selector: 'dtype' },
  apot4: {},
  int6: {},
  e3m2fn: {},
  e2m3fn: {},
} as const satisfies Partial<Record<GemvWeightName, { zeroPoint?: true; selector?: 'sv' | 'dtype' }>>;

export type MixedWeight = keyof typeof MIXED_WEIGHTS;

/** A weight's inputs: the code's width, a zero point (uint4), the per-group selector's port (razer, bitmod). */
export function mixedWeightPorts(weight: MixedWeight): {
  bits: number;
  zeroPoint: boolean;
  selector: 'sv' | 'dtype' | undefined;
} {
  const w: { zeroPoint?: true; selector?: 'sv' | 'dtype' } = MIXED_WEIGHTS[weight];
  return { bits: GEMV_WEIGHT_FORMATS[weight].bits, zeroPoint: w.zeroPoint === true, selector: w.selector };
}

/** The weight's codes as exact integers, one table per value of the group's selector. */
export function mixedWeightCodes(p: Pick<MixedMacParams, 'weight' | 'specialValues'>): WeightCodes {
  const weight = GEMV_WEIGHT_FORMATS[p.weight];
  return weightCodes(weight.formats(p.specialValues ?? RAZER_SPECIAL_VALUES), weight.bits);
}

/** Bits of the weight's magnitudes, its selected values apart (they are summed apart). */
export function weightMagnitudeBits(p: Pick<MixedMacParams, 'weight' | 'specialValues'>): number {
  const values = commonValues(p.weight, mixedWeightCodes(p));
  return unsignedBits(values.reduce((max, v) => (v < 0n ? (-v > max ? -v : max) : v > max ? v : max), 0n));
}

/** Magnitudes of at most this many bits multiply by shifts and adds; wider ones in a multiplier. */
const SHIFT_ADD_BITS = 4;

/** The OCP E2M1 code of −0 (sign in bit 3), which RaZeR and BitMoD give the group's selected value. */
export const RAZER_SPECIAL_CODE = 0b1000;

export const INNER_MODES = ['exact', 'fp32'] as const;

/**
 * Where the unit can be cut, most useful first: `latency` stages take the first `latency` points.
 * In data order: the element's product before and after its placing shift ('multiplied', exact sums
 * only, and 'product'); the group sums, loop-carried integer adds (exact), or the fp32 group
 * accumulator ('accumulated'); for exact sums the zero-point or special-value term ('terms'), the
 * group's difference D ('difference') and its magnitude ('magnitude'); the scale product in two
 * halves ('partials', 'scaled'); then the outer addition of the group's close: the outer sum unpacked
 * ('unpacked'), the exponents' difference ('exp_difference') and its clamp to the window
 * ('exponents'), the smaller operand aligned ('aligned'; last of all a cut inside that shift,
 * 'half_aligned', with the bits it shifts out told from the operand's trailing zeros), the
 * wide add ('summed') and its absolute value ('complemented'), each with a cut in its carry chain
 * ('half_summed', 'half_complemented'), the flags ('added'), the leading-zero count ('counted'), the
 * normalizing shift ('normalized'), the subnormal shift's amount ('denorm_amount') and the shift
 * ('denormalized'), the rounding increment
 * ('increment', before the addition that applies it) and the rounding ('output'). Last, for exact
 * sums, a second register on the scale product's operands ('operands', after 'magnitude'): with it
 * the placer can put the register that feeds each DSP block beside it, and the block's delay is
 * not in series with a long route. Then a cut inside the leading-zero count ('half_counted').
 */
export function mixedMacCutPoints(inner: 'exact' | 'fp32', weightBits = SHIFT_ADD_BITS): CutPoint[] {
  const close: CutPoint[] =
    inner === 'exact' ? ['difference', 'magnitude', 'terms', 'partials', 'multiplied'] : ['partials'];
  return [
    'product',
    // A weight wider than 4 bits is looked up, then multiplied: a cut between the table and the
    // multiplier; one wider than a DSP block's operand, a cut inside the multiplier too.
    ...(weightBits > SHIFT_ADD_BITS ? (['looked_up'] as const) : []),
    ...(weightBits > DSP_TILE_BITS ? (['weight_partials'] as const) : []),
    'output',
    'scaled',
    'accumulated',
    'unpacked',
    'exponents',
    'exp_difference',
    'increment',
    'denorm_amount',
    'aligned',
    'half_summed',
    'summed',
    'half_complemented',
    'complemented',
    'counted',
    'normalized',
    'denormalized',
    'added',
    ...close,
    'half_aligned',
    ...(inner === 'exact' ? (['operands'] as const) : []),
    'half_counted',
  ];
}

type CutPoint =
  | 'looked_up'
  | 'weight_partials'
  | 'multiplied'
  | 'product'
  | 'accumulated'
  | 'terms'
  | 'difference'
  | 'magnitude'
  | 'operands'
  | 'partials'
  | 'scaled'
  | 'unpacked'
  | 'exponents'
  | 'exp_difference'
  | 'increment'
  | 'denorm_amount'
  | 'aligned'
  | 'half_aligned'
  | 'half_summed'
  | 'summed'
  | 'half_complemented'
  | 'complemented'
  | 'added'
  | 'counted'
  | 'half_counted'
  | 'normalized'
  | 'denormalized'
  | 'output';

/** The outer addition's cut points: a group's close spends one cycle more than those chosen in the outer loop. */
const OUTER_LOOP_POINTS: readonly CutPoint[] = [
  'unpacked',
  'exp_difference',
  'exponents',
  'increment',
  'denorm_amount',
  'aligned',
  'half_aligned',
  'half_summed',
  'summed',
  'half_complemented',
  'complemented',
  'added',
  'counted',
  'half_counted',
  'normalized',
  'denormalized',
];

/** Cycles from reading the outer sum to writing it back. */
export function outerLoopStages(
  latency: number,
  inner: 'exact' | 'fp32',
  weightBits = SHIFT_ADD_BITS,
): number {
  const chosen = mixedMacCutPoints(inner, weightBits).slice(0, latency);
  return 1 + chosen.filter((point) => OUTER_LOOP_POINTS.includes(point)).length;
}

export type MixedMacParams = GeneratorParams<typeof mixedMac>;

/** The special values in effect (razer weights), in E2M1 units. */
export function specialValuesOf(p: MixedMacParams): readonly number[] {
  return p.specialValues ?? RAZER_SPECIAL_VALUES;
}

function defaultSpecialValues(values: readonly number[]): boolean {
  return values.every((v, i) => v === RAZER_SPECIAL_VALUES[i]);
}

/**
 * mixed_mac_<weight>[_sv<values>]_<activation>_g<group>_<scale>_<out>[_inner_fp32][policy], the module
 * name before its timing tag; the special values appear only when they differ from the default {5, 8, −5, −8}.
 */
function mixedMacStem(p: MixedMacParams): string {
  const svs = specialValuesOf(p);
  const svTag =
    p.weight === 'razer' && !defaultSpecialValues(svs) ? `_sv${svs.map(numberTag).join('_')}` : '';
  const innerTag = p.inner === 'fp32' ? '_inner_fp32' : '';
  return `mixed_mac_${p.weight}${svTag}_${p.activation}_g${p.group}_${p.scale}_${p.outFormat}${innerTag}${policyTag(p)}`;
}

/** The parameters a file header records: a default spelled out (inner exact, default SVs) reads as left out. */
function recordedParams(p: MixedMacParams): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(p).filter(
      ([key, value]) =>
        !(key === 'inner' && value === 'exact') &&
        !(key === 'specialValues' && (value === undefined || defaultSpecialValues(value as number[]))),
    ),
  );
}

/** Width of an exact sum of `count` terms, each at most `max` in magnitude, as a signed integer. */
export function exactSumWidth(max: bigint, count: number): number {
  return (max * BigInt(count)).toString(2).length + 1;
}

interface Inputs {
  q: Signal;
  clear: Signal;
  /** The group scale, unpacked where it enters: its fields, not its decoding, travel to the close. */
  us: UnpackedFloat;
  /** uint4 zero point. */
  zp: Signal | undefined;
  /** The group's selector of the -0 code's value: RaZeR's special-value index, BitMoD's data type. */
  sv: Signal | undefined;
  ua: UnpackedFloat;
}

/**
 * W4A16 multiply-accumulate with the restructuring of docs/w4a16.md#restructured-gemv:
 *   y = Σ_g s_g · ( Σ_{k∈g} a_k·w_k − z_g · Σ_{k∈g} a_k ),
 * w_k the weight's value: q_k (int4, uint4), E2M1(q_k) (e2m1fn) or RaZeR(q_k; SV[sv_g]) (razer: the OCP
 * E2M1 value, except that the -0 code 0b1000 is the group's special value SV[sv_g], docs/razer.md#idea), or a
 * research format's value (docs/w4a16.md#weight-formats-of-mixed_mac: SF4, E2M1 with a supernormal, BitMoD's
 * mixed FP4 under the group's dtype, APoT4, INT6, FP6); z_g = 0 except for uint4. The output is the outer
 * accumulator after this vector.
 *
 * inner 'exact' (default): a_k·w_k and a_k are summed exactly (fixed point); on the group's last element
 * the exact value s_g·D_g, D_g = Σ a·w − z·Σ a, is added to the outer accumulator with one rounding.
 * `s`, `z` and `sv` are read on each group's last element (RaZeR: the group's a_k at code 0b1000 are
 * summed apart and multiplied by SV[sv] at the group's end).
 *
 * inner 'fp32' (the order of a kernel that accumulates in FP32 and scales after the partial dot product,
 * docs/razer.md#data-layout): for the group's elements k = 1 … G,
 *   acc_0 = +0,   acc_k = round_fp32(acc_{k−1} + a_k·(w_k − z_g))        (a·(w − z) exact, one rounding)
 *   y ← round_out(y + s_g·acc_G)                                         (s·acc exact: a fused multiply-add)
 * The zero point and the special value are needed per element, so `z` and `sv` are read on each group's
 * first element and held for the group; `s` is read on its last. The rounding parameters (mode, overflow,
 * subnormals, tininess, NaN) govern both roundings, FP32 and output.
 *
 * Either way a NaN or infinite activation makes its group's contribution NaN (a policy: W4A16 activations
 * are finite). Each cycle takes one vector (II = 1). With exact sums only integer additions are carried
 * from one element to the next; the group's close (D, s·D, the outer addition and its rounding) runs
 * once per group and is pipelined behind them. The outer addition is the one loop across groups: it
 * reads the outer sum where it starts and writes it back where its rounding ends, so a group must
 * have at least as many elements as the addition takes cycles (`outerLoopStages`).
 */
export const mixedMac = defineGenerator({
  name: 'mixed_mac',
  family: 'mac',
  // (ip/README.md quotes this line: `bitsmith docs` must be rerun when it changes.)
  summary:
    'W4A16 MAC: 4- and 6-bit weights (INT, FP4, FP6, codebooks) × fp16/bf16 activations, exact per-group sums, group scale applied once',
  params: {
    weight: choiceParam(Object.keys(MIXED_WEIGHTS) as [MixedWeight])
      .default('uint4')
      .describe(
        'int4: symmetric signed weights; uint4: asymmetric, with a zero point z (AWQ); e2m1fn: FP4 weights; razer: RaZeR FP4 (OCP E2M1 whose -0 code is a per-group special value picked by a 2-bit `sv` input); sf4: SF4 (Student Float); fp4_range, fp4_prec2: E2M1 whose -0 code holds +8 or +5; bitmod: BitMoD mixed FP4 (E2M1 × 2 whose -0 code holds +10, −10, +16 or −16 as a 2-bit `dtype` input picks); apot4: APoT4; int6, e3m2fn, e2m3fn: 6-bit codes (docs/w4a16.md#weight-formats-of-mixed_mac).',
      ),
    specialValues: specialValuesParam()
      .optional()
      .describe(
        'razer only: the special value of each `sv` index, in E2M1 units (multiples of 0.5). Default {+5, +8, −5, −8}.',
      ),
    activation: choiceParam(['fp16', 'bf16']).default('fp16').describe('format of the activations'),
    group: intParam(1, 4096)
      .default(128)
      .describe("Elements per group: every group's partial sum is scaled once, at its last element."),
    inner: choiceParam(INNER_MODES)
      .optional()
      .describe(
        'Sum inside a group. exact (the default): Σ a·q exactly, in fixed point. fp32: each exact a·q is added into an FP32 group accumulator with one rounding per element.',
      ),
    scale: choiceParam(['fp16', 'bf16', 'fp32']).default('fp16').describe('Format of the per-group scale.'),
    outFormat: choiceParam(['fp32', 'fp16', 'bf16'])
      .default('fp32')
      .describe('Format of the outer accumulator (and the output).'),
    ...roundingParams,
  },
  latency: {
    max: 28,
    default: 1,
    description: 'Pipeline stages; the cut points, most useful first, are listed by `mixedMacCutPoints`.',
  },
  check(p, ctx) {
    checkOutputPolicy(p, ctx);
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (p.specialValues !== undefined && p.weight !== 'razer') {
      issue('specialValues', `only razer weights take special values; ${p.weight} has none`);
    }
    const points = mixedMacCutPoints(p.inner ?? 'exact', weightMagnitudeBits(p)).length;
    if (p.latency > points)
      issue(
        'latency',
        `must be at most ${points} with ${p.inner ?? 'exact'} inner sums: that is how many cut points there are`,
      );
    const closeCycles = outerLoopStages(p.latency, p.inner ?? 'exact', weightMagnitudeBits(p));
    if (p.group < closeCycles)
      issue(
        'group',
        `must be at least ${closeCycles} with latency ${p.latency}: the outer addition of a group's close takes ` +
          `${closeCycles} cycles, and the next group's close may only read the sum once it is written`,
      );
    if (p.inner === 'fp32') {
      try {
        resolvePolicy(floatFormat('fp32'), outputPolicy(p));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        issue('inner', `the fp32 inner accumulator cannot take the rounding parameters: ${message}`);
      }
    }
  },
  build(p, top): Module {
    const w = mixedWeightPorts(p.weight);
    const fa = floatFormat(p.activation);
    const fs = floatFormat(p.scale);
    const fo = floatFormat(p.outFormat);
    const policy = resolvedOutputPolicy(p);
    const early = p.inner === 'fp32';
    const svs = specialValuesOf(p);
    const m = top.module(mixedMacStem(p), recordedParams(p));
    const cut = pipelineCuts(m, p.latency, mixedMacCutPoints(p.inner ?? 'exact', weightMagnitudeBits(p)));
    const q = m.input('w', UInt(w.bits), `${p.weight} weight code`);
    const a = m.input('a', UInt(floatLayout(fa).bits), `${p.activation} activation`);
    const clear = m.input('clear', UInt(1), 'start a new sum (and a new first group) with this vector');
    const s = m.input(
      's',
      UInt(floatLayout(fs).bits),
      `${p.scale} group scale, read on the group's last element`,
    );
    const readOn = early ? "read on the group's first element" : "read on the group's last element";
    const zp = w.zeroPoint ? m.input('z', UInt(4), `uint4 zero point, ${readOn}`) : undefined;
    const sv =
      w.selector === 'sv'
        ? m.input(
            'sv',
            UInt(2),
            `RaZeR special-value index: code 0b1000 is SV[sv] of {${svs.join(', ')}}, ${readOn}`,
          )
        : w.selector === 'dtype'
          ? m.input(
              'dtype',
              UInt(2),
              `BitMoD type 0 er_pos, 1 er_neg, 2 ea_pos, 3 ea_neg (0b1000: +10, −10, +16, −16), ${readOn}`,
            )
          : undefined;
    const ua = unpackFloat(a, fa, 'a');
    const us = unpackFloat(s, fs, 's');
    const inputs: Inputs = { q, clear, us, zp, sv, ua };
    const group = early ? fp32Groups(m, cut, p, inputs) : exactGroups(m, cut, p, inputs);
    // With the 'exp_difference' cut the outer addition's exponents are compared where the outer sum is
    // unpacked, before the 'unpacked' cut (the difference's pick after it): the contribution's exponent
    // gets the outer format's bias here, so that it meets the outer sum's exponent field as it stands,
    // with no subtraction of the bias in series with the comparison.
    const x = group.contribution;
    const fieldWidth = Math.max(x.exp.width, fo.expBits + 1) + 3;
    const xField = cut.has('exp_difference')
      ? x.exp.resize(fieldWidth).add(fo.bias, { width: fieldWidth }).named('outer_add_x_field')
      : undefined;
    cut.at('scaled');

    // One rounding into the outer sum at the group's end, over as many stages as the cuts give: the
    // sum is read where the addition starts and written back where the rounding ends (outer_q), and
    // the next close comes `group` vectors later (the parameters make sure it is not sooner).
    const bits = floatLayout(fo).bits;
    const outer = m.register('outer_q', UInt(bits), { reset: 0 });
    const uo = unpackFloat(mux(group.cleared, m.constant(0, UInt(bits)), outer), fo, 'outer');
    // x.exp − uo.exp = (x.exp + bias) − field, both ways, in the width addRaw gives the difference;
    // which one is x's lead is the sign of the first, read after the cut (no comparator in series).
    const differences =
      xField === undefined
        ? undefined
        : (() => {
            const differenceWidth = Math.max(x.exp.width, uo.exp.width) + 2;
            const yField = uo.biasedExp!.zext(fieldWidth).asSigned();
            return {
              xMinusY: xField
                .sub(yField, { width: fieldWidth })
                .resize(differenceWidth)
                .named('outer_add_x_minus_y'),
              yMinusX: yField
                .sub(xField, { width: fieldWidth })
                .resize(differenceWidth)
                .named('outer_add_y_minus_x'),
            };
          })();
    cut.at('unpacked');
    const compared: ExponentComparison | undefined =
      differences === undefined
        ? undefined
        : { ...differences, xFirst: differences.xMinusY.msb().not().named('outer_add_x_first') };
    const sum = addRaw(
      group.contribution,
      { sign: uo.sign, exp: uo.exp, sig: uo.sig, isZero: uo.isZero, isInf: uo.isInf, isNaN: uo.isNaN },
      policy.rounding === 'rdown' ? 1 : 0,
      'outer_add',
      (point) => cut.at(point),
      {
        wideAdd: cut.has('half_summed')
          ? (a, b, carryIn, which) =>
              splitSum(
                a,
                b,
                carryIn,
                () => cut.at(which === 'sum' ? 'half_summed' : 'half_complemented'),
                `outer_${which}`,
              )
          : undefined,
        cutDifference: cut.has('exp_difference') ? () => cut.at('exp_difference') : undefined,
        // The significands' swap (a window-wide mux of the exponent comparison) after that cut too.
        swapAfterDifference: cut.has('exp_difference'),
        // With a cut inside the alignment shift, whether it shifts out a one is told from the smaller
        // operand's trailing zeros (counted beside the exponents' difference), not from a mask behind it.
        lostFromTrailingZeros: cut.has('half_aligned'),
        cutShift: cut.has('half_aligned') ? () => cut.at('half_aligned') : undefined,
        compared,
      },
    );
    cut.at('added');
    const normalized = normalize(
      sum,
      'outer_norm',
      (point) => cut.at(point),
      cut.has('half_counted') ? () => cut.at('half_counted') : undefined,
    );
    cut.at('normalized');
    // Normalized, the significand has no leading zero: alignToFormat only denormalizes a tiny sum.
    // The bits below the guard's neighbour count only as sticky: ORed here, beside the subnormal
    // shift's amount, so that the shift works on M + 4 bits and no wide OR lies in series with it.
    const keep = fo.mantBits + 4;
    const wide = normalized.sig.width;
    const jammed =
      wide <= keep
        ? normalized
        : {
            ...normalized,
            sig: normalized.sig.slice(wide - 1, wide - keep).named('outer_norm_kept'),
            sticky: normalized.sig
              .slice(wide - keep - 1, 0)
              .orR()
              .or(normalized.sticky ?? m.constant(0, UInt(1)))
              .named('outer_norm_sticky'),
          };
    const aligned = alignToFormat(
      { ...jammed, maxLeadingZeros: 0 },
      fo,
      policy.subnormals,
      'outer_align',
      () => cut.at('denorm_amount'),
      // The exponent's limits in LUTs and the bits the subnormal shift drops from a mask beside it:
      // no carry chain in series with the shift's amount.
      { comparesInLuts: true, lostFromMask: true },
    );
    cut.at('denormalized');
    const closed = roundPack(aligned, fo, policy, 'outer_round', (point) => cut.at(point)).code;
    // The sum after this vector, kept where it is made (y_q) for the vectors between closes.
    const held = m.register('y_q', UInt(bits), { reset: 0 });
    const outerNext = mux(group.end, closed, mux(group.clear, m.constant(0, UInt(bits)), held)).named(
      'outer_next',
    );
    held.next(outerNext);
    outer.next(outerNext, { fromLaterStage: true });
    cut.at('output');
    const summed = !early ? 's·(Σ a·q − z·Σ a)' : w.zeroPoint ? 's·(fp32 Σ a·(q − z))' : 's·(fp32 Σ a·q)';
    m.output('y', outerNext, `${p.outFormat} code: Σ over the completed groups of ${summed}`);
    return m.build();
  },
});

/**
 * A group's close: its end flag, the vector's clear, whether the group began with a clear (so that the
 * outer sum it adds to is +0), and its contribution s_g·(group sum) as a raw float.
 */
interface GroupClose {
  end: Signal;
  clear: Signal;
  cleared: Signal;
  contribution: RawFloat;
}

/**
 * The position in the group (0 after a clear); the vector at position G − 1 closes the group. `first`:
 * the vector opens a group (position 0), from a register of its own (the count wraps to 0 just after
 * a group's end) and the clear, so that the group sums' muxes do not wait for a comparison of the
 * count. `cleared`: the group began with a clear (a clear always starts a group).
 */
function groupPosition(
  m: ModuleBuilder,
  clear: Signal,
  group: number,
): { first: Signal; end: Signal; cleared: Signal } {
  const countBits = Math.max(1, unsignedBits(group - 1));
  const count = m.register('group_count_q', UInt(countBits), { reset: 0 });
  const position = mux(clear, m.constant(0, UInt(countBits)), count).named('group_position');
  const end = position.eq(group - 1).named('group_end');
  count.next(mux(end, m.constant(0, UInt(countBits)), position.add(1, { width: countBits })));
  const startQ = m.register('group_start_q', UInt(1), { reset: 1 });
  startQ.next(end);
  const first = clear.or(startQ).named('group_first');
  const clearedQ = m.register('group_cleared_q', UInt(1), { reset: 0 });
  const cleared = mux(first, clear, clearedQ).named('group_cleared');
  clearedQ.next(cleared);
  return { first, end, cleared };
}

type Cuts = ReturnType<typeof pipelineCuts<CutPoint>>;

/** Exact group sums (fixed point); s·D enters the outer sum exactly, to be rounded once. */
function exactGroups(m: ModuleBuilder, cut: Cuts, p: MixedMacParams, x: Inputs): GroupClose {
  const codes = mixedWeightCodes(p);
  const fa = floatFormat(p.activation);
  const fs = floatFormat(p.scale);
  const { ua } = x;
  // The activation as an exact signed integer of weight 2^(emin−M): its signed significand placed by
  // its exponent. The weight multiplies the few significand bits before the placing shift.
  const layout = floatLayout(fa);
  const shiftBits = unsignedBits(layout.expFieldMax);
  const placement = ua.exp
    .sub(layout.emin, { width: ua.exp.width + 1 })
    .resize(shiftBits + 1)
    .asUnsigned()
    .resize(shiftBits)
    .named('a_place');
  const sig = ua.sig.zext(ua.sig.width + 1).asSigned();
  const sigSigned = mux(ua.sign, sig.neg().resize(sig.width), sig).named('a_sig_signed');
  const aMaxUnits = (1n << BigInt(ua.sig.width + layout.expFieldMax)) - 1n;
  const aWidth = ua.sig.width + layout.expFieldMax + 1;
  // The weight as sign and magnitude, each a function of the code alone (a table in LUTs, no adder;
  // RaZeR, BitMoD: the -0 code is 0 here, its selected value comes later). The product takes the
  // significand as it is unpacked and the unsigned magnitude: nothing is negated before them.
  const weight = weightSignMagnitude(x.q, p.weight, codes);
  cut.at('looked_up');
  // A magnitude of up to 4 bits multiplies in LUTs (shifted, gated copies), a wider one (SF4's and
  // APoT4's float32 constants, 6-bit weights) in a multiplier.
  const sigTimesQ =
    weight.magnitude.width <= SHIFT_ADD_BITS
      ? shiftAddProduct(ua.sig, weight.magnitude, 'a_sig_q')
      : timesWeight(ua.sig, weight.magnitude, cut).named('a_sig_q_product');
  const productNegative = ua.sign.xor(weight.negative).named('aq_negative');
  cut.at('multiplied');
  // The signed activation is placed after that cut, beside the product.
  const aSigned = sigSigned.resize(aWidth).shl(placement).named('a_signed');
  const isSpecial = x.sv === undefined ? undefined : x.q.eq(RAZER_SPECIAL_CODE).named('w_special');

  const { first, end, cleared } = groupPosition(m, x.clear, p.group);
  const sumWidth = exactSumWidth(aMaxUnits << BigInt(weight.magnitude.width), p.group) + 1;
  const actWidth = exactSumWidth(aMaxUnits, p.group);
  // The product's sign goes on after the placing shift, as a two's complement negation split in two:
  // its ones' complement here (an XOR beside the shift's last level), and the +1 that completes it as
  // the carry-in of the group sum's adder (−x = ~x + 1), so that no carry chain negates it.
  const placed = sigTimesQ
    .zext(aWidth - 1 + weight.magnitude.width)
    .shl(placement)
    .zext(sumWidth)
    .named('aq_magnitude');
  const product = mux(productNegative, placed.not(), placed).named('aq');
  cut.at('product');

  const dot = m.register('group_dot_q', SInt(sumWidth), { reset: 0 });
  const act = m.register('group_act_q', SInt(actWidth), { reset: 0 });
  // (0 on the group's first element, else the sum so far) + product + its negation's carry: one adder,
  // the carry entering as the carry out of one extra low bit ({x, 1} + {y, carry}).
  const one = m.constant(1, UInt(1));
  const dotBase = mux(first, m.constant(0, dot.type), dot);
  const dotSum = cat(dotBase, one)
    .add(cat(product, productNegative), { width: sumWidth + 1 })
    .slice(sumWidth, 1)
    .asSigned()
    .named('group_dot');
  const actSum = mux(
    first,
    aSigned.resize(actWidth),
    act.add(aSigned.resize(actWidth), { width: actWidth }),
  ).named('group_act');
  dot.next(dotSum);
  act.next(actSum);
  // A NaN or infinite activation makes its group's contribution NaN (a policy: W4A16 activations are finite).
  const nanQ = m.register('group_nan_q', UInt(1), { reset: 0 });
  const poisoned = ua.isNaN.or(ua.isInf);
  const groupNaN = mux(first, poisoned, nanQ.or(poisoned)).named('group_nan');
  nanQ.next(groupNaN);

  // RaZeR, BitMoD: Σ a over the group's -0 codes, times its selected value at the group's end (the
  // selector read there, like s).
  let specialSum: Signal | undefined;
  if (isSpecial !== undefined) {
    const special = m.register('group_special_q', SInt(actWidth), { reset: 0 });
    const term = mux(isSpecial, aSigned, m.constant(0, aSigned.type)).resize(actWidth).named('a_special');
    specialSum = mux(first, term, special.add(term, { width: actWidth })).named('group_special');
    special.next(specialSum);
  }
  cut.at('accumulated');

  // Group close: D = Σ a·q − z·Σ a (exact), then s·D exactly, then one rounding into the outer sum.
  const svTerm =
    specialSum === undefined || x.sv === undefined
      ? undefined
      : timesSpecialValue(specialSum, x.sv, specialUnits(codes), 'special');
  // uint4: D = Σ a·q − Σ_i z_i·2^i·Σ a, the four gated copies of Σ a subtracted from Σ a·q as
  // ones' complements (−x = ~x + 1, the four +1 a constant 4) in carry-save adders: LUTs only before
  // the 'terms' cut, and after it one carry-propagating addition (no multiplier's adders in series).
  const zTerms =
    x.zp === undefined
      ? undefined
      : zeroPointTerms(dotSum, actSum, x.zp, Math.max(sumWidth, actWidth + 4) + 1);
  cut.at('terms');
  const combine = (term: SpecialTerm | undefined) => {
    if (term === undefined) return dotSum;
    const width = Math.max(sumWidth, term.multiple.width + 1) + 1;
    const multiple = term.multiple.resize(width);
    if (term.negative === undefined) return dotSum.resize(width).add(multiple);
    // D − multiple as D + ~multiple + 1: the ones' complement beside the adder, the +1 its carry in, so
    // that no carry chain negates the multiple before the addition.
    const flipped = multiple.asUnsigned().xor(cat(...Array.from({ length: width }, () => term.negative!)));
    return cat(dotSum.resize(width), one)
      .add(cat(flipped, term.negative), { width: width + 1 })
      .slice(width, 1)
      .asSigned();
  };
  const difference = (
    zTerms !== undefined ? zTerms.sum.add(zTerms.carry, { width: zTerms.sum.width }) : combine(svTerm)
  ).named('group_difference');
  cut.at('difference');
  const { negative, magnitude: groupMagnitude } = signMagnitude(difference);
  const magnitude = groupMagnitude.named('group_magnitude');
  // Zero where D is: told from D itself, beside its negation, not behind it.
  const empty = difference.orR().not().named('group_zero');
  cut.at('magnitude');
  cut.at('operands');
  const { us } = x;
  const scaled = timesScale(magnitude, us.sig, cut, 'scaled').named('scaled_sig');
  // magnitude weighs 2^(lsbA + lsbW) per unit, the scale sig 2^(es − Ms): the product's top bit:
  const lsb = layout.emin - fa.mantBits + codes.lsbExp - fs.mantBits;
  const offset = scaled.width - 1 + lsb;
  const expRange = { min: us.expRange.min + offset, max: us.expRange.max + offset };
  // Sized to its range: the outer addition's exponent comparison is no wider than it must be.
  const expWidth = Math.max(us.exp.width, signedBits(expRange.min, expRange.max)) + 1;
  const scaledExp = us.exp.resize(expWidth).add(offset, { width: expWidth }).named('scaled_exp');
  const groupSpecialNaN = groupNaN.or(us.isNaN).or(us.isInf.and(empty));
  const groupInf = us.isInf.and(groupSpecialNaN.not());
  const contribution: RawFloat = {
    sign: negative.xor(us.sign),
    exp: scaledExp,
    sig: scaled,
    isZero: empty.or(us.isZero).and(groupSpecialNaN.or(groupInf).not()),
    isInf: groupInf,
    isNaN: groupSpecialNaN,
    expRange,
  };
  return { end, clear: x.clear, cleared, contribution };
}

/** FP32 group sums, one rounding per element; s·acc enters the outer sum exactly, to be rounded once. */
function fp32Groups(m: ModuleBuilder, cut: Cuts, p: MixedMacParams, x: Inputs): GroupClose {
  const codes = mixedWeightCodes(p);
  const f32 = floatFormat('fp32');
  const innerPolicy = resolvePolicy(f32, outputPolicy(p));
  const { ua } = x;
  // The group position comes first: the per-element weight needs the group's z and sv, read on its first element.
  const { first, end, cleared } = groupPosition(m, x.clear, p.group);
  const held = (input: Signal | undefined, name: string) => {
    if (input === undefined) return undefined;
    const q = m.register(`${name}_q`, input.type, { reset: 0 });
    const value = mux(first, input, q).named(name);
    q.next(value);
    return value;
  };
  const z = held(x.zp, 'group_z');
  const sv = held(x.sv, 'group_sv');

  // w − z as a signed integer of weight 2^lsbExp, then its magnitude: a·(w − z) is exact.
  const value = weightValue(x.q, p.weight, codes, { z, sv });
  const maxAbs = Number(codes.maxMagnitude);
  const magBits = unsignedBits(maxAbs);
  const weightNegative = value.msb().named('w_negative');
  const weightMagnitude = mux(weightNegative, value.neg(), value.resize(value.width + 1))
    .asUnsigned()
    .slice(magBits - 1, 0)
    .named('w_magnitude');
  cut.at('looked_up');
  // a.sig·2^(ea − M) · |w|·2^lsbExp: the product's top bit weighs 2^(ea + magBits + lsbExp).
  const offset = magBits + codes.lsbExp;
  const expRange = { min: ua.expRange.min + offset, max: ua.expRange.max + offset };
  const expWidth = Math.max(ua.exp.width, signedBits(expRange.min, expRange.max));
  const poisoned = ua.isNaN.or(ua.isInf).named('aq_nan');
  const product: RawFloat = {
    sign: ua.sign.xor(weightNegative).named('aq_sign'),
    exp: ua.exp.resize(expWidth).add(offset, { width: expWidth }).named('aq_exp'),
    sig: timesWeight(ua.sig, weightMagnitude, cut).named('aq_sig'),
    isZero: ua.isZero.or(weightMagnitude.orR().not()).and(poisoned.not()).named('aq_zero'),
    isInf: m.constant(0, UInt(1)),
    isNaN: poisoned,
    expRange,
  };
  cut.at('product');

  // acc_k = round_fp32(acc_{k−1} + a·w), from +0 on the group's first element.
  const acc = m.register('inner_acc_q', UInt(32), { reset: 0 });
  const accIn = mux(first, m.constant(0, UInt(32)), acc).named('inner_acc');
  const ui = unpackFloat(accIn, f32, 'inner');
  const innerSum = addRaw(
    product,
    { sign: ui.sign, exp: ui.exp, sig: ui.sig, isZero: ui.isZero, isInf: ui.isInf, isNaN: ui.isNaN },
    innerPolicy.rounding === 'rdown' ? 1 : 0,
    'inner_add',
  );
  const accNext = roundPack(normalize(innerSum, 'inner_norm'), f32, innerPolicy, 'inner_round').code.named(
    'inner_acc_next',
  );
  acc.next(accNext);
  cut.at('accumulated');

  // Group close: s·acc exactly (IEEE special cases), then one rounding into the outer sum.
  const { us } = x;
  const groupSum = unpackFloat(accNext, f32, 'group_sum');
  const scaled = exactProduct(us, groupSum, 'scaled', {
    multiply: (a, b) => timesScale(b, a, cut, 'scaled'),
  });
  return { end, clear: x.clear, cleared, contribution: scaled };
}

/**
 * dot − z·act (z unsigned, 4 bits) modulo 2^width as two addends, sum + carry, from carry-save adders
 * alone: the gated copies z_i·2^i·act enter as ones' complements, and the four +1 that complete their
 * negations as a constant 4.
 */
function zeroPointTerms(dot: Signal, act: Signal, z: Signal, width: number): { sum: Signal; carry: Signal } {
  const m = dot.builder;
  const wide = act.resize(width);
  const ones = m.constant(-1, SInt(width));
  let terms: Signal[] = [dot.resize(width), m.constant(z.width, SInt(width))];
  for (let bit = 0; bit < z.width; bit++)
    terms.push(mux(z.bit(bit), wide.shl(bit).not(), ones).named(`zero_term_pp${bit}`));
  for (let level = 0; terms.length > 2; level++) {
    const next: Signal[] = [];
    let i = 0;
    for (; i + 2 < terms.length; i += 3) {
      const [a, b, c] = [terms[i]!, terms[i + 1]!, terms[i + 2]!];
      next.push(
        a
          .xor(b)
          .xor(c)
          .named(`zero_term_s${level}_${i / 3}`),
      );
      next.push(
        a
          .and(b)
          .or(a.and(c))
          .or(b.and(c))
          .shl(1)
          .named(`zero_term_c${level}_${i / 3}`),
      );
    }
    next.push(...terms.slice(i));
    terms = next;
  }
  return { sum: terms[0]!.named('zero_term_sum'), carry: terms[1]!.named('zero_term_carry') };
}

/**
 * The activation's significand times the weight's magnitude: one multiplier, or one cut in two halves
 * of the magnitude ('weight_partials') where it is wider than a DSP block's operand.
 */
function timesWeight(sig: Signal, magnitude: Signal, cut: Cuts): Signal {
  if (!cut.has('weight_partials')) return sig.mul(magnitude);
  return splitProduct(sig, magnitude, 2, () => cut.at('weight_partials'), 'a_sig_w');
}

/**
 * x times the scale's significand: one multiplier, or with the 'partials' cut inside: DSP-sized tiles
 * summed after it where x is wider than a DSP block's operand (the exact group sum), otherwise two
 * halves of the significand.
 */
function timesScale(x: Signal, scaleSig: Signal, cut: Cuts, prefix: string): Signal {
  if (!cut.has('partials')) return x.mul(scaleSig);
  return Math.max(x.width, scaleSig.width) > DSP_TILE_BITS
    ? tiledProduct(x, scaleSig, DSP_TILE_BITS, () => cut.at('partials'), prefix)
    : splitProduct(x, scaleSig, 2, () => cut.at('partials'), prefix);
}

/** The selected values of the -0 code (RaZeR, BitMoD), one per selector value, in units of the weight's LSB. */
function specialUnits(codes: WeightCodes): number[] {
  return codes.values.map((values) => Number(values[RAZER_SPECIAL_CODE]));
}

/** The code's value in units of the weight's LSB; the -0 code of a weight with a selector counts 0 here. */
function commonValues(weight: MixedWeight, codes: WeightCodes): bigint[] {
  const values = codes.values[0]!;
  if (mixedWeightPorts(weight).selector === undefined) return values;
  // Only the -0 code may differ between the selector's values: it alone is summed apart.
  values.forEach((v, code) => {
    if (code !== RAZER_SPECIAL_CODE && codes.values.some((f) => f[code] !== v))
      throw new Error(`mixed_mac: ${weight} codes other than 0b1000 differ between its group types`);
  });
  return values.map((v, code) => (code === RAZER_SPECIAL_CODE ? 0n : v));
}

/**
 * Whether the code is sign and magnitude, the sign its top bit: the magnitude is then a table of the
 * low bits alone (E2M1, FP6, APoT4; int4's magnitude is not: two's complement).
 */
function signMagnitudeLayout(values: readonly bigint[]): boolean {
  const half = values.length / 2;
  const abs = (v: bigint) => (v < 0n ? -v : v);
  return values.every(
    (v, code) => (v === 0n || v < 0n === code >= half) && abs(v) === abs(values[code % half]!),
  );
}

/**
 * The weight code's value in units of its LSB, before any zero point or special value, as a sign and an
 * unsigned magnitude, each a table of the code: uint4 is its own magnitude; a sign-magnitude code
 * (E2M1, with RaZeR's and BitMoD's -0 code counting 0) has its magnitude from a table of its low bits;
 * any other code from a table of the whole code. The sign is the top bit where every nonzero value says
 * so (int4, int6, E2M1), its inverse (SF4: codes ascending), else a table (the supernormal -0 codes).
 */
function weightSignMagnitude(
  q: Signal,
  weight: MixedWeight,
  codes: WeightCodes,
): { negative: Signal; magnitude: Signal } {
  const m = q.builder;
  if (weight === 'uint4') return { negative: m.constant(0, UInt(1)), magnitude: q };
  const values = commonValues(weight, codes);
  const abs = values.map((v) => (v < 0n ? -v : v));
  const bits = unsignedBits(abs.reduce((a, b) => (b > a ? b : a), 0n));
  const lowBits = q.width - 1;
  const magnitude = signMagnitudeLayout(values)
    ? select(
        q.slice(lowBits - 1, 0),
        abs.slice(0, 2 ** lowBits).map((v) => m.constant(v, UInt(bits))),
      )
    : select(
        q,
        abs.map((v) => m.constant(v, UInt(bits))),
      );
  const top = (code: number) => code >= 2 ** lowBits;
  const nonzero = values.flatMap((v, code) => (v === 0n ? [] : [{ negative: v < 0n, code }]));
  const negative = nonzero.every((c) => c.negative === top(c.code))
    ? q.bit(lowBits)
    : nonzero.every((c) => c.negative !== top(c.code))
      ? q.bit(lowBits).not().named('w_negative')
      : select(
          q,
          values.map((v) => m.constant(v < 0n ? 1 : 0, UInt(1))),
        ).named('w_negative');
  return { negative, magnitude: magnitude.named('w_magnitude') };
}

/**
 * The weight code's value as a signed integer multiple of its LSB. The -0 code of RaZeR and BitMoD is 0
 * unless the group's selector is given (then its selected value); with a zero point given, the value is
 * q − z.
 */
function weightValue(
  q: Signal,
  weight: MixedWeight,
  codes: WeightCodes,
  group: { z?: Signal | undefined; sv?: Signal | undefined } = {},
): Signal {
  const m = q.builder;
  if (weight === 'int4') return q.asSigned();
  if (weight === 'uint4') {
    const unsigned = q.zext(5).asSigned();
    return group.z === undefined
      ? unsigned
      : unsigned.sub(group.z.zext(5).asSigned(), { width: 5 }).named('w_value');
  }
  const values = commonValues(weight, codes);
  if (!signMagnitudeLayout(values)) {
    const width = signedBits(
      values.reduce((a, b) => (b < a ? b : a), 0n),
      values.reduce((a, b) => (b > a ? b : a), 0n),
    );
    return select(
      q,
      values.map((v) => m.constant(v, SInt(width))),
    ).named('w_value');
  }
  // Sign and magnitude (E2M1 in units of 0.5: magnitudes 0, 1, 2, 3, 4, 6, 8, 12 for codes 0..7, sign in bit 3).
  const lowBits = q.width - 1;
  const magnitudes = values.slice(0, 2 ** lowBits);
  const width = Math.max(5, unsignedBits(magnitudes.reduce((a, b) => (b > a ? b : a), 0n)) + 1);
  const magnitude = select(
    q.slice(lowBits - 1, 0),
    magnitudes.map((v) => m.constant(v, SInt(width))),
  );
  const signed = mux(q.bit(lowBits), magnitude.neg().resize(width), magnitude);
  if (group.sv === undefined) return signed.named('w_value');
  const units = specialUnits(codes);
  const valueWidth = Math.max(width, signedBits(Math.min(...units), Math.max(...units)));
  const special = select(
    group.sv,
    units.map((u) => m.constant(u, SInt(valueWidth))),
  ).named('w_special_value');
  return mux(q.eq(RAZER_SPECIAL_CODE), special, signed.resize(valueWidth)).named('w_value');
}

/** x times a special value: the multiple of its magnitude, and whether it is to be subtracted (if any can be). */
interface SpecialTerm {
  multiple: Signal;
  negative?: Signal;
}

/**
 * x · SV[index] for constant special values (in weight units): one shift-and-add multiple per distinct
 * magnitude and a select by the index; the sign of a negative one is applied where the term is added.
 */
function timesSpecialValue(x: Signal, index: Signal, units: readonly number[], prefix: string): SpecialTerm {
  const maxAbs = Math.max(1, ...units.map(Math.abs));
  const width = x.width + unsignedBits(maxAbs);
  const multiples = new Map<number, Signal>();
  for (const u of units) {
    const k = Math.abs(u);
    if (!multiples.has(k)) multiples.set(k, timesConstant(x, k, width).named(`${prefix}_x${k}`));
  }
  const magnitude = select(
    index,
    units.map((u) => multiples.get(Math.abs(u))!),
  ).named(`${prefix}_multiple`);
  const negativeIndexes = units.flatMap((u, i) => (u < 0 ? [i] : []));
  if (negativeIndexes.length === 0) return { multiple: magnitude };
  const negative = negativeIndexes
    .map((i) => index.eq(i))
    .reduce((acc, e) => acc.or(e))
    .named(`sv_negative`);
  return { multiple: magnitude, negative };
}

/** x · k for a constant k ≥ 0 as a sum of shifted copies (canonical signed digits), `width` bits signed. */
function timesConstant(x: Signal, k: number, width: number): Signal {
  const m = x.builder;
  const wide = x.resize(width);
  let sum: Signal | undefined;
  let rest = BigInt(k);
  for (let bit = 0; rest !== 0n; bit++, rest >>= 1n) {
    if ((rest & 1n) === 0n) continue;
    // Canonical signed digit: …11 becomes +100…−1.
    const digit = (rest & 3n) === 3n ? -1 : 1;
    if (digit === -1) rest += 1n;
    const term = wide.shl(bit);
    sum =
      sum === undefined
        ? digit === 1
          ? term
          : m.constant(0, SInt(width)).sub(term, { width })
        : digit === 1
          ? sum.add(term, { width })
          : sum.sub(term, { width });
  }
  return sum ?? m.constant(0, SInt(width));
}
