import { addRaw } from '../arith/add.ts';
import { multiplierTag, multiply, type Multiplier } from '../arith/multiplier.ts';
import { alignToFormat } from '../arith/align.ts';
import { kulischLayout, type KulischLayout } from '../arith/kulisch.ts';
import { normalize } from '../arith/normalize.ts';
import { exactProduct } from '../arith/product.ts';
import type { RawFloat } from '../arith/raw-float.ts';
import { roundPack } from '../arith/round.ts';
import { shiftAddProduct } from '../arith/shift-add-product.ts';
import { signMagnitude } from '../arith/sign-magnitude.ts';
import { unpackFloat, type UnpackedFloat } from '../arith/unpack.ts';
import { signedBits, unsignedBits } from '../arith/widths.ts';
import { pairUp } from '../arith/pairwise.ts';
import { floatLayout, type FloatFormat, type ResolvedPolicy } from '../formats/index.ts';
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
import { mux, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { multiplierParam } from '../multiplier-param.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';

export type DotParams = GeneratorParams<typeof dot>;

/**
 * N-lane dot product y = Σ a_i·b_i of packed operand words (lane i in bits [i·w, (i+1)·w)). By default
 * every product becomes an exact fixed-point integer (weight q_A·q_B, docs/kulisch.md#width), an integer adder tree
 * sums them, and the sum is rounded once. The `tree` option rounds each product and each pairwise sum
 * of a balanced tree (lanes 2i and 2i+1 first), in an order the golden model follows.
 */
export const dot = defineGenerator({
  name: 'dot',
  family: 'mac',
  summary:
    'N-lane dot product: exact sum with one rounding, or an order-defined tree of rounded float additions',
  params: {
    aFormat: floatFormatParam(ROUNDED_FORMAT_NAMES).default('e4m3fn').describe('format of the a elements'),
    bFormat: floatFormatParam(ROUNDED_FORMAT_NAMES).default('e4m3fn').describe('format of the b elements'),
    lanes: intParam(1, 64).default(8).describe("elements of a and b per vector: the dot product's length"),
    sum: choiceParam(['exact', 'tree'])
      .default('exact')
      .describe(
        'exact: the products summed exactly, one rounding at the end; tree: products rounded, then a balanced tree of rounded additions.',
      ),
    outFormat: floatFormatParam(ROUNDED_FORMAT_NAMES)
      .default('fp32')
      .describe('Format of the result (and, for the tree, of every product and partial sum).'),
    ...roundingParams,
    multiplier: multiplierParam(),
  },
  latency: {
    max: 24,
    default: 2,
    description: 'Pipeline stages; the cut points, most useful first, are listed by `dotCutPoints`.',
  },
  check(p, ctx) {
    checkOutputPolicy(p, ctx);
    const points = dotCutPoints(p.lanes, p.sum).length;
    if (p.latency > points)
      ctx.addIssue({
        code: 'custom',
        path: ['latency'],
        message: `must be at most ${points} for ${p.lanes} lanes with the ${p.sum} sum: it has ${points} cut points`,
      });
  },
  build(p, top) {
    const [fa, fb, fo] = [floatFormat(p.aFormat), floatFormat(p.bFormat), floatFormat(p.outFormat)];
    const policy = resolvedOutputPolicy(p);
    const stem = `dot${p.lanes}_${p.aFormat}_${p.bFormat}_${p.outFormat}${p.sum === 'tree' ? '_tree' : ''}${policyTag(p)}${multiplierTag(p.multiplier)}`;
    const m = top.module(stem);
    const cut = pipelineCuts(m, p.latency, dotCutPoints(p.lanes, p.sum));
    const [wa, wb] = [floatLayout(fa).bits, floatLayout(fb).bits];
    const a = m.input(
      'a',
      UInt(wa * p.lanes),
      `${p.lanes} ${p.aFormat} codes, lane i in bits [${wa}·i +: ${wa}]`,
    );
    const b = m.input(
      'b',
      UInt(wb * p.lanes),
      `${p.lanes} ${p.bFormat} codes, lane i in bits [${wb}·i +: ${wb}]`,
    );
    const products = Array.from({ length: p.lanes }, (_, i) =>
      productRaw(
        a.slice(wa * (i + 1) - 1, wa * i),
        b.slice(wb * (i + 1) - 1, wb * i),
        fa,
        fb,
        `l${i}`,
        p.multiplier ?? 'auto',
      ),
    );
    cut.at('product');
    const y =
      p.sum === 'exact'
        ? roundExactSum(exactSum(products, exactSumLayout(fa, fb, p.lanes), cut), fo, policy, cut)
        : treeSum(products, fo, policy, cut);
    cut.at('output');
    m.output('y', y, `${p.outFormat} code of Σ a_i·b_i`);
    return m.build();
  },
});

/** Significands of at most this many bits are multiplied in LUTs (shift-add), not in a DSP block. */
const LUT_PRODUCT_BITS = 4;

function productRaw(
  a: Signal,
  b: Signal,
  fa: FloatFormat,
  fb: FloatFormat,
  prefix: string,
  multiplier: Multiplier,
): RawFloat {
  return laneProduct(
    unpackFloat(a, fa, `${prefix}_a`),
    unpackFloat(b, fb, `${prefix}_b`),
    prefix,
    multiplier,
  );
}

/**
 * The exact product of one lane's unpacked operands. auto: narrow significands multiply in LUTs
 * (shift-add), wider ones with `*`; booth4 and behavioural as they say (arith/multiplier.ts).
 */
export function laneProduct(
  ua: UnpackedFloat,
  ub: UnpackedFloat,
  prefix: string,
  multiplier: Multiplier = 'auto',
): RawFloat {
  // A 4×4-bit significand product is two levels of small adders: faster and smaller than a MULT18X18D.
  const [wide, narrow] = ua.sig.width >= ub.sig.width ? [ua, ub] : [ub, ua];
  const lut = multiplier === 'auto' && narrow.sig.width <= LUT_PRODUCT_BITS;
  const sigPrefix = `${prefix}_sig`;
  return exactProduct(ua, ub, `${prefix}_product`, {
    keepBiases: true,
    multiply: lut
      ? () => shiftAddProduct(wide.sig, narrow.sig, sigPrefix)
      : (x, y) => multiply(x, y, multiplier, sigPrefix),
  });
}

type Cuts = { at(point: string): void };

/** Levels of the balanced pairwise tree over `lanes` terms. */
function treeDepth(lanes: number): number {
  return Math.ceil(Math.log2(lanes));
}

/**
 * Where a dot product can be cut, most useful first: `latency` stages take the first `latency` points.
 * exact: the round, the normalization, the placing of the products as exact integers, the magnitude,
 * every second tree level (no stage holds more than two of the tree's carry chains; the magnitude's
 * negation counts as one), the product, the leading-zero count before the normalizing shift, the
 * rounding increment before its addition, the products' signs applied before their placing shift,
 * the remaining levels, last first (the last shares its stage with the magnitude's negation; then
 * every stage holds one carry chain), and the alignment before the rounding. tree: every rounded
 * addition splits into align-add | normalize | round.
 */
export function dotCutPoints(lanes: number, sum: 'exact' | 'tree'): string[] {
  const depth = treeDepth(lanes);
  const levels = Array.from({ length: depth }, (_, i) => `level${i + 1}`);
  if (sum === 'exact') {
    const even = levels.filter((_, i) => i % 2 === 1);
    const odd = levels.filter((_, i) => i % 2 === 0);
    return [
      'output',
      'normalized',
      'terms',
      'magnitude',
      ...even,
      'product',
      'counted',
      'increment',
      'signed',
      ...odd.reverse(),
      'aligned',
    ];
  }
  return [
    'output',
    ...levels.flatMap((level) => [`${level}_added`, `${level}_normalized`]),
    'rounded',
    'product',
    ...levels,
  ];
}

/** The exact sum's layout for `lanes` products of A and B, with the width one placed product needs. */
export interface ExactSumLayout extends KulischLayout {
  termWidth: number;
}

export function exactSumLayout(
  a: Parameters<typeof kulischLayout>[0],
  b: Parameters<typeof kulischLayout>[1],
  lanes: number,
): ExactSumLayout {
  return { ...kulischLayout(a, b, lanes), termWidth: kulischLayout(a, b, 1).width };
}

/** A tree node's value, and the +1 that a ones' complement term below it still owes (docs/kulisch.md#signs). */
interface TreeNode {
  value: Signal;
  owed?: Signal;
}

/**
 * Products as exact integers of weight q_A·q_B (`layout`), summed by a balanced integer adder tree: the
 * exact sum as a raw float of constant exponent, NaN if a product is NaN or +Inf meets −Inf.
 *
 * Each magnitude is placed unsigned and then inverted when negative (−x = ~x + 1); the +1s ride the
 * adders' carry inputs, one per adder. A tree of N terms has N − 1 adders, so lane 0 alone is negated
 * in two's complement before it is placed (docs/kulisch.md#signs). The term of a zero, Inf or NaN
 * product needs no masking: zero's significand is 0, and Inf or NaN decides the result whatever the sum.
 */
export function exactSum(products: RawFloat[], layout: ExactSumLayout, cut: Cuts): RawFloat {
  const m = products[0]!.sign.builder;
  const placers = products.map((pr, i) =>
    placer(i === 0 ? twosComplement(pr, 'l0_signed') : pr.sig, pr, layout, `l${i}_place`),
  );
  cut.at('signed');
  const terms: TreeNode[] = placers.map((place, i) => {
    const term = place();
    if (i === 0) return { value: term.named('l0_term') };
    const sign = products[i]!.sign;
    const inverted = term.asUnsigned().xor(sign.asSigned().resize(term.width).asUnsigned());
    return { value: inverted.asSigned().named(`l${i}_term`), owed: sign };
  });
  const anyNaN = products.map((pr) => pr.isNaN).reduce((x, y) => x.or(y));
  const posInf = products.map((pr) => pr.isInf.and(pr.sign.not())).reduce((x, y) => x.or(y));
  const negInf = products.map((pr) => pr.isInf.and(pr.sign)).reduce((x, y) => x.or(y));
  const invalid = products.map((pr) => pr.invalid!).reduce((x, y) => x.or(y));
  cut.at('terms');
  let level = terms;
  for (let depth = 1; level.length > 1; depth++) {
    // A sum of 2^d terms needs d bits more than one term; the last level, the sum's width.
    const width = Math.min(layout.width, layout.termWidth + depth);
    level = pairUp(level, (x, y) => addNodes(x, y, width));
    cut.at(`level${depth}`);
  }
  const sum = level[0]!.value.resize(layout.width).named('exact_sum');
  const { negative, magnitude } = signMagnitude(sum);
  const topExp = layout.width - 1 + layout.lsbExp;
  const raw: RawFloat = {
    sign: mux(posInf.or(negInf), negInf, negative),
    exp: m.constant(topExp, SInt(signedBits(topExp, topExp))),
    sig: magnitude.named('sum_magnitude'),
    isZero: sum.orR().not().and(anyNaN.or(posInf).or(negInf).not()),
    isInf: posInf.or(negInf).and(anyNaN.not()).and(posInf.and(negInf).not()),
    isNaN: anyNaN.or(posInf.and(negInf)),
    invalid: invalid.or(posInf.and(negInf)),
    expRange: { min: topExp, max: topExp },
  };
  cut.at('magnitude');
  return raw;
}

/**
 * x + y with one owed +1 as the carry in. Only the side holding lane 0 owes nothing, so one of the
 * two owes one, and the sum owes what the other side owed.
 */
function addNodes(x: TreeNode, y: TreeNode, width: number): TreeNode {
  const [carry, owed] = x.owed === undefined ? [y.owed!, undefined] : [x.owed, y.owed];
  const value = x.value
    .resize(width)
    .add(y.value.resize(width), { width })
    .add(carry.zext(width).asSigned(), { width });
  return { value, ...(owed === undefined ? {} : { owed }) };
}

/** A product's significand as a signed integer, negated when the product is negative. */
function twosComplement(pr: RawFloat, name: string): Signal {
  const sig = pr.sig.zext(pr.sig.width + 1).asSigned();
  return mux(pr.sign, sig.neg().resize(sig.width), sig).named(name);
}

/**
 * A product's significand (unsigned, or lane 0's signed one) shifted to its place in the exact sum, as
 * a term of the layout's term width: left by exp − offset, the offset putting the smallest product's
 * LSB at the sum's LSB. An exponent that is never negative shifts as it is, in a vector `offset` bits
 * longer whose low bits are dropped, so no subtraction precedes the shifter. The shift amount is
 * decided at once; the returned function shifts, after a cut where there is one.
 */
function placer(significand: Signal, pr: RawFloat, layout: ExactSumLayout, prefix: string): () => Signal {
  const offset = pr.sig.width - 1 + layout.lsbExp + (pr.expBias ?? 0);
  const width = layout.termWidth;
  const range = pr.expRange;
  if (range !== undefined && range.min >= 0 && offset >= 0) {
    const amount = pr.exp.asUnsigned().resize(unsignedBits(range.max)).named(`${prefix}_exp`);
    return () =>
      significand
        .resize(width + offset)
        .shl(amount)
        .slice(width + offset - 1, offset)
        .asSigned();
  }
  const shiftBits = Math.max(1, Math.ceil(Math.log2(width)));
  const amount = pr.exp
    .sub(offset, { width: pr.exp.width + 2 })
    .resize(shiftBits + 1)
    .asUnsigned()
    .resize(shiftBits)
    .named(prefix);
  return () => significand.resize(width).shl(amount);
}

/** The exact sum normalized and rounded once into `fo`. */
export function roundExactSum(raw: RawFloat, fo: FloatFormat, policy: ResolvedPolicy, cut: Cuts): Signal {
  const normalized = normalize(raw, 'sum_norm', (point) => cut.at(point));
  cut.at('normalized');
  // Normalized, the significand has no leading zero: alignToFormat only denormalizes (when the sum can
  // be tiny in the output format) and jams the bits below the guard into one sticky bit.
  const aligned = alignToFormat({ ...normalized, maxLeadingZeros: 0 }, fo, policy.subnormals, 'sum_align');
  cut.at('aligned');
  // With the overflow decided beside the rounding addition, and a cut before that addition.
  return roundPack(aligned, fo, policy, 'out', (point) => cut.at(point)).code;
}

/** Each product rounded into the output format, then pairwise rounded additions, level by level. */
function treeSum(products: RawFloat[], fo: FloatFormat, policy: ResolvedPolicy, cut: Cuts): Signal {
  const rounded = products.map(
    (pr, i) =>
      roundPack(normalize({ ...pr, maxLeadingZeros: pr.sig.width }, `l${i}_norm`), fo, policy, `l${i}_r`)
        .code,
  );
  cut.at('rounded');
  let level = rounded;
  for (let depth = 1; level.length > 1; depth++) {
    const sums: RawFloat[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      const prefix = `t${depth - 1}_${i / 2}`;
      const x = unpackFloat(level[i]!, fo, `${prefix}_x`);
      const y = unpackFloat(level[i + 1]!, fo, `${prefix}_y`);
      const raw = (u: typeof x): RawFloat => ({
        sign: u.sign,
        exp: u.exp,
        sig: u.sig,
        isZero: u.isZero,
        isInf: u.isInf,
        isNaN: u.isNaN,
        invalid: u.isSignalingNaN,
      });
      sums.push(addRaw(raw(x), raw(y), policy.rounding === 'rdown' ? 1 : 0, `${prefix}_add`));
    }
    cut.at(`level${depth}_added`);
    const normalized = sums.map((sum, j) => normalize(sum, `t${depth - 1}_${j}_norm`));
    cut.at(`level${depth}_normalized`);
    const codes = normalized.map((v, j) => roundPack(v, fo, policy, `t${depth - 1}_${j}`).code);
    // An odd level passes its last value on unchanged.
    level = level.length % 2 === 1 ? [...codes, level[level.length - 1]!] : codes;
    cut.at(`level${depth}`);
  }
  return level[0]!;
}
