import { alignToFormat } from '../arith/align.ts';
import { exactProduct } from '../arith/product.ts';
import type { RawFloat } from '../arith/raw-float.ts';
import { roundPack } from '../arith/round.ts';
import { signedBits } from '../arith/widths.ts';
import { unpackFloat } from '../arith/unpack.ts';
import { defineGenerator, type GeneratorParams } from '../define.ts';
import { formatBits } from '../formats/index.ts';
import {
  checkOutputPolicy,
  floatFormat,
  policyTag,
  resolvedOutputPolicy,
  roundingParams,
} from '../float-params.ts';
import { choiceParam, intParam } from '../generator.ts';
import type { Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';
import { dotCutPoints, exactSum, exactSumLayout, laneProduct, roundExactSum } from './dot.ts';
import { accumulateBlocks } from './block-accumulator.ts';
import { BLOCK_FORMAT_NAMES, blockFormat, unpackMxElement, type DotBlockFormat } from './block-element.ts';

export type MxDotParams = GeneratorParams<typeof mxDot>;

/** E8M0 scales: 2^(X − 127), 0xFF is NaN (docs/mx-nvfp4.md#e8m0-scale). */
const E8M0_BIAS = 127;

/** The result formats (docs/mx-nvfp4.md#mx_dot). */
const OUT_FORMATS = ['fp32', 'bf16'] as const;

const NVFP4 = 'nvfp4';

/** Accumulation across blocks: none (one Dot per block pair) or the exact DotGeneral. */
const ACCUMULATIONS = ['none', 'exact'] as const;
const DEFAULT_MAX_BLOCKS = 4096;
const DEFAULT_SEGMENT = '16';
/** dot's cut points behind the exact sum's magnitude: an accumulator's read-out replaces them. */
const AFTER_MAGNITUDE = ['output', 'normalized', 'counted', 'increment', 'aligned'];

/**
 * The OCP MX Dot of one block pair (OCP Microscaling Formats v1.0 §6; docs/mx-nvfp4.md#mx_dot):
 * y = round(X_A · X_B · Σ P_A,i · P_B,i). The elements' products are summed exactly as `dot` sums them
 * (one integer of weight q_A·q_B); MX's E8M0 scales add to that sum's exponent, NVFP4's E4M3 scales
 * multiply it exactly; the result is rounded once. A NaN scale or element gives NaN.
 */
export const mxDot = defineGenerator({
  name: 'mx_dot',
  family: 'mac',
  summary:
    'OCP MX Dot of two MX blocks (each with its E8M0 scale), or of two NVFP4 blocks: exact block sum, one rounding',
  params: {
    aFormat: choiceParam(BLOCK_FORMAT_NAMES)
      .default('mxfp8_e4m3')
      .describe('block format of a: an MX format, or nvfp4 (then b is nvfp4 too)'),
    bFormat: choiceParam(BLOCK_FORMAT_NAMES).default('mxfp8_e4m3').describe('block format of b'),
    blockSize: intParam(1, 1024)
      .optional()
      .describe(
        'Elements per block: fixed by the format (32 for MX, 16 for NVFP4); if given, it must be that.',
      ),
    outFormat: choiceParam(OUT_FORMATS).default('fp32').describe('format of the result'),
    accumulate: choiceParam(ACCUMULATIONS)
      .default('none')
      .describe(
        "Across blocks: 'none', one Dot per block pair; 'exact', the DotGeneral: input clear starts a sum, and y is the exact sum of every block's Dot since then, rounded once (docs/mx-nvfp4.md#dotgeneral).",
      ),
    maxBlocks: intParam(1, 1 << 24)
      .default(DEFAULT_MAX_BLOCKS)
      .describe(
        "'exact': the blocks one sum may hold; the accumulator has their carry bits, and wraps past them.",
      ),
    segment: choiceParam(['8', '16', '32', '64'])
      .default(DEFAULT_SEGMENT)
      .describe("'exact': bits per carry segment of the accumulator, the longest carry on its loop."),
    ...roundingParams,
  },
  latency: {
    max: mxDotCutPoints(NVFP4, 32, 'exact').length,
    default: 2,
    description:
      "Pipeline stages; the cut points are dot's exact-sum ones (`dotCutPoints`), and for NVFP4 one after the scales' product multiplies the sum ('scaled', fifth), which a DSP block computes; 'exact' accumulation adds the long accumulator's (`mxDotCutPoints`).",
  },
  check(p, ctx) {
    checkOutputPolicy(p, ctx);
    const issue = (param: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [param], message });
    if ((p.aFormat === NVFP4) !== (p.bFormat === NVFP4)) {
      issue(
        'bFormat',
        `nvfp4 pairs only with nvfp4 (blocks of 16 with an E4M3 scale), MX formats with MX formats (blocks of 32 with an E8M0 scale)`,
      );
      return;
    }
    const size = blockFormat(p.aFormat).blockSize;
    if (p.blockSize !== undefined && p.blockSize !== size)
      issue(
        'blockSize',
        `${p.aFormat} and ${p.bFormat} blocks hold ${size} elements: the format fixes the block size`,
      );
    if (p.accumulate === 'none') {
      if (p.maxBlocks !== DEFAULT_MAX_BLOCKS)
        issue('maxBlocks', "applies to accumulate 'exact' only: one Dot holds one block pair");
      if (p.segment !== DEFAULT_SEGMENT)
        issue('segment', "applies to accumulate 'exact' only: one Dot has no accumulator");
    }
    const points = mxDotCutPoints(p.aFormat, size, p.accumulate).length;
    if (p.latency > points)
      issue('latency', `must be at most ${points} for blocks of ${size}: they have ${points} cut points`);
  },
  build(p, top) {
    const [fa, fb] = [blockFormat(p.aFormat), blockFormat(p.bFormat)];
    const fo = floatFormat(p.outFormat);
    const lanes = fa.blockSize;
    const policy = resolvedOutputPolicy(p);
    const exact = p.accumulate === 'exact';
    const accTag = exact
      ? `_acc${p.maxBlocks === DEFAULT_MAX_BLOCKS ? '' : p.maxBlocks}${p.segment === DEFAULT_SEGMENT ? '' : `_seg${p.segment}`}`
      : '';
    // A Dot's file header reads as it did before accumulation existed: its unused defaults are left out.
    const recorded = exact
      ? p
      : Object.fromEntries(
          Object.entries(p).filter(([key]) => !['accumulate', 'maxBlocks', 'segment'].includes(key)),
        );
    const m = top.module(`mx_dot_${p.aFormat}_${p.bFormat}_${p.outFormat}${policyTag(p)}${accTag}`, recorded);
    const cut = pipelineCuts(m, p.latency, mxDotCutPoints(p.aFormat, lanes, p.accumulate));
    const block = (name: string, f: DotBlockFormat) => {
      const w = formatBits(f.element);
      return m.input(
        name,
        UInt(w * lanes),
        `${lanes} ${f.name} element codes, element i in bits [${w}·i +: ${w}]`,
      );
    };
    const scaleDoc = (f: DotBlockFormat, block: string) =>
      f.name === NVFP4
        ? `E4M3 (e4m3fn) scale of the ${block} block, 0x7F/0xFF NaN`
        : `E8M0 scale of the ${block} block: 2^(s${block} − 127), 0xFF NaN`;
    const a = block('a', fa);
    const sa = m.input('sa', UInt(8), scaleDoc(fa, 'a'));
    const b = block('b', fb);
    const sb = m.input('sb', UInt(8), scaleDoc(fb, 'b'));
    const clear = exact
      ? m.input('clear', UInt(1), 'start a new DotGeneral with this block pair')
      : undefined;
    const [wa, wb] = [formatBits(fa.element), formatBits(fb.element)];
    const products = Array.from({ length: lanes }, (_, i) =>
      laneProduct(
        unpackMxElement(a.slice(wa * (i + 1) - 1, wa * i), fa.element, `l${i}_a`),
        unpackMxElement(b.slice(wb * (i + 1) - 1, wb * i), fb.element, `l${i}_b`),
        `l${i}`,
      ),
    );
    // The scales are ready long before the sum: they ride along the pipeline.
    const scaling = p.aFormat === NVFP4 ? valueScales(sa, sb, fa, fb) : powerOfTwoScales(sa, sb);
    cut.at('product');
    const sum = exactSum(products, exactSumLayout(fa.element, fb.element, lanes), cut);
    const scaled = scaling(sum);
    if (p.aFormat === NVFP4) cut.at('scaled');
    if (clear === undefined) {
      const y = roundExactSum(scaled, fo, policy, cut);
      cut.at('output');
      m.output('y', y, `${p.outFormat} code of sa · sb · Σ a_i·b_i (each scale decoded), rounded once`);
      return m.build();
    }
    const total = accumulateBlocks(
      scaled,
      clear,
      { maxBlocks: p.maxBlocks, segment: Number(p.segment), precision: fo.mantBits + 3 },
      (point) => cut.at(point),
    );
    cut.at('normalize');
    const aligned = alignToFormat(total, fo, policy.subnormals, 'sum_align', () => cut.at('denorm'));
    cut.at('aligned');
    const y = roundPack(aligned, fo, policy, 'out', () => cut.at('increment')).code;
    cut.at('output');
    m.output(
      'y',
      y,
      `${p.outFormat} code of the exact sum of sa · sb · Σ a_i·b_i over the block pairs since clear, rounded once`,
    );
    return m.build();
  },
});

/**
 * dot's exact-sum cut points; NVFP4 adds one after the product of the sum and the scales ('scaled'),
 * fifth: on ECP5 that product is a DSP block's multiply, slow to leave (about 4 ns), which otherwise
 * shares a stage with the leading-zero count behind it.
 */
export function mxDotCutPoints(format: string, lanes: number, accumulate = 'none'): string[] {
  const points = dotCutPoints(lanes, 'exact');
  const scaled = (list: string[]) => {
    if (format !== NVFP4) return list;
    const at = list.indexOf('magnitude') + 1;
    return [...list.slice(0, at), 'scaled', ...list.slice(at)];
  };
  if (accumulate === 'none') return scaled(points);
  // DotGeneral: the block's exact sum up to its magnitude, by dot's priorities, then the long
  // accumulator's (the loop's stage first), interleaved so that the loop and the read-out split first.
  const block = points.filter((point) => !AFTER_MAGNITUDE.includes(point));
  const [first, second, ...others] = scaled(block);
  const rest = others.filter((point) => point !== 'product' && point !== 'signed');
  return [
    'accumulate',
    'output',
    first!,
    'window',
    'aligned',
    second!,
    'place',
    'resolve',
    'product',
    'carry',
    'sum_magnitude',
    'normalize',
    'flags',
    ...rest.slice(0, 2),
    'increment',
    'complement',
    'top',
    ...rest.slice(2),
    'signed',
    'denorm',
  ];
}

/**
 * MX: the exact sum times 2^(sa − 127) · 2^(sb − 127). Its exponent becomes the scales' sum, biased by
 * 254 − (the sum's exponent), so that no constant is added (RawFloat.expBias). A NaN scale makes it NaN.
 */
function powerOfTwoScales(sa: Signal, sb: Signal): (sum: RawFloat) => RawFloat {
  const scaleExp = sa.add(sb, { width: 9 }).named('scale_exp');
  const scaleNaN = sa.andR().or(sb.andR()).named('scale_nan');
  return (sum) => {
    const topExp = sum.expRange!.min;
    const width = signedBits(0, 2 * 0xff);
    return {
      ...sum,
      exp: scaleExp.zext(width).asSigned().named('sum_exp'),
      expBias: (sum.expBias ?? 0) + 2 * E8M0_BIAS - topExp,
      expRange: { min: 0, max: 2 * 0xfe },
      isZero: sum.isZero.and(scaleNaN.not()),
      isInf: sum.isInf.and(scaleNaN.not()),
      isNaN: scaleNaN.or(sum.isNaN).named('result_nan'),
    };
  };
}

/**
 * NVFP4: the E4M3 scales' exact product (8 significand bits) multiplies the exact sum's magnitude, as
 * IEEE multiplication would without rounding: signs multiply, a NaN scale or Inf · 0 is NaN.
 */
function valueScales(
  sa: Signal,
  sb: Signal,
  fa: DotBlockFormat,
  fb: DotBlockFormat,
): (sum: RawFloat) => RawFloat {
  const scale = exactProduct(unpackFloat(sa, fa.scale, 'sa'), unpackFloat(sb, fb.scale, 'sb'), 'scale');
  return (sum) => {
    const topExp = sum.expRange!.min;
    // scale.sig's top bit weighs 2^scale.exp and sum.sig's 2^topExp: the product's top bit 2^(both + 1).
    const expWidth = signedBits(scale.expRange!.min + topExp + 1, scale.expRange!.max + topExp + 1);
    const infTimesZero = sum.isInf.and(scale.isZero).or(sum.isZero.and(scale.isInf));
    const isNaN = sum.isNaN.or(scale.isNaN).or(infTimesZero).named('result_nan');
    return {
      sign: sum.sign.xor(scale.sign).named('result_sign'),
      exp: scale.exp
        .resize(expWidth)
        .add(topExp + 1, { width: expWidth })
        .named('result_exp'),
      sig: sum.sig.mul(scale.sig).named('result_sig'),
      isZero: sum.isZero.or(scale.isZero).and(isNaN.not()).named('result_zero'),
      isInf: sum.isInf.or(scale.isInf).and(isNaN.not()).named('result_inf'),
      isNaN,
      expRange: { min: scale.expRange!.min + topExp + 1, max: scale.expRange!.max + topExp + 1 },
    };
  };
}
