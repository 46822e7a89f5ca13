// Golden model of the W4A16 MAC, from docs/w4a16.md#restructured-gemv: y = Σ_g s_g · (Σ_{k∈g} a_k·w_k − z_g·Σ_{k∈g} a_k), w_k the
// weight code's value: INT4, UINT4 (with the zero point z_g), E2M1, RaZeR (docs/razer.md#idea: OCP E2M1 whose −0
// code is the group's special value SV[sv_g]), BitMoD's mixed FP4 (the group's data type picks the −0 code's value),
// SF4, E2M1 with a supernormal, APoT4, INT6 or FP6 (docs/w4a16.md#weight-formats-of-mixed_mac), all decoded by the
// format library (GEMV_WEIGHT_FORMATS), exactly, on whatever grid their values lie.
//
// inner 'exact': group sums are exact; each group's exact value s_g·D_g enters the outer sum with one IEEE
// addition (one rounding). s, z and sv are read on the group's last element.
// inner 'fp32': acc = +0, then acc = round_fp32(acc + a_k·(w_k − z_g)) for every element (exact product,
// one rounding), and at the group's end y = round_out(y + s_g·acc) (one rounding, a fused multiply-add).
// z and sv are read on the group's first element, s on its last.
// A NaN or infinite activation makes its group NaN (the generator's policy).
import {
  RAZER_SPECIAL_VALUES,
  add,
  decode,
  encode,
  finite,
  fma,
  formatByName,
  exactFma,
  integer,
  mul,
  nan,
  type ExactValue,
  type FloatFormat,
  type Format,
  type Policy,
} from '../../generators/formats/index.ts';
import { GEMV_WEIGHT_FORMATS } from '../../generators/formats/gemv-weights.ts';
import { variantIs, variantPolicy } from './variant.ts';

export type MixedMacWeight =
  | 'int4'
  | 'uint4'
  | 'e2m1fn'
  | 'razer'
  | 'sf4'
  | 'fp4_range'
  | 'fp4_prec2'
  | 'bitmod'
  | 'apot4'
  | 'int6'
  | 'e3m2fn'
  | 'e2m3fn';

export interface MixedMacSpec {
  weight: MixedMacWeight;
  activation: string;
  scale: string;
  outFormat: string;
  group: number;
  policy: Policy;
  /** razer: the special value of each sv index, in E2M1 units; default {+5, +8, −5, −8}. */
  specialValues?: readonly number[];
  /** Sum inside a group: exact (default) or fp32 with one rounding per element. */
  inner?: 'exact' | 'fp32';
}

export interface MixedMacStep {
  w: number;
  a: number;
  clear: boolean;
  s: number;
  z: number;
  /** The group selector (0..3): RaZeR's special-value index, BitMoD's data type; ignored by the other weights. */
  sv?: number;
}

/** The weight formats by name; RaZeR and BitMoD have one per value of the group's selector. */
function weightFormats(spec: MixedMacSpec): Format[] {
  return GEMV_WEIGHT_FORMATS[spec.weight].formats(spec.specialValues ?? RAZER_SPECIAL_VALUES);
}

/** An exponent at or below every nonzero weight value's lowest bit: every weight is an integer times 2^it. */
function weightExp(formats: Format[], bits: number): number {
  let exp = 0;
  for (const f of formats)
    for (let code = 0; code < 2 ** bits; code++) {
      const v = decode(f, code);
      if (v.kind === 'finite' && v.sig !== 0n) exp = Math.min(exp, v.exp);
    }
  return exp;
}

/** value = integer · 2^exp with a common exponent, for exact sums. */
function asInteger(v: ExactValue, exp: number): bigint {
  if (v.kind !== 'finite') throw new Error(`mixed_mac golden: ${v.kind} is not a finite value`);
  if (v.sig !== 0n && v.exp < exp) throw new Error(`mixed_mac golden: a value below 2^${exp}`);
  const n = v.sig << BigInt(v.sig === 0n ? 0 : v.exp - exp);
  return v.sign ? -n : n;
}

/**
 * A scale code's value. Mutation 'mixed_mac.scale-specials-ignored': an Inf or NaN code read as an
 * ordinary number (its all-ones exponent field taken as one more binade), as a scale multiplier that
 * never looks at the special encodings would.
 */
function scaleValue(format: Format, code: number): ExactValue {
  const s = decode(format, code);
  if (!variantIs('mixed_mac.scale-specials-ignored') || s.kind === 'finite' || format.kind !== 'float')
    return s;
  const f = format as FloatFormat;
  const sign = f.signed ? (((code >> (f.expBits + f.mantBits)) & 1) as 0 | 1) : 0;
  const e = (code >> f.mantBits) & ((1 << f.expBits) - 1);
  const m = code & ((1 << f.mantBits) - 1);
  return finite(sign, BigInt((1 << f.mantBits) + m), e - f.bias - f.mantBits);
}

/** A signed integer times 2^exp as an exact value. */
const scaled = (n: bigint, exp: number): ExactValue => finite(n < 0n ? 1 : 0, n < 0n ? -n : n, exp);

/**
 * A group's sum D of its products (integers in units of 2^exp): exact. Mutations, each a narrower sum
 * that only a group whose large products cancel tells from the exact one (testbenches/plans/mixed_mac.ts
 * cancellationSegment):
 * - 'mixed_mac.inner-fp32': an fp32 accumulator rounded after every product;
 * - 'mixed_mac.group-window': the products aligned on the largest and summed in a window of the output's
 *   significand + log2(group) carry bits + 3 guard bits, the bits below it dropped (truncated toward
 *   zero), as a block floating-point adder tree does (FP8 tensor cores keep about 14 bits so:
 *   DeepSeek-V3 technical report, arXiv:2412.19437, §3.3.2).
 */
function groupSum(terms: bigint[], exp: number, out: Format, group: number, policy: Policy): ExactValue {
  if (variantIs('mixed_mac.inner-fp32')) {
    const f32 = formatByName('fp32');
    return terms.reduce<ExactValue>(
      (acc, t) => decode(f32, add(f32, acc, scaled(t, exp), policy).code),
      finite(0, 0n, 0),
    );
  }
  if (variantIs('mixed_mac.group-window')) {
    const window = (out as FloatFormat).mantBits + 1 + Math.ceil(Math.log2(group)) + 3;
    const top = Math.max(0, ...terms.map((t) => (t < 0n ? -t : t).toString(2).length));
    const cut = BigInt(Math.max(0, top - window));
    const kept = terms.reduce((sum, t) => sum + (t < 0n ? -(-t >> cut) : t >> cut), 0n);
    return scaled(kept << cut, exp);
  }
  return scaled(
    terms.reduce((sum, t) => sum + t, 0n),
    exp,
  );
}

export function mixedMacGolden(spec: MixedMacSpec, steps: readonly MixedMacStep[]): number[] {
  const fa = formatByName(spec.activation);
  const fs = formatByName(spec.scale);
  const fo = formatByName(spec.outFormat);
  const f32 = formatByName('fp32');
  const formats = weightFormats(spec);
  const wExp = weightExp(formats, GEMV_WEIGHT_FORMATS[spec.weight].bits);
  const weight = (code: number, sv: number | undefined) => decode(formats[sv ?? 0] ?? formats[0]!, code);
  // Every finite activation is a multiple of its smallest subnormal, code 1: 2^aExp.
  const aExp = (decode(fa, 1) as ExactValue & { kind: 'finite' }).exp;
  const policy = variantPolicy(spec.policy);
  const nanCode = (format: Format) => encode(format, nan(0), policy).code;
  const fp32Inner = spec.inner === 'fp32';

  let outer = 0;
  // Mutation 'mixed_mac.final-rounding': the outer sum kept exact, rounded only where it is output.
  let exactOuter: ExactValue = finite(0, 0n, 0);
  let count = 0;
  // exact: the group's elements so far; fp32: the group's accumulator and the metadata of its first element.
  let elements: { a: ExactValue; w: number }[] = [];
  let acc = 0;
  let first: MixedMacStep | undefined;
  return steps.map((step) => {
    if (step.clear) [outer, exactOuter, count] = [0, finite(0, 0n, 0), 0];
    if (count === 0) [elements, acc, first] = [[], 0, step];
    const a = decode(fa, step.a);
    // Mutation 'mixed_mac.group-boundary': the group counter closes a group one element early.
    const last = count === spec.group - (variantIs('mixed_mac.group-boundary') ? 2 : 1);
    if (fp32Inner) {
      const w = spec.weight === 'uint4' ? integer(BigInt(step.w - first!.z)) : weight(step.w, first!.sv);
      // Mutation 'mixed_mac.specials-ignored': a NaN or infinite activation skipped, as if it were +0.
      if (a.kind === 'finite') acc = fma(f32, a, w, decode(f32, acc), policy).code;
      else if (!variantIs('mixed_mac.specials-ignored')) acc = nanCode(f32);
      if (last && variantIs('mixed_mac.final-rounding')) {
        exactOuter = exactFma(scaleValue(fs, step.s), decode(f32, acc), exactOuter).value;
        outer = encode(fo, exactOuter, policy).code;
      } else if (last)
        outer = fma(fo, scaleValue(fs, step.s), decode(f32, acc), decode(fo, outer), policy).code;
    } else {
      elements.push({ a, w: step.w });
      if (last) {
        // Mutation 'mixed_mac.metadata-first': s, z and sv read on the group's first element.
        const meta = variantIs('mixed_mac.metadata-first') ? first! : step;
        // D = Σ a·w − z·Σ a, exactly, in units of 2^(aExp + wExp); w under the group's selector.
        const z = spec.weight === 'uint4' && !variantIs('mixed_mac.no-zero-point') ? BigInt(meta.z) : 0n;
        const terms: bigint[] = [];
        let poisoned = false;
        for (const e of elements) {
          if (e.a.kind !== 'finite') {
            poisoned ||= !variantIs('mixed_mac.specials-ignored');
            continue;
          }
          const units = asInteger(e.a, aExp);
          terms.push(units * (asInteger(weight(e.w, meta.sv), wExp) - z * (1n << BigInt(-wExp))));
        }
        const dValue = groupSum(terms, aExp + wExp, fo, spec.group, policy);
        const scale = scaleValue(fs, meta.s);
        if (variantIs('mixed_mac.final-rounding')) {
          exactOuter = poisoned ? nan(0) : exactFma(scale, dValue, exactOuter).value;
          outer = encode(fo, exactOuter, policy).code;
        } else if (poisoned) outer = add(fo, decode(fo, outer), nan(0), policy).code;
        // Mutation 'mixed_mac.scale-per-element': s·a·(w − z) enters the outer sum element by element,
        // one rounding each, in place of s·D once per group.
        else if (variantIs('mixed_mac.scale-per-element') && scale.kind === 'finite')
          for (const n of terms)
            outer = fma(fo, scale, scaled(n, aExp + wExp), decode(fo, outer), policy).code;
        // Mutation 'mixed_mac.unfused-scale': s·D rounded to the output format, then added (two roundings).
        else if (variantIs('mixed_mac.unfused-scale'))
          outer = add(fo, decode(fo, outer), decode(fo, mul(fo, scale, dValue, policy).code), policy).code;
        else outer = fma(fo, scale, dValue, decode(fo, outer), policy).code;
      }
    }
    count = last ? 0 : count + 1;
    return outer;
  });
}
