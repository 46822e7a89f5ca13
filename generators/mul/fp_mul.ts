import { alignToFormat } from '../arith/align.ts';
import { boothProduct } from '../arith/booth-product.ts';
import { multiplierTag } from '../arith/multiplier.ts';
import { exactProduct } from '../arith/product.ts';
import type { RawFloat } from '../arith/raw-float.ts';
import { roundPack, type RoundedFloat } from '../arith/round.ts';
import { roundFlushedProduct } from '../arith/round-flushed-product.ts';
import { shiftAddProduct } from '../arith/shift-add-product.ts';
import { splitProduct } from '../arith/split-product.ts';
import { fitsTable, tabledProduct } from '../arith/table-product.ts';
import { normalizeOperand, operandLeadingZeros, unpackFloat } from '../arith/unpack.ts';
import { floatLayout, type FloatFormat, type ResolvedPolicy } from '../formats/index.ts';
import {
  checkOutputPolicy,
  floatFormat,
  floatFormatParam,
  policyTag,
  resolvedOutputPolicy,
  roundingParams,
  type RoundingParams,
  ROUNDED_FORMAT_NAMES,
} from '../float-params.ts';
import { defineGenerator, type GeneratorParams } from '../define.ts';
import { boolParam, choiceParam } from '../generator.ts';
import { cat, mux, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
import { multiplierParam } from '../multiplier-param.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';

/** Stage cuts, in order of priority, for narrow significands (products in LUTs or one DSP block). */
const CUTS = ['unpack', 'product', 'increment', 'partial', 'exponent', 'normalize', 'output', 'lzc'] as const;
/**
 * For significands wider than LUT_PRODUCT_BITS (fp32): up to four cuts as for narrow ones (the product
 * in MULT18X18D blocks), and from 'tree' on the product in LUTs instead: on ECP5 a MULT18X18D alone
 * between fabric registers takes about 7 ns, while a LUT adder tree can be cut as finely as needed.
 */
const WIDE_CUTS = [
  'unpack',
  'product',
  'increment',
  'partial',
  'tree',
  'lzc',
  'tree2',
  'normalize',
  'output',
  'exponent',
] as const;
/**
 * For the table architecture: after the table and the field sum, after the subnormal shift, after
 * unpacking, once the rounding increment is decided, at the output.
 */
const TABLE_CUTS = ['product', 'normalize', 'unpack', 'increment', 'output'] as const;
const ARCHITECTURES = ['auto', 'table', 'datapath'] as const;
type Architecture = (typeof ARCHITECTURES)[number];
type Cut = (typeof WIDE_CUTS)[number];
const MAX_LATENCY = WIDE_CUTS.length;
/** Cuts that fall inside the rounding of a product (roundFlushedProduct has no place for them). */
const ROUNDING_CUTS: readonly Cut[] = ['product', 'exponent', 'normalize', 'increment'];

/** An exponent sum this wide (8-bit exponent fields) is compared with emin in LUTs at any latency. */
const WIDE_EXPONENT_SUM_BITS = 10;

function wideSignificands(aFormat: string, bFormat: string): boolean {
  const [fa, fb] = [floatFormat(aFormat as never), floatFormat(bFormat as never)];
  return Math.min(fa.mantBits, fb.mantBits) + 1 > LUT_PRODUCT_BITS;
}

/** What the architecture and the cut order depend on. */
type ArchitectureParams = RoundingParams & {
  aFormat: string;
  bFormat: string;
  outFormat: string;
  architecture: Architecture;
  multiplier?: string;
  latency: number;
  /** Registers placed by the delay model go into the unit built at latency 0: not a combinational one. */
  placement?: string;
};

function cutOrder(p: ArchitectureParams): readonly Cut[] {
  if (resolveArchitecture(p) === 'table') return TABLE_CUTS;
  return wideSignificands(p.aFormat, p.bFormat) ? WIDE_CUTS : CUTS;
}

/**
 * The table architecture where it applies and pays (docs/fp_mul.md#table-product): fractions of 6
 * bits or fewer together, a product that needs rounding, subnormal results kept (flushed ones have
 * roundFlushedProduct), no multiplier asked for, and a combinational unit (not one built at latency 0
 * for the delay model to place registers in).
 * - Into a wider mantissa its columns are as many as the product's bits and the datapath is smaller
 *   (E4M3 into FP16 on xc7 without DSPs: 135 against 93 LUTs).
 * - Pipelined, the datapath's cuts balance better: E4M3 with flags at latency 3 places at 122 against
 *   147 MHz on iCE40 and 139 against 176 on ECP5, so auto keeps it there; `architecture=table` still
 *   builds the table at latencies up to 5.
 */
function resolveArchitecture(p: ArchitectureParams): 'table' | 'datapath' {
  if (p.architecture !== 'auto') return p.architecture;
  const [fa, fb] = [floatFormat(p.aFormat), floatFormat(p.bFormat)];
  const pays =
    floatFormat(p.outFormat).mantBits < fa.mantBits + fb.mantBits + 1 &&
    p.latency === 0 &&
    p.placement !== 'model';
  return pays && whyNoTable(p) === undefined ? 'table' : 'datapath';
}

/** Why the table architecture cannot be built for these parameters, or undefined when it can. */
function whyNoTable(p: ArchitectureParams): string | undefined {
  const [fa, fb] = [floatFormat(p.aFormat), floatFormat(p.bFormat)];
  if (!fitsTable(fa, fb))
    return `${p.aFormat} and ${p.bFormat} have ${fa.mantBits} + ${fb.mantBits} mantissa bits (at most 6 together)`;
  if (p.outputSubnormals !== 'keep') return 'subnormal results are flushed (it needs outputSubnormals=keep)';
  if (p.multiplier !== undefined) return `a multiplier (${p.multiplier}) is asked for`;
  return undefined;
}

export type FpMulParams = GeneratorParams<typeof fpMul>;

/**
 * Significands of at most this many bits (FP8's to FP16's) are multiplied in LUTs, by gated, shifted
 * copies added (on ECP5 a MULT18X18D alone between registers takes about 7 ns; split around the
 * 'partial' cut, adders take less).
 */
const LUT_PRODUCT_BITS = 11;
/** Outputs of at most this many bits round their field unsigned and narrow (roundPack's narrowField). */
const NARROW_FIELD_MAX_BITS = 8;
/** A split significand product multiplies by slices of at most this many bits (under 10 ns on iCE40). */
const PARTIAL_PRODUCT_BITS = 6;
/**
 * Split in LUTs, the narrower operand goes in slices of at least this many bits, and at most three
 * of them: a few additions on either side of the cut (BF16's 8 bits: 3 + 3 + 2; FP16's 11: 4 + 4 + 3).
 */
const LUT_SLICE_BITS = 3;
const lutSliceBits = (width: number) =>
  Math.min(Math.ceil(width / 2), Math.max(LUT_SLICE_BITS, Math.ceil(width / 3)));

/**
 * Exact floating-point multiplier: the product of two floats is formed exactly, then rounded once
 * into the output format (a wide enough output, e.g. e4m3fn×e4m3fn→fp32, is exact).
 */
export const fpMul = defineGenerator({
  name: 'fp_mul',
  family: 'mul',
  summary:
    'floating-point multiplier for any two float formats into any float format, one rounding, latency 0..10 (0..8 for significands of 11 bits or fewer)',
  params: {
    aFormat: floatFormatParam().default('e4m3fn').describe('format of operand a'),
    bFormat: floatFormatParam().default('e4m3fn').describe('format of operand b'),
    outFormat: floatFormatParam(ROUNDED_FORMAT_NAMES)
      .default('e4m3fn')
      .describe('format of the product, rounded once with the rounding policy'),
    ...roundingParams,
    inputSubnormals: choiceParam(['keep', 'flush'])
      .default('keep')
      .describe('keep: subnormal operands count; flush: they read as zero (denormals-are-zero).'),
    flags: boolParam()
      .default(false)
      .describe("Add a 5-bit `flags` output: {invalid, 0, overflow, underflow, inexact}, TestFloat's order."),
    multiplier: multiplierParam(),
    architecture: choiceParam(ARCHITECTURES)
      .default('auto')
      .describe(
        "table: the fractions' product looked up in one table, already normalized to the output's precision, for formats whose mantissas have 6 bits or fewer together, subnormal results kept, latency up to 5 (docs/fp_mul.md#table-product); datapath: a multiplier, then alignment and rounding; auto: table for a combinational unit whose product needs rounding (E4M3: 62 LUTs on xc7 against 76) when no multiplier is asked for, datapath otherwise.",
      ),
  },
  latency: {
    max: MAX_LATENCY,
    default: 0,
    description:
      "Stage cuts, in order of use: after unpacking, after the significand product (the alignment's decisions from the exponent before it, its shift after), once the rounding increment is decided (before its addition), inside the significand product (partial products, then their sum), after the exponent sum (before the alignment's decisions), after normalization, at the output, then between a subnormal operand's leading-zero count and its shift (8 at most). Significands wider than 11 bits (fp32) take up to 10: the first four the same, then from the fifth on the product is a tree of LUT adders instead of multiplier blocks, cut inside (twice, then three times from the seventh), then between the leading-zero count and the shift (sixth), after normalization, at the output, after the exponent sum.",
  },
  check(p, ctx) {
    checkOutputPolicy(p, ctx);
    if (p.architecture === 'table') {
      const why = whyNoTable(p);
      if (why !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['architecture'],
          message: `architecture=table does not apply: ${why}`,
        });
        return;
      }
    }
    const order = cutOrder(p);
    if (p.latency > order.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['latency'],
        message: `a ${p.aFormat} × ${p.bFormat} multiplier${order === TABLE_CUTS ? ' by table' : ''} has ${order.length} stage cuts (latency 0 to ${order.length}), not ${p.latency}`,
      });
    }
  },
  build(p, top) {
    const [fa, fb, fo] = [floatFormat(p.aFormat), floatFormat(p.bFormat), floatFormat(p.outFormat)];
    const policy = resolvedOutputPolicy(p);
    const stem =
      `fp_mul_${p.aFormat}_${p.bFormat}_${p.outFormat}` +
      policyTag(p) +
      (p.inputSubnormals === 'flush' ? '_daz' : '') +
      (p.flags ? '_flags' : '') +
      // Auto multiplies significands of a few bits by shifts and adds, wider ones with `*`.
      multiplierTag(p.multiplier, narrowSignificands(fa, fb) ? undefined : 'behavioural') +
      // The datapath asked for where auto would take the table.
      (p.architecture === 'datapath' && resolveArchitecture({ ...p, architecture: 'auto' }) === 'table'
        ? '_datapath'
        : '');
    const m = top.module(stem);
    const cut = pipelineCuts(m, p.latency, cutOrder(p));
    const flush = p.inputSubnormals === 'flush';
    const aIn = m.input('a', UInt(floatLayout(fa).bits), `${p.aFormat} code`);
    const bIn = m.input('b', UInt(floatLayout(fb).bits), `${p.bFormat} code`);
    if (resolveArchitecture(p) === 'table') {
      const product = tabledProduct(
        unpackFloat(aIn, fa, 'a', flush),
        unpackFloat(bIn, fb, 'b', flush),
        { a: fa, b: fb, out: fo },
        'norm',
        {
          flushed: flush,
          belowGuard: p.flags && policy.tininess === 'after',
          rom: { name: `${stem}_table`, generator: 'fp_mul' },
          cut: (point) => cut.at(point),
        },
      );
      const increment = cut.has('increment') ? (point: 'increment') => cut.at(point) : undefined;
      return finish(roundPack(product, fo, policy, 'out', increment, { narrowField: true }));
    }
    // Tiny results flushed, and no cut inside the rounding (latency 0 or 1): roundFlushedProduct.
    const roundsFlushed = policy.subnormals === 'flush' && !ROUNDING_CUTS.some((c) => cut.has(c));

    // Subnormal operands are normalized first: the significands' hidden bits become constant ones,
    // and their product has at most one leading zero. With the 'lzc' cut, both operands' leading
    // zeros are counted before it and their significands shifted after it.
    const operand = (code: Signal, format: FloatFormat, prefix: string) => {
      const unpacked = unpackFloat(code, format, prefix, flush);
      // A flushed subnormal is zero, whatever its exponent: into roundFlushedProduct's sum goes the
      // field itself, without a subnormal's correction to 1 (xc7, E4M3 flushed: 4 LUTs fewer).
      const x =
        roundsFlushed && flush && format.subnormals
          ? { ...unpacked, biasedExp: unpacked.expField }
          : unpacked;
      const normalize = (lz?: Signal) => {
        const n = normalizeOperand(x, format, prefix, flush, lz);
        n.isSignalingNaN.named(`${prefix}_is_snan`);
        return n;
      };
      if (!cut.has('lzc')) {
        const n = normalize();
        return () => n;
      }
      const lz =
        format.subnormals && !flush && format.mantBits > 0
          ? operandLeadingZeros(x, format, prefix)
          : undefined;
      return () => normalize(lz);
    };
    const aRaw = operand(aIn, fa, 'a');
    const bRaw = operand(bIn, fb, 'b');
    cut.at('lzc');
    const a = aRaw();
    const b = bRaw();
    cut.at('unpack');

    const inLuts = narrowSignificands(fa, fb);
    let lutProducts = 0;
    const lutProduct = (x: Signal, y: Signal) => {
      const prefix = `product_lut${lutProducts++}`;
      return x.width >= y.width ? shiftAddProduct(x, y, prefix) : shiftAddProduct(y, x, prefix);
    };
    let boothProducts = 0;
    const wholeProduct: ((x: Signal, y: Signal) => Signal) | undefined =
      p.multiplier === 'booth4'
        ? (x, y) => boothProduct(x, y, `product_b${boothProducts++}`)
        : p.multiplier === 'behavioural' || !inLuts
          ? undefined
          : lutProduct;
    // From the 'tree' cut on (wide significands), the product is a tree of LUT adders, cut after
    // the levels below (24 bits: five levels; each stage holds at most two of them, about 6 ns on
    // ECP5 speed 6 with the routing between them).
    const treeCuts: Partial<Record<number, Cut>> = cut.has('tree2')
      ? { 1: 'tree2', 3: 'partial', 4: 'tree' }
      : { 2: 'partial', 4: 'tree' };
    // Otherwise split around the 'partial' cut: b in slices (of 6 bits for multiplier
    // blocks: under 10 ns on iCE40, whose multipliers are LUTs).
    const multiply = cut.has('tree')
      ? (x: Signal, y: Signal) =>
          lutTreeProduct(x, y, 'product', (level) => {
            const at = treeCuts[level];
            if (at !== undefined) cut.at(at);
          })
      : cut.has('partial')
        ? (x: Signal, y: Signal) =>
            splitProduct(
              x,
              y,
              Math.ceil(y.width / (inLuts ? lutSliceBits(y.width) : PARTIAL_PRODUCT_BITS)),
              () => cut.at('partial'),
              'product',
              wholeProduct,
            )
        : wholeProduct;
    // Special operands decide the result outright: NaN in, or Inf × 0, gives NaN (the latter is invalid).
    const product = {
      ...exactProduct(a, b, 'product', { keepBiases: true, multiply }),
      maxLeadingZeros: 1,
    };
    // Tiny results flushed: the mantissa is rounded from the significand alone, beside the exponent
    // sum (xc7 without DSPs, E4M3 flushed: 52 → 36 LUTs). NaN decides before zero there, so a zero
    // operand alone can stand for a zero product: a plainer flag than the product's own.
    const result = roundsFlushed
      ? roundFlushedProduct(
          { ...product, isZero: a.isZero.or(b.isZero).named('product_zero_operand') },
          fo,
          policy,
          'out',
          largestSig(a.sig.width, b.sig.width),
        )
      : alignThenRound(product, fo, policy, cut);
    return finish(result);

    function finish(result: RoundedFloat) {
      cut.at('output');
      m.output('p', result.code, `${p.outFormat} code of a×b`);
      if (p.flags) {
        const zero = m.constant(0, UInt(1));
        m.output(
          'flags',
          cat(result.invalid, zero, result.overflow, result.underflow, result.inexact),
          'IEEE flags {invalid, 0, overflow, underflow, inexact}',
        );
      }
      return m.build();
    }
  },
});

/** One significand (with its hidden bit) of LUT_PRODUCT_BITS or fewer: the product is shifts and adds. */
function narrowSignificands(fa: FloatFormat, fb: FloatFormat): boolean {
  return Math.min(fa.mantBits, fb.mantBits) + 1 <= LUT_PRODUCT_BITS;
}

/** The largest product of two significands of these widths. */
const largestSig = (wa: number, wb: number) => ((1n << BigInt(wa)) - 1n) * ((1n << BigInt(wb)) - 1n);

/** The product aligned to the output format (subnormal shift, one-bit normalization), then rounded. */
function alignThenRound(
  product: RawFloat,
  fo: FloatFormat,
  policy: ResolvedPolicy,
  cut: ReturnType<typeof pipelineCuts<Cut>>,
): RoundedFloat {
  cut.at('exponent');

  // The one-bit normalization and (output subnormals kept) the shift to the subnormal quantum in
  // one step, its amount known from the exponents alone (decided before the 'product' cut, beside
  // the multiplier); the exponent becomes the output's field.
  // With the exponent sum registered ('exponent' cut), its comparisons with emin in LUTs are faster
  // than through carry chains (ECP5); beside the sum, the chains are as fast for FP8 and FP16 sums
  // (6 and 7 bits), but a 10-bit sum (8-bit exponent fields) and a second chain behind it are slow:
  // bf16 at latency 3 on ECP5 speed 6, 104 MHz with the chains, 120 with LUTs (146 → 166 at 4).
  // (The same for the bits the subnormal shift drops: from a mask decoded from its amount.)
  const registered = cut.has('exponent') || cut.has('tree');
  const normalized = alignToFormat(product, fo, policy.subnormals, 'norm', () => cut.at('product'), {
    comparesInLuts: registered || product.exp.width >= WIDE_EXPONENT_SUM_BITS,
    lostFromMask: registered,
  });
  cut.at('normalize');

  // FP8 outputs (8 bits or fewer) without the 'increment' cut round the unsigned field, only as
  // wide as it gets. Measured on xc7 without DSPs: e4m3fn 80 → 76 LUTs (−3 on average over a dozen
  // policies and latencies), e5m2 about even; with the 'increment' cut (its overflow test beside
  // the addition) no gain, and FP16/BF16 outputs lose (ABC maps the narrower chain worse).
  return roundPack(
    normalized,
    fo,
    policy,
    'out',
    cut.has('increment') ? (point) => cut.at(point) : undefined,
    { narrowField: floatLayout(fo).bits <= NARROW_FIELD_MAX_BITS && !cut.has('increment') },
  );
}

/** Bits lsb .. lsb + value.width − 1 of a sum, whose largest possible value is `max` (in units of 2^lsb). */
interface Word {
  lsb: number;
  max: bigint;
  value: Signal;
}

/**
 * The unsigned product a×b in LUTs: one copy of a per bit of b, gated by that bit and weighted by
 * its place, added pairwise in a balanced tree (levels of additions). Each addition covers only the
 * bits where both words have some (the lower word's bits below the other's pass by), and its width
 * is that of the largest sum it can hold. `afterLevel(k)` is called once level k is built, where a
 * pipeline cut can go.
 */
function lutTreeProduct(a: Signal, b: Signal, prefix: string, afterLevel: (level: number) => void): Signal {
  const m = a.builder;
  const zero = m.constant(0, UInt(a.width));
  const aMax = (1n << BigInt(a.width)) - 1n;
  let words: Word[] = Array.from({ length: b.width }, (_, k) => ({
    lsb: k,
    max: aMax,
    value: mux(b.bit(k), a, zero).named(`${prefix}_pp${k}`),
  }));
  for (let level = 1; words.length > 1; level++) {
    const next: Word[] = [];
    for (let i = 0; i + 1 < words.length; i += 2) {
      next.push(addWords(words[i]!, words[i + 1]!, `${prefix}_sum${level}_${i / 2}`));
    }
    if (words.length % 2 === 1) next.push(words[words.length - 1]!);
    words = next;
    afterLevel(level);
  }
  const sum = words[0]!;
  const value = sum.lsb > 0 ? cat(sum.value, m.constant(0, UInt(sum.lsb))) : sum.value;
  return value.resize(a.width + b.width);
}

/** low + high, with low.lsb < high.lsb: the bits of low below high's lsb need no adder. */
function addWords(low: Word, high: Word, name: string): Word {
  const gap = high.lsb - low.lsb;
  const max = low.max + (high.max << BigInt(gap));
  const width = max.toString(2).length;
  const upper = width - gap;
  const lowUpper =
    low.value.width > gap ? low.value.slice(low.value.width - 1, gap).resize(upper) : undefined;
  const sum =
    lowUpper === undefined
      ? high.value.resize(upper)
      : lowUpper.add(high.value.resize(upper), { width: upper });
  const below = low.value.width >= gap ? low.value.slice(gap - 1, 0) : low.value.resize(gap);
  return { lsb: low.lsb, max, value: cat(sum, below).named(name) };
}
