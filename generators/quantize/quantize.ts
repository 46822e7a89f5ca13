import { alignToFormat, type AlignOptions } from '../arith/align.ts';
import { atMostConstant } from '../arith/compare-constant.ts';
import { leadingZeros } from '../arith/lzc.ts';
import { roundIncrement, roundPack } from '../arith/round.ts';
import { normalizeOperand, operandLeadingZeros, unpackFloat, type UnpackedFloat } from '../arith/unpack.ts';
import { signedBits, unsignedBits } from '../arith/widths.ts';
import { defineGenerator, type GeneratorParams } from '../define.ts';
import { floatFormat } from '../float-params.ts';
import {
  elementEmax,
  floatLayout,
  MX_FORMATS,
  resolvePolicy,
  type FloatFormat,
  type MxFormat,
  type RoundingMode,
} from '../formats/index.ts';
import { choiceParam, intParam } from '../generator.ts';
import { cat, mux, type Signal } from '../hdl/signal.ts';
import { SInt, UInt, type HdlType } from '../hdl/types.ts';
import type { ModuleBuilder } from '../hdl/module.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';
import { maxTree } from './max-tree.ts';
import { buildInt8 } from './int8.ts';
import { buildNvfp4 } from './nvfp4.ts';

/** Activation formats a block is read from. */
export const QUANTIZE_IN_FORMATS = ['fp32', 'fp16', 'bf16'] as const;

/**
 * The block formats made: the MX formats (docs/mx-nvfp4.md#mx-block), NVFP4 (docs/mx-nvfp4.md#nvfp4) and
 * int8 with an FP16 scale per group (docs/mx-nvfp4.md#int8-with-an-fp16-group-scale).
 */
export const QUANTIZE_FORMATS = [...MX_FORMATS.map((f) => f.name), 'nvfp4', 'int8'] as string[] as [
  string,
  ...string[],
];

/** Values per int8 group unless groupSize says otherwise. */
export const INT8_GROUP = 32;

/** NVFP4's block scale: E4M3 nearest (ties to even), or up so that no element clips. */
export const NVFP4_SCALE_ROUNDINGS = ['rne', 'up'] as const;

/**
 * The quantizer's cut points, by priority (docs/mx-nvfp4.md#the-quantize-generator): after the amax
 * tree, which runs beside the inputs' normalization ('amax'), at the output, after the shared
 * exponent is taken off every element's exponent ('scaled'), after the amax tree's third level ('tree').
 * NVFP4 and int8 have cut points of their own (NVFP4_CUTS, INT8_CUTS).
 */
export const QUANTIZE_CUTS = ['amax', 'output', 'scaled', 'tree'] as const;

const E8M0_BIAS = 127;

/**
 * An element's alignment: its significand is normalized (top bit set), so its field is the exponent
 * plus one constant, compared with the element's emin in LUTs (docs/fp_convert.md#float-to-float does
 * the same for a converter).
 */
const ELEMENT_ALIGN: AlignOptions = { topSet: true, comparesInLuts: true };
const E8M0_NAN = 0xff;

export type QuantizeParams = GeneratorParams<typeof quantize>;

export function mxFormat(name: string): MxFormat {
  const format = MX_FORMATS.find((f) => f.name === name);
  if (format === undefined) throw new Error(`quantize: no MX format '${name}'`);
  return format;
}

/**
 * Activation quantizer to OCP MX, one block of 32 values per cycle (docs/mx-nvfp4.md#the-quantize-generator):
 * the shared exponent floor(log2 amax) − emax_elem (OCP Algorithm 1, raised to −127 when lower), and
 * every element divided by the scale (an exponent subtraction), rounded and clamped to ±max. NVFP4
 * blocks of 16 and int8 groups have datapaths of their own (nvfp4.ts, int8.ts;
 * docs/mx-nvfp4.md#nvfp4-quantization, docs/mx-nvfp4.md#int8-with-an-fp16-group-scale).
 */
export const quantize = defineGenerator({
  name: 'quantize',
  family: 'dequant',
  summary:
    'activation quantizer: fp32/fp16/bf16 values → one block per cycle, OCP MX (32 values, E8M0 scale, FP8/FP6/FP4/INT8 elements), NVFP4 (16 values, E4M3 block scale, fp32 tensor scale input) or int8 (a group, FP16 scale)',
  params: {
    format: choiceParam(QUANTIZE_FORMATS)
      .default('mxfp4')
      .describe(
        'the block format made: mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3, mxfp4 or mxint8 (block 32, E8M0 scale); nvfp4 (block 16, E4M3 block scale, fp32 tensor scale input); int8 (symmetric, ±127, FP16 scale amax/127 per group)',
      ),
    inFormat: choiceParam(QUANTIZE_IN_FORMATS)
      .default('bf16')
      .describe('format of the input values (32 per MX block, 16 per NVFP4 block, groupSize per int8 group)'),
    rounding: choiceParam(['rne', 'rna', 'rnz'])
      .default('rne')
      .describe(
        'element rounding: rne ties to even (ml_dtypes, CUDA casts); rna ties away (microxcaling); rnz ties toward zero (the NVFP4 reference code)',
      ),
    scaleRounding: choiceParam(NVFP4_SCALE_ROUNDINGS)
      .optional()
      .describe(
        'nvfp4 only: the E4M3 block scale amax / (6 · s_tensor) rounded to nearest, ties to even (rne, the reference recipe; default), or up, so that no element clips',
      ),
    groupSize: intParam(1, 128)
      .optional()
      .describe(
        'int8 only: values per group, each with its own FP16 scale (default 32); MX and NVFP4 fix theirs',
      ),
    inputSubnormals: choiceParam(['keep', 'flush'])
      .default('keep')
      .describe(
        'keep: subnormal inputs quantize as any value; flush: they count as zero (the MX paper’s note)',
      ),
  },
  latency: {
    max: QUANTIZE_CUTS.length,
    default: 2,
    description:
      'pipeline stages (0 combinational, at most 4), cut after the amax tree, at the output, after the shared-exponent subtraction, inside the amax tree (QUANTIZE_CUTS); nvfp4: after the block scale, after the amax tree, after the step’s multiples, at the output (NVFP4_CUTS); int8: after the scale, after amax, inside the divisions, at the output (INT8_CUTS)',
  },
  check(p, ctx) {
    if (p.groupSize !== undefined && p.format !== 'int8')
      ctx.addIssue({
        code: 'custom',
        path: ['groupSize'],
        message: `applies to int8 only; ${p.format} blocks hold ${p.format === 'nvfp4' ? 16 : 32} values, as the format fixes (leave it out)`,
      });
    if (p.scaleRounding !== undefined && p.format !== 'nvfp4')
      ctx.addIssue({
        code: 'custom',
        path: ['scaleRounding'],
        message: `applies to nvfp4 only; ${p.format}'s E8M0 scale is 2^(floor(log2 amax) − emax_elem) (leave it out)`,
      });
  },
  build(p, top) {
    const input = floatFormat(p.inFormat);
    if (p.format === 'nvfp4') {
      const scaleRounding = p.scaleRounding ?? 'rne';
      const m = top.module(
        `quantize_${p.inFormat}_nvfp4` +
          (p.rounding === 'rne' ? '' : `_${p.rounding}`) +
          (scaleRounding === 'rne' ? '' : '_scale_up') +
          (p.inputSubnormals === 'flush' ? '_daz' : ''),
      );
      buildNvfp4(m, {
        input,
        flush: p.inputSubnormals === 'flush',
        rounding: p.rounding as RoundingMode,
        scaleRounding,
        latency: p.latency,
      });
      return m.build();
    }
    if (p.format === 'int8') {
      const groupSize = p.groupSize ?? INT8_GROUP;
      const m = top.module(
        `quantize_${p.inFormat}_int8_g${groupSize}` +
          (p.rounding === 'rne' ? '' : `_${p.rounding}`) +
          (p.inputSubnormals === 'flush' ? '_daz' : ''),
      );
      buildInt8(m, {
        input,
        flush: p.inputSubnormals === 'flush',
        rounding: p.rounding,
        groupSize,
        latency: p.latency,
      });
      return m.build();
    }
    const format = mxFormat(p.format);
    const inBits = floatLayout(input).bits;
    const elementBits = format.element.kind === 'float' ? floatLayout(format.element).bits : 8;
    const flush = p.inputSubnormals === 'flush';
    const stem =
      `quantize_${p.inFormat}_${p.format}` +
      (p.rounding === 'rne' ? '' : `_${p.rounding}`) +
      (flush ? '_daz' : '');
    const m = top.module(stem);
    const cut = pipelineCuts(m, p.latency, QUANTIZE_CUTS);
    const n = format.blockSize;
    const x = m.input('x', UInt(inBits * n), `${n} ${p.inFormat} codes, value 0 lowest`);

    const codes = Array.from({ length: n }, (_, i) =>
      x.slice(inBits * (i + 1) - 1, inBits * i).named(`x${i}`),
    );
    // Rounding reads the normalized significand's top bits only (hidden, element mantissa, guard; 8 for
    // MXINT8, whose last bit is at most 7 below the top): the bits below count as sticky.
    const keptBits = format.element.kind === 'float' ? format.element.mantBits + 2 : 8;
    const values = codes.map((code, i) =>
      normalizedTop(unpackFloat(code, input, `x${i}`, flush), input, flush, keptBits, `x${i}`),
    );
    const { min: expMin, max: expMax } = values[0]!.expRange;
    // An all-zero block reads as lower than any value and than the smallest scale: scale code 0.
    const lowest = Math.min(expMin - 1, -E8M0_BIAS - 1);
    const amaxLog2 = blockLog2(codes, input, flush, SInt(signedBits(lowest, expMax)), lowest, () =>
      cut.at('tree'),
    );
    const special = values
      .map((v) => v.isNaN.or(v.isInf))
      .reduce((a, b) => a.or(b))
      .named('block_special');
    // Each value's exponent plus 127 (its field less the normalizing shift, rebiased), beside the tree.
    const fieldMax = 2 ** input.expBits - 1;
    const lzMax = input.mantBits;
    const offset = E8M0_BIAS - input.bias;
    const differenceType = SInt(signedBits(-lzMax - 2 * E8M0_BIAS - 1, fieldMax + offset) + 1);
    const w = differenceType.width;
    const rebiased = values.map((v, i) => {
      const normalized =
        v.lz === undefined ? v.field.zext(w) : v.field.zext(w).sub(v.lz.zext(w), { width: w });
      return (offset === 0 ? normalized : normalized.add(offset, { width: w }))
        .asSigned()
        .named(`x${i}_exp_e8m0`);
    });
    cut.at('amax');

    // The scale code, shared + 127 with shared = max(floor(log2 amax) − emax_elem, −127): at least 0
    // (never above 254: emax_elem ≥ 0 and fp32's largest exponent is 127).
    const emax = elementEmax(format);
    const codeType = SInt(signedBits(lowest - emax + E8M0_BIAS, expMax + E8M0_BIAS));
    const raw = amaxLog2
      .resize(codeType.width)
      .add(E8M0_BIAS - emax, { width: codeType.width })
      .named('shared_raw');
    const sharedCode = mux(raw.msb(), m.constant(0, UInt(8)), raw.resize(8).asUnsigned()).named(
      'shared_code',
    );
    const scaleCode = mux(special, m.constant(E8M0_NAN, UInt(8)), sharedCode).named('scale_code');

    // Each element's exponent relative to the scale: at most emax_elem. Far below the element's last
    // bit (a quarter of its smallest step or less) every value rounds to ±0 under either rounding, so
    // lower exponents are raised to that one: the rounding works on a few exponent bits.
    const lastBit =
      format.element.kind === 'float' ? floatLayout(format.element).emin - format.element.mantBits : -6;
    const scaledRange = { min: lastBit - 3, max: emax };
    // exponent − shared = (exponent + 127) − (shared + 127): one subtraction per element.
    const scaledType = SInt(signedBits(scaledRange.min, scaledRange.max));
    const scaled = values.map((v, i) => {
      const difference = rebiased[i]!.sub(sharedCode.zext(w).asSigned(), { width: w }).named(`e${i}_exp_raw`);
      const far = atMostConstant(difference, scaledRange.min - 1); // in LUTs: no second carry chain
      const exp = mux(far, m.constant(scaledRange.min, scaledType), difference.resize(scaledType.width));
      return { v, exp: exp.named(`e${i}_exp`) };
    });
    cut.at('scaled');

    const elementCodes = scaled.map(({ v, exp }, i) =>
      format.element.kind === 'float'
        ? roundPack(
            alignToFormat(
              {
                sign: v.sign,
                exp,
                sig: v.sig,
                sticky: v.sticky,
                isZero: v.isZero,
                isInf: zeroBit(m),
                isNaN: zeroBit(m),
                expRange: scaledRange,
                maxLeadingZeros: 0,
              },
              format.element,
              'keep',
              `e${i}_align`,
              undefined,
              ELEMENT_ALIGN,
            ),
            format.element,
            resolvePolicy(format.element, { rounding: p.rounding, overflow: 'saturate', subnormals: 'keep' }),
            `e${i}`,
            undefined,
            { selectBeforeIncrement: true },
          ).code
        : roundToInt8(v, exp, p.rounding, `e${i}`),
    );
    // A block with a NaN or an infinity: the NaN scale and zero elements.
    const elements = mux(
      special,
      m.constant(0, UInt(elementBits * n)),
      cat(...[...elementCodes].reverse()),
    ).named('element_codes');
    cut.at('output');
    m.output('scale', scaleCode, 'E8M0 shared scale (0xFF: NaN, for a block with a NaN or an infinity)');
    m.output('elements', elements, `${n} ${format.element.name} codes, element 0 lowest`);
    return m.build();
  },
});

/** A normalized value with its significand cut to its top bits and a sticky bit for the rest. */
type NarrowedFloat = UnpackedFloat & {
  sticky: Signal;
  /** The exponent field as the value's exponent reads it (1 for a subnormal) and the normalizing shift. */
  field: Signal;
  lz: Signal | undefined;
};

/**
 * The value normalized, with the top `bits` of its significand. Only those leave the normalizing
 * shifter; the sticky bit is read from the unshifted significand: bit j falls below the kept bits
 * when j + lz < W − bits (lz the normalizing shift), so it needs no shifter of its own.
 */
function normalizedTop(
  u: UnpackedFloat,
  input: FloatFormat,
  flush: boolean,
  bits: number,
  prefix: string,
): NarrowedFloat {
  const lz = input.subnormals && !flush ? operandLeadingZeros(u, input, prefix) : undefined;
  const v = normalizeOperand(u, input, prefix, flush, lz);
  const W = v.sig.width;
  const field = u.biasedExp!;
  if (bits >= W) return { ...v, sticky: zeroBit(v.sig.builder), field, lz };
  const below = Array.from({ length: W - bits }, (_, j) =>
    lz === undefined ? u.sig.bit(j) : u.sig.bit(j).and(lz.le(W - bits - 1 - j)),
  );
  return {
    ...v,
    field,
    lz,
    sig: v.sig.slice(W - 1, W - bits).named(`${prefix}_sig_kept`),
    // A zero (a flushed subnormal too) has no bits to round.
    sticky: below
      .reduce((a, b) => a.or(b))
      .and(v.isZero.not())
      .named(`${prefix}_sig_sticky`),
  };
}

/**
 * floor(log2 amax) from the raw codes, beside the per-value normalization: the largest exponent field
 * (a tree of unsigned comparisons) less the bias; when every field is 0 the block holds only zeros and
 * subnormals, whose largest has the leading one of the OR of all mantissas. `lowest` for a zero block;
 * `cutInside` may place a stage cut inside the tree.
 */
function blockLog2(
  codes: Signal[],
  input: FloatFormat,
  flush: boolean,
  type: HdlType,
  lowest: number,
  cutInside: () => void,
): Signal {
  const m = codes[0]!.builder;
  const [E, M] = [input.expBits, input.mantBits];
  const fields = codes.map((code, i) => code.slice(E + M - 1, M).named(`x${i}_field`));
  const none = m.constant(lowest, type);
  let subnormal: Signal | undefined;
  if (!flush) {
    const mantissas = codes
      .map((code) => code.slice(M - 1, 0))
      .reduce((a, b) => a.or(b))
      .named('subnormal_bits');
    const lz = leadingZeros(mantissas).named('subnormal_lz');
    const emin = floatLayout(input).emin;
    const log2 = m.constant(emin - 1, type).sub(lz.zext(type.width).asSigned(), { width: type.width });
    subnormal = mux(mantissas.orR(), log2, none).named('subnormal_log2');
  }
  const maxField = maxTree(fields, 'amax_field', cutInside);
  const normal = maxField.zext(type.width).asSigned().sub(input.bias, { width: type.width });
  return mux(maxField.orR(), normal, subnormal ?? none).named('amax_log2');
}

function zeroBit(m: ModuleBuilder): Signal {
  return m.constant(0, UInt(1));
}

/**
 * An MXINT8 element: |v| / X (below 2, weight of sig's top bit 2^exp) times 64 rounded to an integer,
 * clamped to 127 (the type is symmetric, docs/mx-nvfp4.md#element-formats), and given its sign.
 */
function roundToInt8(v: NarrowedFloat, exp: Signal, rounding: string, prefix: string): Signal {
  const m = v.sign.builder;
  const W = v.sig.width;
  const mantBits = W - 1;
  // |v|/X · 64 = sig · 2^(exp + 6 − M): sig shifted right by d = M − 6 − exp ≥ 1; first by d − 1, so
  // that the guard bit is the last one left.
  const shiftBits = unsignedBits(W + 1);
  const ew = exp.width + 1;
  const d1 = m
    .constant(mantBits - 7, SInt(ew))
    .sub(exp.resize(ew), { width: ew })
    .named(`${prefix}_shift_raw`);
  const shift = mux(d1.gt(W), m.constant(W + 1, UInt(shiftBits)), d1.asUnsigned().resize(shiftBits)).named(
    `${prefix}_shift`,
  );
  const sig = mux(v.isZero, m.constant(0, UInt(W)), v.sig);
  const kept = sig.shr(shift).named(`${prefix}_kept`); // {integer, guard}
  const mask = cat(...Array.from({ length: W }, (_, i) => shift.gt(W - 1 - i)));
  const sticky = sig.and(mask).orR().or(v.sticky).named(`${prefix}_sticky`);
  const integer = kept.slice(W - 1, 1).resize(7);
  const up = roundIncrement(rounding as RoundingMode, v.sign, integer.bit(0), kept.bit(0), sticky).named(
    `${prefix}_round_up`,
  );
  const magnitude = integer.add(up.zext(7)).named(`${prefix}_rounded`); // 8 bits, up to 128
  const clamped = mux(magnitude.bit(7), m.constant(127, UInt(8)), magnitude).named(`${prefix}_clamped`);
  return mux(v.sign, m.constant(0, UInt(8)).sub(clamped, { width: 8 }), clamped).named(`${prefix}_code`);
}
