// Golden model of the GEMV core, from docs/w4a16.md#restructured-gemv (and docs/razer.md, docs/mx-nvfp4.md for the element and scale formats):
//   y_n = out( Σ_g^fp32 s_{g,n} · ( Σ_{k∈g} a_k·w_{k,n} − z_{g,n}·Σ_{k∈g} a_k ) )
// Each group's value is exact; the groups enter an fp32 sum one at a time, in order, each with one
// rounding; the sum is then converted to the output format. With 'aligned' accumulation the group's
// activations are first truncated to the grid of its largest exponent (a shared-exponent block).
// A group whose activations hold a NaN or an infinity, or whose weights hold a NaN code, contributes
// NaN (W4A16 activations are finite).
// Integer activations (int8, int4: two's complement codes, docs/w4a16.md#integer-activations) carry a
// scale of their own, one per job or one per group: it is one more exact factor of the group's value,
//   y_n = out( Σ_g^fp32 s_{g,n} · sa_g · ( Σ_{k∈g} a_k·w_{k,n} − z_{g,n}·Σ_{k∈g} a_k ) ),
// the two scales multiplied as extended reals (a NaN scale, or an infinite one times a zero one, is NaN).
// Mixed activations (int4_int8, COMET, docs/w4a16.md#mixed-4-and-8-bit-activations) hold 8-bit codes;
// each group is int8 (every code its own value) or int4 (each code's low 4 bits, two's complement, the
// rest not read), as the job's flag of the group says.
// Quantized tables (lut_gemv's tableFormat 'int8', docs/lut-gemv.md#quantized-tables) replace a group's
// Σ a·w by the sum over its chunks of the products T-MAC's int8 tables give (quantizedChunkDot).
import {
  add,
  convert,
  decode,
  encode,
  exactAdd,
  exactMul,
  finite,
  formatByName,
  inf,
  nan,
  floatLayout,
  type ExactValue,
  type FiniteValue,
  type FloatFormat,
  type Format,
  type Policy,
} from '../../generators/formats/index.ts';
import { GEMV_WEIGHT_FORMATS, type GemvWeightName } from '../../generators/formats/gemv-weights.ts';
import { variantIs, variantPolicy } from './variant.ts';

export interface GemvSpec {
  weight: GemvWeightName;
  activation: string;
  scale: string;
  group: number;
  outFormat: string;
  policy: Policy;
  specialValues: readonly number[];
  /**
   * 'exact': activations enter the group sums exactly. 'aligned': each group's activations are first
   * put on the grid of its largest exponent E (that of its largest finite activation, at least the
   * format's emin) with `alignBits` bits from 2^E down, truncated toward zero.
   */
  accumulation: 'exact' | 'aligned';
  alignBits: number;
  /** Integer activations' scale: one for the job ('token', xs[0]) or one per group ('group', xs[g]). */
  activationScale?: { kind: 'token' | 'group'; format: string };
  /**
   * Quantized tables: each chunk of `lanes` activations is cut into tables of g, plain (2^g subset
   * sums) or mirrored (Σ ±a), whose entries are rounded to ±127 units of the chunk's scale.
   */
  table?: { g: number; mirror: boolean; lanes: number };
}

/** One matrix-vector product: codes as unsigned integers. */
export interface GemvJob {
  k: number;
  n: number;
  /** k activation codes. */
  x: number[];
  /** n rows of k weight codes. */
  w: number[][];
  /** n rows of ⌈k/group⌉ scale codes, zero points and RaZeR indexes. */
  s: number[][];
  z: number[][];
  sv: number[][];
  /** Activation scale codes: one (per token) or one per group (per group), when the spec has them. */
  xs?: number[];
  /** Mixed activations: per group, int8 (true) or int4 (false). */
  xWide?: boolean[];
}

/**
 * A mixed job's activation k: its int8 value, or its low nibble's int4 value. Mutation
 * 'gemv.high-half-unshifted': an int8 code counted as q_hi + q_lo (its high half not weighted by 16).
 */
function mixedActivation(spec: GemvSpec, job: GemvJob, k: number): ExactValue {
  const code = job.x[k]!;
  if (!job.xWide![Math.floor(k / spec.group)]) return decode(formatByName('int4'), code & 15);
  const value = decode(formatByName('int8'), code);
  if (!variantIs('gemv.high-half-unshifted')) return value;
  const n = (code & 0x80 ? (code >> 4) - 16 : code >> 4) + (code & 15);
  return finite(n < 0 ? 1 : 0, BigInt(Math.abs(n)), 0);
}

/** The grid of an aligned group: 2^(E − alignBits + 1), E its largest activation exponent (≥ emin). */
function alignedExp(group: ExactValue[], format: Format, alignBits: number): number {
  const emin = floatLayout(format as FloatFormat).emin;
  let top = emin;
  for (const v of group) {
    if (v.kind !== 'finite' || v.sig === 0n) continue;
    top = Math.max(top, v.exp + v.sig.toString(2).length - 1);
  }
  // Mutation 'gemv.grid-below-top': alignBits bits below 2^E (one more than from 2^E down).
  return top - alignBits + (variantIs('gemv.grid-below-top') ? 0 : 1);
}

/** A finite value as an integer multiple of 2^exp, truncated toward zero. */
function truncatedUnits(v: FiniteValue, exp: number): bigint {
  const shift = v.exp - exp;
  const n = shift >= 0 ? v.sig << BigInt(shift) : v.sig >> BigInt(-shift);
  return v.sign ? -n : n;
}

/** A finite value as an integer multiple of 2^exp (exp at most the value's own exponent). */
function units(v: FiniteValue, exp: number): bigint {
  const n = v.sig << BigInt(v.exp - exp);
  return v.sign ? -n : n;
}

/** A weight coding linear in its bits, w(q) = Σ_p C_p·bit_p(q) + d, read off its values. */
interface PlaneCoding {
  coefficients: bigint[];
  offset: bigint;
}

function planeCoding(elements: Format, bits: number): PlaneCoding {
  const value = (code: number) => {
    const v = decode(elements, code);
    if (v.kind !== 'finite') throw new Error(`quantized tables: weight code ${code} is not a number`);
    return units(v, 0);
  };
  const offset = value(0);
  const coefficients = Array.from({ length: bits }, (_, p) => value(1 << p) - offset);
  for (let q = 0; q < 1 << bits; q++) {
    const linear = coefficients.reduce((sum, c, p) => sum + ((q >> p) & 1 ? c : 0n), offset);
    if (linear !== value(q))
      throw new Error(`quantized tables: the weight's value is not linear in its bits`);
  }
  return { coefficients, offset };
}

/** The least L with |n| < 2^L. */
const bitLength = (n: bigint) => (n < 0n ? -n : n).toString(2).replace(/^0$/, '').length;

/**
 * The table scale exponent of a chunk: s = max(0, L + ⌈log2 g⌉ − 7), L the least with every
 * |activation| < 2^L. Mutation 'gemv.table-scale-per-group': L of the whole group.
 */
function tableScale(lanes: bigint[], g: number): number {
  const L = Math.max(0, ...lanes.map(bitLength));
  return Math.max(0, L + Math.ceil(Math.log2(g)) - 7);
}

/** Fraction bits r of the activations' grid below the table unit 2^s. */
const tableFraction = (g: number) => Math.ceil(Math.log2(g)) + 3;

/**
 * An entry x with s fraction bits as a whole number of units: rounded to nearest, ties to even, and
 * clamped to ±127. Mutations 'gemv.table-truncated' (rounded toward −∞), 'gemv.table-unclamped'.
 */
function quantizedEntry(x: bigint, s: number): bigint {
  const unit = 1n << BigInt(s);
  let q = x >> BigInt(s); // floor
  const rest = x - q * unit;
  const half = unit / 2n;
  if (!variantIs('gemv.table-truncated') && s > 0 && (rest > half || (rest === half && (q & 1n) === 1n))) q++;
  if (variantIs('gemv.table-unclamped')) return q;
  return q > 127n ? 127n : q < -127n ? -127n : q;
}

/**
 * One row's Σ a·w over a chunk from quantized tables (T-MAC, docs/lut-gemv.md#quantized-tables), in the
 * activations' units. The chunk's lanes, each put on the grid of 2^(s − r), are cut into tables of g;
 * plane p's g weight bits pick an entry, Σ of the picked lanes (plain) or Σ ±lane (mirrored, + where
 * the bit is 1), rounded to a whole number of 2^s; the coding's identity then gives Σ a·w:
 *   plain:    Σ_p C_p·Σ_j Q(T_j,p) + d·Σ_j Q(T_j,all)
 *   mirrored: ½·(Σ_p C_p·Σ_j Q(M_j,p) + (Σ_p C_p + 2d)·Σ_j Q(M_j,all))
 */
function quantizedChunkDot(
  a: bigint[],
  codes: number[],
  coding: PlaneCoding,
  table: NonNullable<GemvSpec['table']>,
  s: number,
): bigint {
  const { g, mirror } = table;
  // Each activation on the grid of 2^(s − r), rounded toward −∞ (mutation 'gemv.table-exact': the
  // exact entries, with no grid, rounding or clamp).
  const exact = variantIs('gemv.table-exact');
  const r = tableFraction(g);
  const grid = a.map((x) => (x << BigInt(r)) >> BigInt(s));
  const entry = (j: number, picked: (t: number) => boolean) => {
    let sum = 0n;
    const lanes = exact ? a : grid;
    for (let t = 0; t < g; t++) sum += picked(t) ? lanes[j * g + t]! : mirror ? -lanes[j * g + t]! : 0n;
    return exact ? sum : quantizedEntry(sum, r) << BigInt(s);
  };
  const tables = Array.from({ length: a.length / g }, (_, j) => j);
  const all = tables.reduce((sum, j) => sum + entry(j, () => true), 0n);
  let total = coding.coefficients.reduce(
    (sum, c, p) =>
      sum + c * tables.reduce((t, j) => t + entry(j, (i) => ((codes[j * g + i]! >> p) & 1) === 1), 0n),
    0n,
  );
  const sumC = coding.coefficients.reduce((x, y) => x + y, 0n);
  total += (mirror ? sumC + 2n * coding.offset : coding.offset) * all;
  // Doubled for mirrored tables: even when s = 0 (exact entries), and 2^s/2 whole otherwise.
  if (!mirror) return total;
  if (total % 2n !== 0n) throw new Error('quantized tables: a mirrored chunk sum is odd');
  return total / 2n;
}

/** Where group g starts (mutation 'gemv.group-boundary': one element early). */
function groupStart(g: number, group: number, k: number): number {
  return g === 0 ? 0 : Math.min(k, g * group - (variantIs('gemv.group-boundary') ? 1 : 0));
}

/**
 * A scale code's value. Mutation 'gemv.scale-specials-ignored': an Inf or NaN code (E8M0's 0xFF, FP16's
 * all-ones exponent) read as an ordinary number one binade above the largest, as a scale multiplier that
 * never looks at the special encodings would.
 */
function scaleValue(format: Format, code: number): ExactValue {
  const s = decode(format, code);
  if (!variantIs('gemv.scale-specials-ignored') || s.kind === 'finite' || format.kind !== 'float') return s;
  const f = format as FloatFormat;
  const sign = f.signed ? (((code >> (f.expBits + f.mantBits)) & 1) as 0 | 1) : 0;
  const e = (code >> f.mantBits) & ((1 << f.expBits) - 1);
  const m = code & ((1 << f.mantBits) - 1);
  return finite(sign, BigInt((1 << f.mantBits) + m), e - f.bias - f.mantBits);
}

/**
 * The group's scale times the activation scale of group g, exactly (IEEE special values: a NaN factor or
 * Inf·0 gives NaN). Mutation 'gemv.activation-scale-dropped': the activation scale is left out.
 */
function withActivationScale(spec: GemvSpec, job: GemvJob, g: number, s: ExactValue): ExactValue {
  if (spec.activationScale === undefined || variantIs('gemv.activation-scale-dropped')) return s;
  const code = job.xs![spec.activationScale.kind === 'token' ? 0 : g]!;
  return exactMul(s, decode(formatByName(spec.activationScale.format), code)).value;
}

/** A group's Σ a·w from quantized tables, chunk by chunk (absent lanes of the last chunk are 0). */
function quantizedGroupDot(
  spec: GemvSpec,
  job: GemvJob,
  row: number,
  first: number,
  last: number,
  group: ExactValue[],
  aExp: number,
  bits: number,
  elements: Format,
): bigint {
  const table = spec.table!;
  const coding = planeCoding(elements, bits);
  // A group with a NaN or an infinity is NaN before this is asked; under 'gemv.specials-ignored' they count as 0.
  const lanes = group.map((a) => (a.kind === 'finite' ? truncatedUnits(a, aExp) : 0n));
  const groupScale = tableScale(lanes, table.g);
  let dot = 0n;
  for (let c = 0; c < last - first; c += table.lanes) {
    const a = Array.from({ length: table.lanes }, (_, i) => lanes[c + i] ?? 0n);
    const codes = Array.from({ length: table.lanes }, (_, i) => job.w[row]![first + c + i] ?? 0);
    const s = variantIs('gemv.table-scale-per-group') ? groupScale : tableScale(a, table.g);
    dot += quantizedChunkDot(a, codes, coding, table, s);
  }
  return dot;
}

export function gemvGolden(spec: GemvSpec, job: GemvJob): number[] {
  const policy = variantPolicy(spec.policy);
  // Mutation 'gemv.reads-past-k': the don't-care lanes of the last chunk (the stimulus's padding) count.
  if (variantIs('gemv.reads-past-k')) job = { ...job, k: job.x.length };
  const mixed = spec.activation === 'int4_int8';
  const fa = formatByName(mixed ? 'int8' : spec.activation);
  const fs = formatByName(spec.scale);
  const fp32 = formatByName('fp32');
  const fo = formatByName(spec.outFormat);
  const weight = GEMV_WEIGHT_FORMATS[spec.weight];
  const elementFormats = weight.formats(spec.specialValues);
  const groups = Math.ceil(job.k / spec.group);
  const activations = job.x
    .slice(0, job.k)
    .map((code, k) => (mixed ? mixedActivation(spec, job, k) : decode(fa, code)));
  // A common exponent below every finite activation and weight value, for exact integer sums.
  const lowest = (values: ExactValue[]) =>
    Math.min(0, ...values.filter((v): v is FiniteValue => v.kind === 'finite').map((v) => v.exp));
  const exactExp = lowest(activations);
  return Array.from({ length: job.n }, (_, row) => {
    let acc = 0; // fp32 +0
    let exactTotal: ExactValue = finite(0, 0n, 0);
    for (let g = 0; g < groups; g++) {
      const first = groupStart(g, spec.group, job.k);
      const last = groupStart(g + 1, spec.group, job.k);
      const elements = elementFormats[job.sv[row]?.[g] ?? 0] ?? elementFormats[0]!;
      const weights = job.w[row]!.slice(first, last).map((code) => decode(elements, code));
      const wExp = lowest(weights);
      let poisoned = false;
      let dot = 0n;
      let sum = 0n;
      // The group's activations as integers in units of 2^aExp (aligned: truncated to that grid).
      const groupActivations = activations.slice(first, last);
      // Quantized tables work in the hardware's units: the format's smallest subnormal (1 for integers).
      const aExp =
        spec.accumulation === 'aligned'
          ? alignedExp(groupActivations, fa, spec.alignBits)
          : spec.table !== undefined && fa.kind === 'float'
            ? floatLayout(fa as FloatFormat).emin - (fa as FloatFormat).mantBits
            : exactExp;
      for (let k = first; k < last; k++) {
        const a = activations[k]!;
        const w = weights[k - first]!;
        if (a.kind !== 'finite' || w.kind !== 'finite') {
          poisoned ||= !variantIs('gemv.specials-ignored');
          continue;
        }
        const aUnits = truncatedUnits(a, aExp);
        dot += aUnits * units(w, wExp);
        sum += aUnits;
      }
      if (spec.table !== undefined && !poisoned)
        dot = quantizedGroupDot(spec, job, row, first, last, groupActivations, aExp, weight.bits, elements);
      const z = weight.zeroPoint && !variantIs('gemv.no-zero-point') ? BigInt(job.z[row]![g]!) : 0n;
      // Σ a·w − z·Σ a in units of 2^(aExp + wExp); z·Σa is in units of 2^aExp and wExp is 0 for integers.
      const d = dot - z * (sum << BigInt(-wExp));
      const scaled = (s: ExactValue): ExactValue => {
        const sign = ((d < 0n ? 1 : 0) ^ (s.kind === 'nan' ? 0 : s.sign)) as 0 | 1;
        if (poisoned || s.kind === 'nan' || (s.kind === 'inf' && d === 0n)) return nan(0);
        if (s.kind === 'inf') return inf(sign);
        return finite(sign, (d < 0n ? -d : d) * s.sig, aExp + wExp + s.exp);
      };
      const weightScale = scaleValue(fs, job.s[row]![g]!);
      const s = withActivationScale(spec, job, g, weightScale);
      let contribution = scaled(s);
      // Mutation 'gemv.activation-scale-rounded': s·D rounded to fp32 first, then times the activation
      // scale and rounded again (a separate float multiplier for the activation scale).
      if (variantIs('gemv.activation-scale-rounded') && spec.activationScale !== undefined) {
        const once = decode(fp32, encode(fp32, scaled(weightScale), policy).code);
        contribution = withActivationScale(spec, job, g, once);
      }
      if (variantIs('gemv.final-rounding')) exactTotal = exactAdd(exactTotal, contribution).value;
      else if (variantIs('gemv.scale-per-element') && !poisoned && s.kind === 'finite') {
        // Each element's scaled product a·(w − z)·s enters the fp32 sum with its own rounding.
        for (let k = first; k < last; k++) {
          const a = activations[k]! as FiniteValue;
          const w = weights[k - first]! as FiniteValue;
          const n = truncatedUnits(a, aExp) * (units(w, wExp) - (z << BigInt(-wExp)));
          const value = exactMul(finite(n < 0n ? 1 : 0, n < 0n ? -n : n, aExp + wExp), s).value;
          acc = add(fp32, decode(fp32, acc), value, policy).code;
        }
      } else acc = add(fp32, decode(fp32, acc), contribution, policy).code;
    }
    if (variantIs('gemv.final-rounding')) acc = encode(fp32, exactTotal, policy).code;
    return spec.outFormat === 'fp32' ? acc : convert(fp32, fo, acc, policy).code;
  });
}
