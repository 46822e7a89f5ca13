import { alignDecisions, alignSignificand, type AlignDecisions, type AlignOptions } from '../arith/align.ts';
import { normalize } from '../arith/normalize.ts';
import type { NormalizedFloat } from '../arith/raw-float.ts';
import { roundPack } from '../arith/round.ts';
import {
  checkOutputPolicy,
  floatFormat,
  policyTag,
  resolvedOutputPolicy,
  roundingParams,
} from '../float-params.ts';
import {
  decode,
  formatBits,
  formatByName,
  negate,
  RAZER_SPECIAL_VALUES,
  sameValue,
  type FloatFormat,
  type Format,
  type IntFormat,
  type ResolvedPolicy,
} from '../formats/index.ts';
import type { Module } from '../hdl/ir.ts';
import { defineGenerator, type GeneratorParams } from '../define.ts';
import { boolParam, choiceParam, intParam } from '../generator.ts';
import { cat, select, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
import { numberTag } from '../naming.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';
import { specialValuesParam } from '../special-values-param.ts';
import {
  codebookEntries,
  decodeIntMinusFixed,
  decodeIntMinusInt,
  decodeScalar,
  decodeTable,
  fixedZeroPoint,
  type DecodedValue,
} from './element-decode.ts';
import {
  defaultScale,
  ELEMENT_NAMES,
  ELEMENTS,
  elementSpec,
  SCALE_NAMES,
  ZERO_POINT_NAMES,
  type ElementSpec,
  type ScaleName,
  type ZeroPointName,
} from './elements.ts';
import { exactSum } from './float-add.ts';
import { floatFields, fromFields, laneStage, type Fields } from './stage-modules.ts';
import { laneGroupSize, laneSlots, PACKINGS, type Packing } from './lane-slots.ts';
import { exactProduct, negated } from './product.ts';
import {
  scaleCodes,
  sharedExponentLanes,
  sharedExponentPlan,
  type ScaleCodes,
  type SharedExponentPlan,
} from './shared-exponent.ts';

/**
 * How a zero point enters (docs/w4a16.md#zero-point). sub-mul: (q − z)·s, rounded once (AWQ reference,
 * AutoAWQ `(iweight − izeros) * scales`). fma: q·s + zs with zs = round(−s·z) and one rounding of the sum
 * (TinyChat's precomputed scaled zeros and `__hfma2`). mul-add: round(round(q·s) + zs) (no FMA).
 */
export const ORDERS = ['sub-mul', 'fma', 'mul-add'] as const;
export type Order = (typeof ORDERS)[number];

/**
 * The dequantizer's cut points, by priority (generators/dequant/README.md#pipeline): after the scale
 * product, after decoding, before the rounding, between the alignment's exponent decisions and its
 * significand shift, between the rounding increment and its addition, halfway through the scale
 * product, halfway through the block × tensor scale product, inside the tensor scale's decoding
 * (between a subnormal's leading-zero count and its shift), between a table's entries and the lanes'
 * selection, before the block × tensor scale product, at the output. Scale cuts without a tensor
 * scale sit before any other work.
 */
export const DEQUANT_CUTS = [
  'product',
  'decode',
  'round',
  'denorm',
  'increment',
  'partial',
  'scale',
  'tensor',
  'select',
  'scales',
  'output',
] as const;

/** The alignment's exponent comparisons in LUTs and its lost bits from a mask (shorter paths on ECP5). */
const ALIGN_OPTIONS: AlignOptions = { comparesInLuts: true, lostFromMask: true };

export const OUT_FORMATS = ['fp16', 'bf16', 'fp32'] as const;
export const ARCHITECTURES = ['auto', 'lanes', 'table', 'shared-exponent'] as const;

export type DequantParams = GeneratorParams<typeof dequant>;

/** Parameters with their format-dependent defaults filled in. */
export interface ResolvedDequant {
  element: ElementSpec;
  scale: ScaleName;
  zeroPoint: ZeroPointName;
  order: Order;
  packing: Packing;
  wordBits: number;
  slotBits: number;
  groupSize: number;
  specialValues: readonly number[];
}

export function resolveDequant(p: DequantParams): ResolvedDequant {
  const element = elementSpec(p.format);
  const wordBits = p.wordBits ?? p.lanes * element.bits;
  return {
    element,
    scale: p.scale ?? defaultScale(element),
    zeroPoint: p.zeroPoint,
    order: p.order,
    packing: p.packing,
    wordBits,
    slotBits: wordBits / p.lanes,
    groupSize: p.groupSize ?? element.block?.size ?? 128,
    specialValues: p.specialValues ?? RAZER_SPECIAL_VALUES,
  };
}

const ARCHITECTURE_TAGS: Record<(typeof ARCHITECTURES)[number], string> = {
  auto: '',
  lanes: 'lanes',
  table: 'tbl',
  'shared-exponent': 'sexp',
};

const SCALE_TAGS: Record<ScaleName, string> = {
  fp16: 'fp16',
  bf16: 'bf16',
  fp32: 'fp32',
  e8m0fnu: 'e8m0',
  e4m3fn: 'e4m3',
  none: 'noscale',
};

/** The module name before its timing tag: format, scale, zero point, packing, lanes, policy. */
function dequantStem(p: DequantParams): string {
  const r = resolveDequant(p);
  const defaultSvs = r.specialValues.every((v, i) => v === RAZER_SPECIAL_VALUES[i]);
  return (
    `dequant_${p.format}` +
    (r.element.specialValues && !defaultSvs ? `_sv${r.specialValues.map(numberTag).join('_')}` : '') +
    `_${SCALE_TAGS[r.scale]}` +
    (p.tensorScale ? '_ts' : '') +
    (r.zeroPoint !== 'none' ? `_z${r.zeroPoint}` : '') +
    (r.order !== 'sub-mul' ? `_${r.order.replace('-', '')}` : '') +
    (r.packing === 'awq' ? '_awq' : '') +
    `_${p.outFormat}_x${p.lanes}` +
    (r.wordBits !== p.lanes * r.element.bits ? `_w${r.wordBits}` : '') +
    (p.architecture !== 'auto' ? `_${ARCHITECTURE_TAGS[p.architecture]}` : '') +
    policyTag(p)
  );
}

/**
 * Lane-parallel dequantizer: one packed word of quantized codes and its group's scale (zero point,
 * selector, tensor scale) per cycle; every lane decodes its code exactly, multiplies by the scale
 * exactly and rounds once into the output format (or twice/three times where the operation order
 * says so). Work that depends on the group alone — scale decoding, the tensor-scale product, the
 * scaled zero point, a codebook's selected entries — is done once per word and shared by the lanes.
 */
export const dequant = defineGenerator({
  name: 'dequant',
  family: 'dequant',
  summary:
    'lane-parallel dequantizer: INT, FP4/6/8, NF4/SF4, RaZeR, BitMoD, MX and NVFP4 codes × group scale → fp16/bf16/fp32, II = 1',
  params: {
    format: choiceParam(ELEMENT_NAMES)
      .default('int4')
      .describe(
        'Element format: a scalar format, a per-group codebook family (razer_*, bitmod_*_mixed) or a block format (mx*, nvfp4).',
      ),
    lanes: intParam(1, 64).default(8).describe('Elements per packed word, all converted in one cycle.'),
    wordBits: intParam(1, 4096)
      .optional()
      .describe(
        "Width of the packed word; default lanes × element bits. Each lane's code sits in the low bits of its slot.",
      ),
    packing: choiceParam(PACKINGS)
      .default('sequential')
      .describe(
        "sequential: lane j in slot j (GPTQ, RaZeR, MX, NVFP4). awq: AutoAWQ's interleave within each 32-bit word.",
      ),
    scale: choiceParam(SCALE_NAMES)
      .optional()
      .describe(
        "Per-group scale format; default the block format's own (e8m0fnu for MX, e4m3fn for NVFP4), else fp16.",
      ),
    tensorScale: boolParam().default(false).describe('NVFP4 only: a second, per-tensor FP32 scale input.'),
    zeroPoint: choiceParam(ZERO_POINT_NAMES)
      .default('none')
      .describe("Zero point of an asymmetric integer format; 'none' for symmetric quantization."),
    order: choiceParam(ORDERS)
      .default('sub-mul')
      .describe('Operation order with a zero point (see ORDERS); default (q − z)·s with one rounding.'),
    specialValues: specialValuesParam()
      .optional()
      .describe('RaZeR only: the special value of each `sv` index, in E2M1 units. Default {+5, +8, −5, −8}.'),
    groupSize: intParam(1, 1 << 20)
      .optional()
      .describe(
        'Elements per scale (group or block); lanes must divide it. Default: the block size, else 128.',
      ),
    architecture: choiceParam(ARCHITECTURES)
      .default('auto')
      .describe(
        'lanes: every lane decodes, scales and rounds its own code. table: every possible code is converted once per word and each lane selects its entry (pays off when codes are few and lanes many, or the scale is a power of two or absent). shared-exponent: MX blocks on a shared exponent grid (from 4 lanes). auto: shared-exponent where it applies and lanes ≥ 4, else the cheaper of lanes and table by a simple rule.',
      ),
    outFormat: choiceParam(OUT_FORMATS).default('fp16').describe('format of the dequantized values'),
    ...roundingParams,
  },
  latency: {
    max: DEQUANT_CUTS.length,
    default: 1,
    description:
      'Stage cuts, in order of use: after the scale product, after decoding, before the rounding, between the alignment to the output format and its subnormal shift, between the rounding increment and its addition, halfway through the scale product, halfway through the block scale × tensor scale product, inside the tensor scale decoding (both before any other work where there is no tensor scale), between the table entries and the lane selection, before the block scale × tensor scale product, at the output.',
  },
  check(p, ctx) {
    checkOutputPolicy(p, ctx);
    let valid = true;
    const issue = (path: string, message: string) => {
      valid = false;
      ctx.addIssue({ code: 'custom', path: [path], message });
    };
    const element = elementSpec(p.format);
    const scale = p.scale ?? defaultScale(element);
    if (element.block !== undefined && scale !== element.block.scale) {
      issue(
        'scale',
        `${p.format} blocks carry ${element.block.scale} scales; use scale ${element.block.scale} (or leave it out)`,
      );
    }
    if (p.tensorScale && element.block?.tensorScale !== true) {
      issue('tensorScale', `only nvfp4 has a per-tensor FP32 scale; ${p.format} has none`);
    }
    if (p.zeroPoint !== 'none' && !element.zeroPoint) {
      const allowed = ELEMENTS.filter((e) => e.zeroPoint).map((e) => e.name);
      issue(
        'zeroPoint',
        `${p.format} is a symmetric format; a zero point applies to the integer formats ${allowed.join(', ')} (or use none)`,
      );
    }
    if (p.order !== 'sub-mul' && (p.zeroPoint === 'none' || scale === 'none')) {
      issue(
        'order',
        `order '${p.order}' adds the scaled zero point −s·z: it needs a zero point and a scale; use sub-mul`,
      );
    }
    if (p.specialValues !== undefined && !element.specialValues) {
      issue('specialValues', `only razer_ocp and razer_kernel take special values; ${p.format} has none`);
    }
    const wordBits = p.wordBits ?? p.lanes * element.bits;
    if (wordBits % p.lanes !== 0) {
      const divisors = Array.from({ length: Math.min(64, wordBits) }, (_, i) => i + 1).filter(
        (d) => wordBits % d === 0,
      );
      issue(
        'lanes',
        `${p.lanes} lanes do not divide the ${wordBits}-bit packed word (wordBits); allowed: ${divisors.join(', ')}`,
      );
    } else if (wordBits / p.lanes < element.bits) {
      issue(
        'wordBits',
        `a ${wordBits}-bit word of ${p.lanes} lanes has ${wordBits / p.lanes}-bit slots, too narrow for ` +
          `${element.bits}-bit ${p.format} codes; use at least ${p.lanes * element.bits}`,
      );
    }
    if (p.packing === 'awq') {
      if (element.bits !== 4 || wordBits !== p.lanes * 4) {
        issue(
          'packing',
          `awq interleaves eight 4-bit codes per 32-bit word; ${p.format} slots are not 4 bits`,
        );
      } else if (p.lanes % 8 !== 0) {
        issue('lanes', `packing awq interleaves 8 codes per 32-bit word: lanes must be a multiple of 8`);
      }
    }
    const groupSize = p.groupSize ?? element.block?.size ?? 128;
    if (element.block !== undefined && groupSize !== element.block.size) {
      issue('groupSize', `${p.format} blocks hold ${element.block.size} elements`);
    } else if (groupSize % p.lanes !== 0) {
      issue(
        'lanes',
        `a word's lanes share one scale, so they must lie in one group: ${p.lanes} lanes do not divide ` +
          `${element.block === undefined ? 'groupSize' : `the ${p.format} block of`} ${groupSize}`,
      );
    }
    if (valid && p.architecture === 'shared-exponent') {
      let plan: ArchitecturePlan | undefined;
      try {
        plan = architecturePlan(p, resolveDequant(p), resolvedOutputPolicy(p));
      } catch {
        plan = undefined; // an invalid output policy was reported above
      }
      if (plan !== undefined && plan.kind !== 'shared-exponent') {
        issue(
          'architecture',
          'shared-exponent needs an e8m0fnu scale without zero point, tensor scale or selector, an element ' +
            'without NaN or Inf, at most 4 element exponents and a significand no wider than the output; ' +
            'use auto, lanes or table',
        );
      }
    }
  },
  build(p, top): Module {
    const r = resolveDequant(p);
    const { element } = r;
    const out = floatFormat(p.outFormat);
    const policy = resolvedOutputPolicy(p);
    const zeroSign = policy.rounding === 'rdown' ? 1 : 0;
    const m = top.module(dequantStem(p));
    const cut = pipelineCuts(m, p.latency, DEQUANT_CUTS);
    const slots = laneSlots(p.lanes, r.packing);

    // ---- Ports
    const word = m.input(
      'q',
      UInt(r.wordBits),
      `${p.lanes} ${p.format} codes, ${r.packing} packing: lane j in slot ${r.packing === 'awq' ? 'AWQ_REVERSE_ORDER[j mod 8] + 8·⌊j/8⌋' : 'j'}, slot i at bits [${r.slotBits}·i + ${element.bits - 1} : ${r.slotBits}·i]`,
    );
    const scaleInput =
      r.scale === 'none'
        ? undefined
        : m.input('scale', UInt(formatBitsOf(r.scale)), `${r.scale} scale of the word's group`);
    const tensorInput = p.tensorScale
      ? m.input('tensor_scale', UInt(32), 'fp32 per-tensor scale')
      : undefined;
    const zeroInput =
      r.zeroPoint === 'none'
        ? undefined
        : m.input('zero', UInt(formatBitsOf(r.zeroPoint)), `${r.zeroPoint} zero point of the word's group`);
    const selector =
      element.selector === undefined
        ? undefined
        : m.input(element.selector.port, UInt(2), element.selector.doc);

    // ---- Per word: the scale (block scale × tensor scale), the codebook's selected entries, the zero point
    const plan = architecturePlan(p, r, policy);
    // A table without a tensor scale has no scale product to cut: its 'scale' cut (the earlier one)
    // goes between the entries and the lanes' selection, and its 'select' cut before any other work.
    const tableSwap = (point: 'scale' | 'select') =>
      plan.kind === 'table' && tensorInput === undefined ? (point === 'scale' ? 'select' : 'scale') : point;
    // Lanes that decode a plain code (no tensor scale, zero point or codebook) under a power-of-two
    // scale (or none) take their 'scale' cut inside the element decoding, between the leading-zero
    // count and the normalizing shift. (A float scale's own decoding is the longer path there: the
    // cut stays after it.)
    const innerDecode =
      cut.has('scale') &&
      (r.scale === 'e8m0fnu' || r.scale === 'none') &&
      plan.kind === 'lanes' &&
      tensorInput === undefined &&
      zeroInput === undefined &&
      selector === undefined &&
      element.format.kind !== 'codebook';
    // Lanes that subtract an integer zero point (no tensor scale) take their 'scale' cut inside the
    // element decoding too, between the difference q − z and its normalization: the scale's decoding
    // and the difference share the first stage.
    const innerDiff =
      cut.has('scale') &&
      plan.kind === 'lanes' &&
      tensorInput === undefined &&
      selector === undefined &&
      zeroInput !== undefined &&
      r.order === 'sub-mul' &&
      r.zeroPoint !== 'fp16' &&
      element.format.kind === 'int';
    const innerCut = innerDecode || innerDiff;
    // A table of one codebook's constants multiplies each entry by the scale as a constant multiplier;
    // without a tensor scale its 'select' cut (#9, else before any other work) goes inside that
    // multiplier, between its lookups and their additions.
    const constantEntries =
      plan.kind === 'table' && element.format.kind === 'codebook' && selector === undefined;
    const lookupCut =
      constantEntries && tensorInput === undefined && scaleInput !== undefined && cut.has('select');
    // (The shared-exponent lanes read the scale's code itself.)
    let scale: DecodedValue | undefined =
      scaleInput === undefined || plan.kind === 'shared-exponent'
        ? undefined
        : decodeScalar(
            scaleInput,
            formatByName(r.scale),
            'scale',
            // Without a tensor scale, the 'tensor' cut goes inside the block scale's decoding.
            tensorInput === undefined ? () => cut.at('tensor') : undefined,
          );
    if (tensorInput !== undefined) {
      const tensor = decodeScalar(tensorInput, formatByName('fp32'), 'tensor', () => cut.at('tensor'));
      // The 'scales' cut after the tensor scale's normalizing shift, before the product; the 'scale'
      // cut halfway through the product (its last addition and normalization share a stage with the
      // lanes' decoding).
      cut.at('scales');
      const product = exactProduct(scale!, tensor, 'scales', () => cut.at('scale'));
      scale = normalize(product, 'scales_norm');
    } else {
      if (!innerCut && !lookupCut) cut.at(tableSwap('scale'));
      if (scale === undefined) cut.at('tensor');
      cut.at('scales');
    }
    const fixedZero =
      zeroInput !== undefined && r.zeroPoint === 'fp16' && r.order === 'sub-mul'
        ? fixedZeroPoint(zeroInput, formatByName('fp16') as FloatFormat, 'zero')
        : undefined;
    // fma and mul-add: the scaled zero point zs = round(−s·z) in the output format, once per word.
    let scaledZero: DecodedValue | undefined;
    if (zeroInput !== undefined && r.order !== 'sub-mul') {
      const z = decodeScalar(zeroInput, formatByName(r.zeroPoint), 'zero');
      const zs = roundPack(
        normalize(exactProduct(scale!, negated(z), 'zs_prod'), 'zs_prod_norm'),
        out,
        policy,
        'zs_round',
      ).code.named('scaled_zero');
      scaledZero = decodeScalar(zs, out, 'zs');
    }

    // ---- lanes: every lane converts its own code; table: every possible code once per word, and each
    // lane selects its code's entry. Each step is a module instantiated per lane (or entry).
    const convertCodes = (plan: Exclude<ArchitecturePlan, { kind: 'shared-exponent' }>): Signal[] => {
      const items: Fields[] =
        plan.kind === 'table'
          ? Array.from({ length: plan.entries }, (_, c) => ({ code: m.constant(c, UInt(element.bits)) }))
          : sliceCodes().map((code) => ({ code }));
      const subtractsZero = zeroInput !== undefined && r.order === 'sub-mul';
      const decodeShared: Fields = {
        ...(selector !== undefined ? { sel: selector } : {}),
        ...(subtractsZero && fixedZero === undefined ? { zero: zeroInput } : {}),
        ...(fixedZero === undefined
          ? {}
          : {
              zfixed: fixedZero.fixed,
              znan: fixedZero.isNaN,
              zinf: fixedZero.isInf,
              zsign: fixedZero.sign,
              znegzero: fixedZero.isNegativeZero,
            }),
      };
      const decoded = laneStage(
        m,
        'decode',
        items,
        decodeShared,
        (x) => {
          const code = x.code!;
          if (element.format.kind === 'codebook') {
            const candidates = element.selector?.candidates(r.specialValues) ?? [element.format];
            return floatFields(
              '',
              decodeTable(code, codebookEntries(code.builder, candidates, x.sel, 'cb'), 'd'),
            );
          }
          const q = element.format as IntFormat;
          if (subtractsZero && fixedZero !== undefined) {
            const zero = { ...fixedZero, fixed: x.zfixed!, isNaN: x.znan!, isInf: x.zinf!, sign: x.zsign! };
            return floatFields(
              '',
              decodeIntMinusFixed(code, q, { ...zero, isNegativeZero: x.znegzero! }, zeroSign, 'd'),
            );
          }
          if (subtractsZero)
            return floatFields(
              '',
              decodeIntMinusInt(
                code,
                q,
                x.zero!,
                formatByName(r.zeroPoint) as IntFormat,
                zeroSign,
                'd',
                innerDiff ? () => code.builder.stage() : undefined,
              ),
            );
          return floatFields(
            '',
            decodeScalar(code, element.format, 'd', innerDecode ? () => code.builder.stage() : undefined),
          );
        },
        innerCut ? { enable: p.ready !== false } : undefined,
      );
      if (innerCut) cut.at('scale');
      cut.at('decode');

      // ---- Scale (exact), then round once (or add the scaled zero point first)
      let leadingZeros = 0;
      // With the 'partial' cut the scale module is pipelined halfway through its product.
      const partialCut = cut.has('partial') && scale !== undefined;
      const products =
        scale === undefined
          ? decoded
          : laneStage(
              m,
              'scale',
              decoded,
              floatFields('s_', scale),
              (x) => {
                const product = exactProduct(
                  fromFields('', x),
                  fromFields('s_', x),
                  'p',
                  () => {
                    if (partialCut) x.sign!.builder.stage();
                  },
                  constantEntries,
                  lookupCut ? () => x.sign!.builder.stage() : undefined,
                );
                leadingZeros = product.maxLeadingZeros ?? 0;
                return floatFields('', product);
              },
              partialCut ? { enable: p.ready !== false } : undefined,
            );
      if (lookupCut) cut.at('select');
      cut.at('partial');
      cut.at('product');
      const flips = plan.kind === 'table' && plan.symmetric;
      // The value before its one rounding: a product (at most one leading zero) aligned to the output
      // format, its subnormal shift decided from the exponent; or the sum with the scaled zero point.
      // The rounding follows in a stage of its own ('round' cut).
      let aligned: Pick<NormalizedFloat, 'expBias' | 'expRange' | 'alignedEmin'> = {};
      const alignedFields = (value: NormalizedFloat): Fields => {
        aligned = { expBias: value.expBias, expRange: value.expRange, alignedEmin: value.alignedEmin };
        return { ...floatFields('', value), ...(value.sticky === undefined ? {} : { sticky: value.sticky }) };
      };
      let values: Fields[];
      if (scaledZero === undefined) {
        // A product: what the exponent decides (field, subnormal shift) first, the significand's shift
        // after the 'denorm' cut.
        let decided: AlignDecisions | undefined;
        const decisions = laneStage(m, 'align', products, {}, (x) => {
          const product = { ...fromFields('', x), maxLeadingZeros: leadingZeros };
          decided = alignDecisions(product, out, policy.subnormals, 'n', ALIGN_OPTIONS);
          return {
            ...x,
            base: decided.biased,
            ...(decided.low === undefined ? {} : { low: decided.low }),
            ...(decided.belowEmin === undefined ? {} : { below: decided.belowEmin }),
            ...(decided.shift === undefined ? {} : { shift: decided.shift }),
          };
        });
        cut.at('denorm');
        values = laneStage(m, 'denorm', decisions, {}, (x) => {
          const raw = { ...fromFields('', x), maxLeadingZeros: leadingZeros };
          return alignedFields(
            alignSignificand({
              ...decided!,
              raw,
              biased: x.base!,
              ...(x.low === undefined ? {} : { low: x.low }),
              ...(x.below === undefined ? {} : { belowEmin: x.below }),
              ...(x.shift === undefined ? {} : { shift: x.shift }),
            }),
          );
        });
      } else {
        // The sum with the scaled zero point (its own normalization); the 'denorm' cut follows it.
        values = laneStage(m, 'align', products, floatFields('z_', scaledZero), (x) => {
          let value = normalize({ ...fromFields('', x), maxLeadingZeros: leadingZeros }, 'n');
          if (r.order === 'mul-add')
            value = decodeScalar(roundPack(value, out, policy, 'qs_round').code.named('qs'), out, 'qs');
          value = normalize(exactSum(value, fromFields('z_', x), zeroSign, 'sum'), 'sum_norm');
          return alignedFields(value);
        });
        cut.at('denorm');
      }
      cut.at('round');
      // With the 'increment' cut the rounding module is pipelined: the increment is decided (and the
      // overflow, from the unrounded magnitude) before the cut, the addition that applies it after.
      const incrementCut = cut.has('increment');
      const converted = laneStage(
        m,
        'round',
        values,
        {},
        (x) => {
          const value: NormalizedFloat = {
            ...fromFields('', x),
            ...(x.sticky === undefined ? {} : { sticky: x.sticky }),
            ...aligned,
          };
          const code = roundPack(value, out, policy, 'out', () => {
            if (incrementCut) value.sign.builder.stage();
          }).code;
          const fields: Fields = { code };
          if (flips) fields.nan = value.isNaN;
          return fields;
        },
        incrementCut ? { enable: p.ready !== false } : undefined,
      );
      cut.at('increment');
      cut.at(tableSwap('select'));
      if (plan.kind === 'lanes') return converted.map((c, lane) => c.code!.named(`w${lane}`));
      // Table: each lane picks its code's entry; sign-symmetric tables hold magnitudes, the code's sign
      // bit flips the result's (a NaN keeps its canonical sign).
      const entries: Fields = Object.fromEntries(
        converted.flatMap((c, i) => [
          [`e${i}`, c.code!.named(`e${i}_w`)],
          ...(flips ? [[`e${i}_nan`, c.nan!]] : []),
        ]),
      );
      const group = laneGroupSize(slots);
      const selectLane = (x: Fields, code: Signal): Signal => {
        const list = converted.map((_, i) => x[`e${i}`]!);
        if (!flips) return select(code, list);
        const index = code.slice(element.bits - 2, 0);
        const entry = select(index, list);
        const isNaN = select(
          index,
          converted.map((_, i) => x[`e${i}_nan`]!),
        );
        const flip = code.msb().and(isNaN.not());
        return entry.xor(cat(flip, code.builder.constant(0, UInt(entry.width - 1))));
      };
      const selected = laneStage(
        m,
        `select${group}`,
        Array.from({ length: p.lanes / group }, (_, g) => ({
          codes: word.slice(r.slotBits * group * (g + 1) - 1, r.slotBits * group * g),
        })),
        entries,
        (x) => {
          const ws = Array.from({ length: group }, (_, j) => {
            const slot = slots[j]! % group;
            return selectLane(
              x,
              x.codes!.slice(r.slotBits * slot + element.bits - 1, r.slotBits * slot),
            ).named(`w${j}`);
          });
          return { w: cat(...ws.reverse()) };
        },
      );
      return selected.map((s, g) => s.w!.named(`w_group${g}`));
    };
    // ---- The codes to convert: each lane's, or (table) every possible code once per word
    // (Sliced where first used: codes that wait in pipeline registers wait as part of the word.)
    const sliceCodes = () =>
      slots.map((slot, lane) =>
        word.slice(slot * r.slotBits + element.bits - 1, slot * r.slotBits).named(`code${lane}`),
      );
    let results: Signal[];
    if (plan.kind === 'shared-exponent') {
      results = sharedExponentLanes(
        m,
        plan.plan,
        element.bits,
        { word, slots, slotBits: r.slotBits },
        { code: scaleInput!, codes: plan.scale },
        out,
        policy,
        { after: () => cut.at('product'), lane: cut.has('decode'), enable: p.ready !== false },
      );
      cut.at('decode'); // (inside each lane: between its exponent's field and case and the mantissa ROM)
      cut.at('denorm'); // (no alignment or rounding step of its own: more registers before the output)
      cut.at('round');
      cut.at('increment');
      cut.at('partial');
      cut.at('select');
    } else {
      results = convertCodes(plan);
    }
    cut.at('output');
    m.output(
      'w',
      cat(...[...results].reverse()),
      `${p.lanes} ${p.outFormat} values in element order: lane j at bits [${out.expBits + out.mantBits + 1}·j + ${out.expBits + out.mantBits} : ${out.expBits + out.mantBits + 1}·j]`,
    );
    return m.build();
  },
});

/** How the lanes are built: per lane, from a per-word table of every code's result, or from per-exponent outcomes. */
export type ArchitecturePlan =
  | { kind: 'lanes' }
  | { kind: 'table'; entries: number; symmetric: boolean }
  | { kind: 'shared-exponent'; plan: SharedExponentPlan; scale: ScaleCodes };

/** The fewest lanes for which `auto` takes the shared-exponent architecture where it applies. */
export const SHARED_EXPONENT_LANES = 4;

export function architecturePlan(
  p: DequantParams,
  r: ResolvedDequant,
  policy: ResolvedPolicy,
): ArchitecturePlan {
  const candidates = r.element.selector?.candidates(r.specialValues) ?? [r.element.format];
  // Sign-magnitude codes under a rounding that treats ±x alike: the table holds magnitudes only.
  const symmetric = ['rne', 'rna', 'rnz', 'rtz'].includes(policy.rounding) && candidates.every(signMagnitude);
  const entries = 2 ** (r.element.bits - (symmetric ? 1 : 0));
  const sharedExponent = () => {
    if (r.scale !== 'e8m0fnu' || r.zeroPoint !== 'none' || p.tensorScale || r.element.selector !== undefined)
      return undefined;
    const format = r.element.format;
    const scaleFormat = formatByName(r.scale);
    const scale = scaleCodes(formatBits(scaleFormat), (code) => decodeScalar(code, scaleFormat, 'x'));
    if (scale === undefined) return undefined;
    const plan = sharedExponentPlan(
      r.element.bits,
      (code) =>
        format.kind === 'codebook'
          ? decodeTable(code, codebookEntries(code.builder, [format]), 'x')
          : decodeScalar(code, format, 'x'),
      floatFormat(p.outFormat),
      policy,
    );
    return plan === undefined ? undefined : { plan, scale };
  };
  // The shared exponent's tables pay off from a few lanes on; below, each lane's own exponent add and
  // clamp is smaller (MXFP4 → fp16, xc7: 1 lane 64 against 86 LUTs, 2 lanes 127 against 152; 4 lanes
  // 284 against 273).
  if (
    p.architecture === 'shared-exponent' ||
    (p.architecture === 'auto' && p.lanes >= SHARED_EXPONENT_LANES)
  ) {
    const shared = sharedExponent();
    if (shared !== undefined) return { kind: 'shared-exponent', ...shared };
  }
  let kind = p.architecture;
  if (kind !== 'table' && kind !== 'lanes') {
    // A table entry costs about what a lane costs; with a constant element (no zero point) it is
    // cheaper (a multiplication by a constant), without a scale it is a constant.
    const affordable =
      r.scale === 'none' ? 2 ** 8 : r.zeroPoint === 'none' ? 2 * p.lanes : Math.floor(p.lanes / 2);
    kind = r.element.bits <= 4 && entries <= affordable ? 'table' : 'lanes';
  }
  return kind === 'table' ? { kind, entries, symmetric } : { kind: 'lanes' };
}

/** Whether the top code bit only negates: code c + 2^(n−1) decodes to −value(c), NaN to NaN. */
function signMagnitude(format: Format): boolean {
  const half = 2 ** (formatBits(format) - 1);
  for (let c = 0; c < half; c++) {
    const [v, w] = [decode(format, c), decode(format, c + half)];
    if (v.kind === 'nan' || w.kind === 'nan') {
      if (v.kind !== w.kind) return false;
    } else if (!sameValue(negate(v), w)) return false;
  }
  return true;
}

function formatBitsOf(name: string): number {
  const f = formatByName(name);
  return f.kind === 'float' ? (f.signed ? 1 : 0) + f.expBits + f.mantBits : f.bits;
}
