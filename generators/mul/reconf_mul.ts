import { z } from 'zod';
import { alignToFormat } from '../arith/align.ts';
import { atMostConstant } from '../arith/compare-constant.ts';
import { exactProduct as exactProductOf } from '../arith/product.ts';
import { roundPack } from '../arith/round.ts';
import { normalizeOperand, unpackFloat, type UnpackedFloat } from '../arith/unpack.ts';
import { shiftAddProduct } from '../arith/shift-add-product.ts';
import { splitProduct } from '../arith/split-product.ts';
import { signedBits } from '../arith/widths.ts';
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
import { choiceParam, intParam } from '../generator.ts';
import { cat, mux, select, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';
import { lmulOffset } from './lmul-offset.ts';

export type ReconfMulParams = GeneratorParams<typeof reconfMul>;

/** Significands of at most this many bits (BF16's, FP16's) are multiplied in LUTs, by shifted copies added. */
const LUT_PRODUCT_BITS = 11;

/** The run-time modes of a reconf_mul unit, in `mode` input order: each width with each kind. */
export function reconfModes(
  p: Pick<ReconfMulParams, 'widths' | 'kinds'>,
): { m: number; kind: 'exact' | 'lmul' }[] {
  return p.widths.flatMap((m) => p.kinds.map((kind) => ({ m, kind: kind as 'exact' | 'lmul' })));
}

/**
 * Runtime-reconfigurable mantissa multiplier: one unit for the format's full mantissa, whose `mode`
 * input picks per operation the active mantissa width m and an exact or L-Mul product. Operands are
 * first reduced to m bits (rounded or truncated); the exact product is rounded once into the output
 * format, the L-Mul product follows docs/lmul.md#policy (integer add, FTZ, saturation).
 */
export const reconfMul = defineGenerator({
  name: 'reconf_mul',
  family: 'mul',
  summary: 'multiplier whose mantissa width (and exact or L-Mul product) is chosen per operation at run time',
  params: {
    format: floatFormatParam(ROUNDED_FORMAT_NAMES)
      .default('bf16')
      .describe('Format of both operands and of the datapath.'),
    outFormat: floatFormatParam(ROUNDED_FORMAT_NAMES)
      .optional()
      .describe(
        'Output format of the exact modes (default: the input format); L-Mul modes use the input format.',
      ),
    widths: z
      .array(intParam(1, 23), { error: 'must be a list of mantissa widths' })
      .min(1)
      .max(8)
      .default([7, 4, 3])
      .describe("Mantissa widths selectable at run time, each from 1 to the format's mantissa bits."),
    kinds: z
      .array(choiceParam(['exact', 'lmul']))
      .min(1)
      .max(2)
      .default(['exact', 'lmul'])
      .describe('Kinds of product per width: exact (rounded once) and/or L-Mul (integer add).'),
    operandRounding: choiceParam(['rne', 'truncate'])
      .default('rne')
      .describe('How operands are reduced to the active width.'),
    ...roundingParams,
  },
  latency: {
    max: 8,
    default: 0,
    description:
      "Stage cuts, in order of use: after the products are rounded, after the operand reduction, beside the exact significand product, after its alignment to the output format, after the exact product's operands are normalized, at the output, after the exact product's exponent sum (before the alignment's decisions), once its rounding increment is decided.",
  },
  check(p, ctx) {
    const f = floatFormat(p.format);
    for (const w of p.widths) {
      if (w > f.mantBits) {
        ctx.addIssue({
          code: 'custom',
          path: ['widths'],
          message: `width ${w} does not fit ${p.format}'s ${f.mantBits} mantissa bits`,
        });
      }
    }
    if (new Set(p.widths).size !== p.widths.length)
      ctx.addIssue({ code: 'custom', path: ['widths'], message: 'lists a width twice' });
    if (new Set(p.kinds).size !== p.kinds.length)
      ctx.addIssue({ code: 'custom', path: ['kinds'], message: 'lists a kind twice' });
    checkOutputPolicy({ ...p, outFormat: p.outFormat ?? p.format }, ctx);
  },
  build(p, top) {
    const f = floatFormat(p.format);
    const out = floatFormat(p.outFormat ?? p.format);
    const E = f.expBits;
    const M = f.mantBits;
    const modes = reconfModes(p);
    const stem =
      `reconf_mul_${p.format}_w${p.widths.join('_')}_${p.kinds.join('_')}` +
      (out.name !== f.name ? `_${out.name}` : '') +
      (p.operandRounding === 'truncate' ? '_trunc' : '') +
      policyTag(p);
    const mod = top.module(stem);
    const cut = pipelineCuts(mod, p.latency, [
      'product',
      'reduce',
      'multiply',
      'align',
      'operands',
      'output',
      'exponent',
      'increment',
    ] as const);
    const bits = E + M + 1;
    const a = mod.input('a', UInt(bits), `${p.format} code`);
    const b = mod.input('b', UInt(bits), `${p.format} code`);
    const modeBits = Math.max(1, Math.ceil(Math.log2(modes.length)));
    const mode = mod.input(
      'mode',
      UInt(modeBits),
      `operation: ${modes.map((x, i) => `${i}=${x.kind} m=${x.m}`).join(', ')}; higher values act as ${modes.length - 1}`,
    );

    // Operand classes come from the full codes; reduction only changes finite magnitudes.
    const ua = unpackFloat(a, f, 'a');
    const ub = unpackFloat(b, f, 'b');
    const magA = reduceToWidths(a, f, p.widths, p.operandRounding, mode, modes, 'a');
    const magB = reduceToWidths(b, f, p.widths, p.operandRounding, mode, modes, 'b');
    cut.at('reduce');

    // L-Mul's sums R first: beside the exact product's first stage, so that only its range checks
    // remain for the last stage.
    const lmulSums = new Map(
      [...new Set(modes.filter((x) => x.kind === 'lmul').map((x) => x.m))].map((m) => [
        m,
        lmulSum(magA, magB, f, m, `lmul_m${m}`),
      ]),
    );
    const results: Signal[] = [];
    const exact = p.kinds.includes('exact')
      ? exactProduct(magA, magB, ua, ub, f, out, resolvedOutputPolicy({ ...p, outFormat: out.name }), {
          operands: () => cut.at('operands'),
          multiplied: () => cut.at('multiply'),
          aligned: () => cut.at('align'),
          exponent: () => cut.at('exponent'),
          increment: () => cut.at('increment'),
        })
      : undefined;
    const lmuls = new Map<number, Signal>();
    for (const x of modes) {
      if (x.kind === 'exact') results.push(exact!);
      else {
        if (!lmuls.has(x.m)) lmuls.set(x.m, lmulProduct(lmulSums.get(x.m)!, ua, ub, f, x.m, `lmul_m${x.m}`));
        results.push(lmuls.get(x.m)!);
      }
    }
    cut.at('product');
    const result = select(mode, results).named('result');
    cut.at('output');
    mod.output('p', result, `${out.name} code (exact modes) or ${p.format} code (L-Mul modes)`);
    return mod.build();
  },
});

/**
 * The operand's exponent-and-mantissa field rounded at bit M−m for the active width (a carry enters the
 * exponent and may pass its top: one extra bit), re-expanded to M mantissa bits with zeros.
 */
function reduceToWidths(
  code: Signal,
  f: FloatFormat,
  widths: number[],
  rounding: string,
  mode: Signal,
  modes: { m: number }[],
  prefix: string,
): Signal {
  const E = f.expBits;
  const M = f.mantBits;
  const full = E + M + 1;
  const perWidth = new Map<number, Signal>();
  for (const m of widths) {
    const top = code.slice(E + M - 1, M - m);
    let reduced = top.zext(E + m + 1);
    if (m < M && rounding === 'rne') {
      const guard = code.bit(M - m - 1);
      const sticky = M - m - 1 > 0 ? code.slice(M - m - 2, 0).orR() : code.builder.constant(0, UInt(1));
      const up = guard.and(sticky.or(top.bit(0)));
      reduced = reduced.add(up.zext(E + m + 1), { width: E + m + 1 });
    }
    perWidth.set(
      m,
      (m < M ? cat(reduced, code.builder.constant(0, UInt(M - m))) : reduced).named(`${prefix}_mag_m${m}`),
    );
  }
  return select(
    mode,
    modes.map((x) => perWidth.get(x.m)!),
  )
    .resize(full)
    .named(`${prefix}_mag`);
}

type Classes = Pick<UnpackedFloat, 'sign' | 'isZero' | 'isInf' | 'isNaN' | 'isSignalingNaN' | 'isSubnormal'>;

/**
 * Exact product of the reduced operands, rounded once into the output format. As in fp_mul, the
 * operands are normalized first (constant hidden bits; a subnormal's mantissa shifted up), so the
 * product has at most one leading zero and is aligned to the output format without a leading-zero
 * count. `cuts` places pipeline cuts after the operands' normalization, after the exponent sum,
 * beside the multiplier (after the exponent's alignment decisions), after the alignment and once the
 * rounding increment is decided.
 */
function exactProduct(
  magA: Signal,
  magB: Signal,
  ua: Classes,
  ub: Classes,
  f: FloatFormat,
  out: FloatFormat,
  policy: ReturnType<typeof resolvedOutputPolicy>,
  cuts: {
    operands: () => void;
    multiplied: () => void;
    aligned: () => void;
    exponent: () => void;
    increment: () => void;
  },
): Signal {
  const E = f.expBits;
  const M = f.mantBits;
  // A rounding carry may step the field past its largest value (one extra bit): fields 0 .. 2^E.
  const expRange = { min: 1 - f.bias, max: 2 ** E - f.bias };
  const expWidth = signedBits(expRange.min, expRange.max);
  // A reduced magnitude field: exponent E+1 bits (0 for subnormals, which weigh like field 1), mantissa M bits.
  const operand = (mag: Signal, u: Classes, prefix: string): UnpackedFloat => {
    const field = mag.slice(E + M, M);
    const nonzeroField = field.or(
      field
        .orR()
        .not()
        .zext(E + 1),
    );
    const exp = nonzeroField
      .zext(expWidth + 1)
      .asSigned()
      .sub(f.bias, { width: expWidth });
    const x: UnpackedFloat = {
      ...u,
      exp: exp.named(`${prefix}_exact_exp`),
      sig: cat(field.orR(), mag.slice(M - 1, 0)).named(`${prefix}_exact_sig`),
      // A tiny subnormal may reduce to zero: zero is judged after reduction (NaN and Inf never reduce).
      isZero: mag.orR().not().named(`${prefix}_reduced_is_zero`),
      expRange,
      // The product sums the fields with their biases on (no subtraction per operand).
      biasedExp: nonzeroField,
      bias: f.bias,
    };
    return normalizeOperand(x, f, `${prefix}_exact`);
  };
  const [x, y] = [operand(magA, ua, 'a'), operand(magB, ub, 'b')];
  cuts.operands();
  // Significands of up to LUT_PRODUCT_BITS are multiplied in LUTs, b in slices of 3 bits: the
  // slices' products before the 'exponent' cut, their sum after it (beside the alignment's
  // decisions). Wider ones take a multiplier, the cut after it.
  const inLuts = x.sig.width <= LUT_PRODUCT_BITS;
  let slices = 0;
  const product = exactProductOf(x, y, 'exact_product', {
    keepBiases: true,
    ...(inLuts
      ? {
          multiply: (a: Signal, b: Signal) =>
            splitProduct(a, b, Math.ceil(b.width / 3), cuts.exponent, 'exact_product', (wide, slice) =>
              shiftAddProduct(wide, slice, `exact_product_lut${slices++}`),
            ),
        }
      : {}),
  });
  if (!inLuts) cuts.exponent();
  const aligned = alignToFormat(
    { ...product, maxLeadingZeros: 1 },
    out,
    policy.subnormals,
    'exact_norm',
    cuts.multiplied,
    { comparesInLuts: true },
  );
  cuts.aligned();
  return roundPack(aligned, out, policy, 'exact', cuts.increment).code;
}

interface LmulSum {
  r: Signal;
  /** R below the normal range (the result is ±0) or beyond the largest code (it saturates). */
  underflow: Signal;
  overflow: Signal;
}

/**
 * L-Mul's R = |a| + |b| − OFFSET on the reduced fields at width m (docs/lmul.md#one-adder-form), and its range checks,
 * which compare |a| + |b| itself (against the limits plus OFFSET), beside the subtraction.
 */
function lmulSum(magA: Signal, magB: Signal, f: FloatFormat, m: number, prefix: string): LmulSum {
  const E = f.expBits;
  const M = f.mantBits;
  const width = E + m + 3;
  // The reduced field at width m sits in the top E+1+m bits of the expanded magnitude.
  const fieldA = magA
    .slice(E + M, M - m)
    .zext(width)
    .asSigned();
  const fieldB = magB
    .slice(E + M, M - m)
    .zext(width)
    .asSigned();
  const offset = lmulOffset(f.bias, m);
  const sum = fieldA.add(fieldB, { width }).named(`${prefix}_sum`);
  const maxR = floatLayout(f).maxCode >> (M - m);
  return {
    r: sum.sub(offset, { width }).named(`${prefix}_r`),
    underflow: atMostConstant(sum, (1 << m) + offset - 1).named(`${prefix}_underflow`),
    overflow: atMostConstant(sum, maxR + offset)
      .not()
      .named(`${prefix}_overflow`),
  };
}

/** The L-Mul code from its sum R: zero, overflow and special operands (docs/lmul.md#policy), in the input format. */
function lmulProduct(
  { r, underflow, overflow }: LmulSum,
  ua: Classes,
  ub: Classes,
  f: FloatFormat,
  m: number,
  prefix: string,
): Signal {
  const mod = r.builder;
  const E = f.expBits;
  const M = f.mantBits;
  const layout = floatLayout(f);
  const sign = ua.sign.xor(ub.sign);
  // Zero and subnormal operands read as zero (docs/lmul.md#policy): judged on the original code, before reduction.
  const zeroA = ua.isZero.or(ua.isSubnormal.named('a_is_subnormal'));
  const zeroB = ub.isZero.or(ub.isSubnormal.named('b_is_subnormal'));
  const isNaN = ua.isNaN.or(ub.isNaN).or(ua.isInf.and(zeroB)).or(ub.isInf.and(zeroA));
  const isInf = ua.isInf.or(ub.isInf).and(isNaN.not());
  const isZero = zeroA.or(zeroB);
  const signedCode = (magnitude: number) => cat(sign, mod.constant(magnitude, UInt(E + M)));
  const nanCode = layout.hasNaN
    ? mod.constant(layout.canonicalNaNCode!, UInt(layout.bits))
    : signedCode(layout.maxCode);
  const zeroCode = layout.hasNegativeZero ? signedCode(0) : mod.constant(0, UInt(layout.bits));
  const infCode = layout.hasInf ? signedCode(layout.infCode!) : signedCode(layout.maxCode);
  const packed = cat(sign, r.slice(E + m - 1, 0), ...(M > m ? [mod.constant(0, UInt(M - m))] : []));
  return mux(
    isNaN,
    nanCode,
    mux(
      isInf,
      infCode,
      mux(isZero.or(underflow), zeroCode, mux(overflow, signedCode(layout.maxCode), packed)),
    ),
  ).named(`${prefix}_result`);
}
