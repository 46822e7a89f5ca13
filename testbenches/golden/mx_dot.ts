// Golden model of the OCP MX Dot (OCP Microscaling Formats v1.0 §6, docs/mx-nvfp4.md#mx_dot), from the
// definition with exact rationals:
//   MX:    y = round(2^(X_A − 127) · 2^(X_B − 127) · Σ_i P_A,i · P_B,i), one rounding of the exact value;
//          NaN if a scale is 0xFF, an element is NaN, a product is Inf · 0, or +Inf and −Inf products
//          meet; ±Inf otherwise if a product is infinite; an exact zero sum is +0.
//   NVFP4: y = round(S_A · S_B · Σ_i P_A,i · P_B,i) with the E4M3 scales' values, multiplied exactly
//          as IEEE multiplication would (signs multiply, so a zero sum times a negative scale is −0).
import {
  decode,
  encode,
  exactMul,
  finite,
  formatByName,
  inf,
  MX_FORMATS,
  nan,
  NVFP4,
  type ExactValue,
  type Format,
  type Policy,
} from '../../generators/formats/index.ts';
import { variantIs, variantPolicy } from './variant.ts';

export interface MxDotSpec {
  /** MX format names (mxfp8_e4m3, …, mxint8). */
  aFormat: string;
  bFormat: string;
  outFormat: string;
  policy: Policy;
}

const E8M0_NAN = 0xff;
const E8M0_BIAS = 127;
/** The E4M3 code of 1 (an NVFP4 scale that changes nothing). */
const ONE_E4M3 = 0x38;

export function mxElement(name: string): Format {
  if (name === NVFP4.name) return NVFP4.element;
  const format = MX_FORMATS.find((f) => f.name === name);
  if (format === undefined) throw new Error(`mx_dot golden: unknown block format '${name}'`);
  return format.element;
}

/** The exact products a_i·b_i of two blocks. */
export function blockProducts(
  fa: Format,
  fb: Format,
  a: readonly number[],
  b: readonly number[],
): ExactValue[] {
  return a.map((x, i) => exactMul(decode(fa, x), decode(fb, b[i]!)).value);
}

/** The exact sum of products under the dot product's special-value rule: finite, ±Inf or NaN. */
export function exactSum(products: readonly ExactValue[]): ExactValue {
  let anyNaN = false;
  let posInf = false;
  let negInf = false;
  const terms: { units: bigint; exp: number }[] = [];
  for (const p of products) {
    if (p.kind === 'nan') anyNaN = true;
    else if (p.kind === 'inf') p.sign ? (negInf = true) : (posInf = true);
    else if (p.sig !== 0n) terms.push({ units: p.sign ? -p.sig : p.sig, exp: p.exp });
  }
  if (anyNaN || (posInf && negInf)) return nan(0);
  if (posInf || negInf) return inf(negInf ? 1 : 0);
  const lowest = Math.min(0, ...terms.map((t) => t.exp));
  const sum = terms.reduce((s, t) => s + (t.units << BigInt(t.exp - lowest)), 0n);
  return sum === 0n ? finite(0, 0n, 0) : finite(sum < 0n ? 1 : 0, sum < 0n ? -sum : sum, lowest);
}

/** x · 2^k, exactly. */
export function timesPowerOfTwo(x: ExactValue, k: number): ExactValue {
  return x.kind === 'finite' ? finite(x.sign, x.sig, x.exp + k) : x;
}

/** The exact value before the rounding: X_A · X_B · Σ a_i·b_i, each scale decoded (NVFP4: E4M3 values). */
export function mxDotExact(
  spec: MxDotSpec,
  a: readonly number[],
  sa: number,
  b: readonly number[],
  sb: number,
): ExactValue {
  const sum = exactSum(blockProducts(mxElement(spec.aFormat), mxElement(spec.bFormat), a, b));
  if (spec.aFormat === NVFP4.name) {
    // The scales multiply as IEEE multiplication does, without rounding: a NaN scale or Inf · 0 is NaN.
    const value = exactMul(
      exactMul(sum, decode(NVFP4.blockScale, sa)).value,
      decode(NVFP4.blockScale, sb),
    ).value;
    return value.kind === 'nan' ? nan(0) : value;
  }
  if (sa === E8M0_NAN || sb === E8M0_NAN) return nan(0);
  return timesPowerOfTwo(sum, sa - E8M0_BIAS + sb - E8M0_BIAS);
}

export function mxDotGolden(
  spec: MxDotSpec,
  a: readonly number[],
  sa: number,
  b: readonly number[],
  sb: number,
): number {
  return encode(formatByName(spec.outFormat), blockDot(spec, { a, sa, b, sb }), variantPolicy(spec.policy))
    .code;
}

/** One block pair: the element codes of each block and its scale code. */
export interface MxDotPair {
  a: readonly number[];
  sa: number;
  b: readonly number[];
  sb: number;
}

/** One block pair's Dot before its rounding: mxDotExact, or under a variant the variant's value. */
function blockDot(spec: MxDotSpec, { a, sa, b, sb }: MxDotPair): ExactValue {
  const mx = spec.aFormat !== NVFP4.name;
  // Mutation 'mx_dot.scale-nan-ignored': 0xFF read as the power 2^128.
  if (mx && variantIs('mx_dot.scale-nan-ignored')) {
    const sum = exactSum(blockProducts(mxElement(spec.aFormat), mxElement(spec.bFormat), a, b));
    return timesPowerOfTwo(sum, sa + sb - 2 * E8M0_BIAS);
  }
  // Mutation 'mx_dot.one-scale': only a's scale applied.
  if (variantIs('mx_dot.one-scale')) return mxDotExact(spec, a, sa, b, mx ? E8M0_BIAS : ONE_E4M3);
  // Mutation 'mx_dot.round-products': each scaled product rounded into the output format, then summed.
  if (variantIs('mx_dot.round-products')) {
    const out = formatByName(spec.outFormat);
    const policy = variantPolicy(spec.policy);
    return exactSum(
      a.map((x, i) => {
        const lane = (c: number) => (j: number) => (j === i ? c : 0);
        const alone = mxDotExact(spec, a.map(lane(x)), sa, b.map(lane(b[i]!)), sb);
        return decode(out, encode(out, alone, policy).code);
      }),
    );
  }
  return mxDotExact(spec, a, sa, b, sb);
}

/** One step of a DotGeneral: a block pair, and whether it starts a new sum. */
export interface MxDotStep extends MxDotPair {
  clear: boolean;
}

/**
 * DotGeneral (docs/mx-nvfp4.md#dotgeneral): after each step, the exact sum of the Dot values of the
 * block pairs since the last clear, rounded once. Under the dot product's special-value rule a NaN
 * Dot (or +Inf meeting −Inf) makes the sum NaN until the next clear; an exact zero sum is +0.
 */
export function mxDotGeneralGolden(spec: MxDotSpec, steps: readonly MxDotStep[]): number[] {
  const out = formatByName(spec.outFormat);
  const policy = variantPolicy(spec.policy);
  let sum: ExactValue = finite(0, 0n, 0);
  return steps.map((s) => {
    const dot = blockDot(spec, s);
    // Mutation 'mx_dot.round-blocks': each Dot rounded, then added to the rounded sum with a rounding.
    if (variantIs('mx_dot.round-blocks')) {
      const rounded = (v: ExactValue) => decode(out, encode(out, v, policy).code);
      sum = rounded(exactSum(s.clear ? [rounded(dot)] : [sum, rounded(dot)]));
    } else sum = exactSum(s.clear ? [dot] : [sum, dot]);
    return encode(out, sum, policy).code;
  });
}
