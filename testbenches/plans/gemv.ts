// GEMV conformance: random jobs (matrices, vectors, scales with special values, jobs with misplaced
// tlast and rejected sizes) turned into the beats of the core's streams, with the golden y.
import {
  classify,
  decode,
  encode,
  finite,
  floatLayout,
  formatByName,
  type FloatFormat,
} from '../../generators/formats/index.ts';
import { floatFormat, outputPolicy } from '../../generators/float-params.ts';
import { chunkPasses, gemvShape, metaLayout, type GemvParams } from '../../generators/gemv/gemv.ts';
import { GEMV_STATUS } from '../../generators/gemv/status.ts';
import {
  activationBits,
  activationScaleBits,
  INTEGER_ACTIVATIONS,
  isIntegerActivation,
  MIXED_ACTIVATION,
} from '../../generators/gemv/activation.ts';
import { gemvGolden, type GemvJob, type GemvSpec } from '../golden/gemv.ts';
import { elementRoundingJob } from './gemv-element-rounding.ts';
import { scaleRoundingJob } from './gemv-scale-rounding.ts';
import type { Beat, SourceOrder, StreamBench } from '../sim/stream-run.ts';
import { codeNearExponent } from '../vectors/floats.ts';
import { Random } from '../vectors/random.ts';

type GemvStream = 'x' | 'w' | 's';

/** A job of the plan: its data, and how its streams or sizes are broken on purpose. */
export interface GemvCase {
  job: GemvJob;
  /** Run without stalls on any stream: the job's cycles measure throughput. */
  calm?: boolean;
  /** How the sources offer the streams (x is the lead): on their own, x first, or x late. */
  order?: SourceOrder;
  fault?:
    | { kind: 'bad-k' | 'bad-n' }
    | {
        kind: 'early-tlast' | 'missing-tlast';
        stream: GemvStream;
        beat: number;
        /** A second fault: an early tlast on another stream, on a beat of the same chunk. */
        also?: { stream: GemvStream; beat: number };
      };
}

const TLAST_STATUS = { x: GEMV_STATUS.xLast, w: GEMV_STATUS.wLast, s: GEMV_STATUS.sLast };

export function gemvSpec(p: GemvParams): GemvSpec {
  const { group, scale, specialValues, accumulation, activationScale } = gemvShape(p);
  return {
    ...(activationScale ? { activationScale } : {}),
    ...(p.lut?.tableFormat === 'int8'
      ? { table: { g: p.lut.inputs, mirror: p.lut.mirror, lanes: p.lanes } }
      : {}),
    accumulation,
    alignBits: p.alignBits,
    weight: p.weight as GemvSpec['weight'],
    activation: p.activation,
    scale,
    group,
    outFormat: p.outFormat,
    policy: outputPolicy(p),
    specialValues,
  };
}

export interface JobOptions {
  k: number;
  n: number;
  /** Probability that an activation or a scale is a special value (zero, subnormal, Inf, NaN). */
  specials?: number;
}

/**
 * A random job: activations mostly near 1 (with every exponent now and then), random weight codes,
 * and each row's scales near its own exponent, drawn so that the rows' results spread over the output's
 * normal range (a few overflow, a few fall below it). Lanes past K and rows past N hold random codes
 * too: the core must leave them out.
 */
export function randomJob(p: GemvParams, rng: Random, options: JobOptions): GemvJob {
  const { weight, scale, activationScale } = gemvShape(p);
  const fs = formatByName(scale) as FloatFormat;
  const specials = options.specials ?? 0;
  const { k, n, rows, lanes, groups } = paddedSize(p, options.k, options.n);
  // The job's activations near 2^center; a group's value is then about 2^(center + 10) (128 products of
  // about 2^4 each), and each row's scale moves its result to a binade of its own, from below the
  // output's normal range to past its largest value. Integer activations are near 2^(bits − 2), times
  // their scale near 2^activationExp.
  const integerBits = isIntegerActivation(p.activation) ? activationBits(p.activation) : undefined;
  const activationExp = integerBits === undefined ? 0 : rng.pick([-3, 0, 2]);
  const center = integerBits === undefined ? rng.pick([0, 0, -8, 6]) : integerBits - 2 + activationExp;
  const activation =
    integerBits === undefined
      ? () => {
          const fa = floatFormat(p.activation);
          return specialOr(rng, fa, specials, () =>
            rng.chance(0.01) ? finiteCode(rng, fa) : codeNearExponent(rng, fa, center, 4),
          );
        }
      : () => integerCode(rng, integerBits);
  const fsa = activationScale && (formatByName(activationScale.format) as FloatFormat);
  const xs = fsa && {
    xs: Array.from({ length: activationScale!.kind === 'token' ? 1 : groups }, () =>
      specialOr(rng, fsa, specials, () => codeNearExponent(rng, fsa, activationExp, 1)),
    ),
  };
  const out = floatLayout(floatFormat(p.outFormat));
  const [low, high] = [out.emin - 4 - center, out.maxQ + out.mantBits + 2 - center];
  const rowScale = (exp: number) => () =>
    specialOr(rng, fs, specials, () =>
      fs.name === 'e8m0fnu'
        ? Math.min(254, Math.max(0, 127 + exp + rng.below(3) - 1))
        : codeNearExponent(rng, fs, exp, 1),
    );
  const x = Array.from({ length: lanes }, activation);
  return {
    k,
    n,
    x,
    w: Array.from({ length: rows }, () => Array.from({ length: lanes }, () => Number(rng.bits(weight.bits)))),
    s: Array.from({ length: rows }, () =>
      Array.from({ length: groups }, rowScale(low + rng.below(high - low + 1) - 10)),
    ),
    z: Array.from({ length: rows }, () => Array.from({ length: groups }, () => rng.below(2 ** weight.bits))),
    sv: Array.from({ length: rows }, () => Array.from({ length: groups }, () => rng.below(4))),
    ...xs,
    ...(p.activation === MIXED_ACTIVATION ? { xWide: mixedGroups(p, rng, x, groups) } : {}),
  };
}

/** Whether an 8-bit code is a sign-extended int4 code (−8..7). */
const isNibble = (code: number) => code < 8 || code >= 0xf8;

/**
 * Mixed activations: each group int8 or int4 by a coin; an int4 group's random codes become int4 codes
 * (the extremes −8 and 7 now and then), sign-extended, or with a random high nibble the core must not read.
 * Lanes past the job's groups keep their codes.
 */
function mixedGroups(p: GemvParams, rng: Random, x: number[], groups: number): boolean[] {
  const { group } = gemvShape(p);
  const wide = Array.from({ length: groups }, () => rng.chance(0.5));
  for (let i = 0; i < groups * group && i < x.length; i++) {
    if (wide[Math.floor(i / group)]) continue;
    const nibble = integerCode(rng, 4);
    x[i] = (rng.chance(0.2) ? rng.below(16) : nibble & 8 ? 15 : 0) * 16 + nibble;
  }
  return wide;
}

/** A mixed job's groups, int8 where a code is not an int4 one, when the job does not say. */
function withMixedGroups(p: GemvParams, job: GemvJob): GemvJob {
  if (p.activation !== MIXED_ACTIVATION || job.xWide !== undefined) return job;
  const { group } = gemvShape(p);
  const groups = Math.ceil(job.x.length / group);
  const codes = (g: number) => job.x.slice(g * group, Math.min(job.k, (g + 1) * group));
  return { ...job, xWide: Array.from({ length: groups }, (_, g) => !codes(g).every(isNibble)) };
}

/** A two's complement code of `bits` bits: the extremes and zero now and then, else any. */
function integerCode(rng: Random, bits: number): number {
  const half = 2 ** (bits - 1);
  if (rng.chance(0.1)) return rng.pick([half, half - 1, 0]);
  return rng.below(2 * half);
}

/** A job's K and N, and the lanes, rows and groups its streams carry (whole chunks and blocks). */
function paddedSize(p: GemvParams, k: number, n: number) {
  const lanes = Math.max(1, Math.ceil(k / p.lanes)) * p.lanes;
  return {
    k,
    n,
    lanes,
    rows: Math.max(1, Math.ceil(n / p.rows)) * p.rows,
    groups: Math.ceil(lanes / gemvShape(p).group),
  };
}

/** An activation term of a designed job: ±2^exp in a group, multiplied by a weight of value ±1 (or ±1.5). */
type Term = [exp: number, sign: 0 | 1, weight?: 1 | 1.5];

/** The code of ±2^exp in a float format, if it holds that value. */
function powerCode(f: FloatFormat, exp: number, sign: 0 | 1 = 0): number | undefined {
  const code = encode(f, finite(sign, 1n, exp), { rounding: 'rtz' }).code;
  const v = decode(f, code);
  return v.kind === 'finite' && v.sig === 1n && v.exp === exp ? code : undefined;
}

/**
 * A job built from terms, one list per group, each group's terms in lanes of their own (zero
 * activations elsewhere, random weights under them). Even rows multiply by +1, odd rows by −1 (the
 * same sum negated); each group's scale is a power of two chosen so that its activations fit the
 * activation format. undefined when the formats cannot hold the values.
 */
function designedJob(p: GemvParams, rng: Random, groupsTerms: Term[][]): GemvJob | undefined {
  const { group, scale, activationScale } = gemvShape(p);
  const fs = formatByName(scale) as FloatFormat;
  const activationCode = activationPowerCode(p.activation);
  const job = randomJob(p, rng, { k: groupsTerms.length * group, n: p.rows });
  job.x = job.x.map((_, i) => (i < job.k ? 0 : job.x[i]!));
  // Integer activations' scale takes part of 2^e: 2^-1 for the job, or 2^1 and 2^-2 in turn per group.
  const fsa = activationScale && (formatByName(activationScale.format) as FloatFormat);
  const activationExp = (g: number) =>
    activationScale === undefined ? 0 : activationScale.kind === 'token' ? -1 : g % 2 === 0 ? 1 : -2;
  if (fsa) job.xs = job.xs!.map((_, g) => powerCode(fsa, activationExp(g))!);
  for (const [g, terms] of groupsTerms.entries()) {
    // The scale 2^e nearest the terms' middle exponent for which every term is an activation code.
    const middle = terms.reduce((sum, [exp]) => sum + exp, 0) / Math.max(1, terms.length);
    const fits = (e: number) => terms.every(([exp, sign]) => activationCode(exp - e, sign) !== undefined);
    const candidates = Array.from({ length: 81 }, (_, i) => i - 40)
      .filter((e) => powerCode(fs, e - activationExp(g)) !== undefined && fits(e))
      .sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle));
    const e = candidates[0];
    if (e === undefined) return undefined;
    // Distinct lanes in increasing order: the terms meet a per-product model in the order given.
    const lanes = shuffled(rng, group)
      .slice(0, terms.length)
      .sort((a, b) => a - b);
    for (const [t, [exp, sign, magnitude = 1]] of terms.entries()) {
      const lane = g * group + lanes[t]!;
      job.x[lane] = activationCode(exp - e, sign)!;
      for (let row = 0; row < job.n; row++) {
        const unit = unitWeight(p, row % 2 === 1 ? 1 : 0, magnitude, job.z[row]![g]!, job.sv[row]![g]!);
        if (unit === undefined) return undefined;
        job.w[row]![lane] = unit.w;
        job.z[row]![g] = unit.z;
      }
    }
    for (let row = 0; row < job.n; row++) job.s[row]![g] = powerCode(fs, e - activationExp(g))!;
  }
  // Mixed activations: groups whose terms are int4 codes run as int4 groups.
  delete job.xWide;
  return withMixedGroups(p, job);
}

/** The activation code of ±2^exp, if the format holds it: a float's, or a two's complement integer's. */
function activationPowerCode(name: string): (exp: number, sign: 0 | 1) => number | undefined {
  if (!isIntegerActivation(name)) return (exp, sign) => powerCode(floatFormat(name), exp, sign);
  const bits = activationBits(name);
  return (exp, sign) => {
    if (exp < 0 || exp > bits - 1 || (exp === bits - 1 && sign === 0)) return undefined;
    return sign ? 2 ** bits - 2 ** exp : 2 ** exp;
  };
}

/** 0..n−1 in a seeded random order. */
function shuffled(rng: Random, n: number): number[] {
  const list = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

/** A weight code of value ±magnitude under the group's zero point (moved when needed) and sv. */
function unitWeight(
  p: GemvParams,
  sign: 0 | 1,
  magnitude: 1 | 1.5,
  z: number,
  sv: number,
): { w: number; z: number } | undefined {
  const { weight, specialValues } = gemvShape(p);
  const [sig, exp] = magnitude === 1 ? [1n, 0] : [3n, -1];
  if (weight.zeroPoint) {
    if (magnitude !== 1) return undefined;
    // z ± 1 must be a code: z in 1 … 2^B − 2 (a 1-bit code: z = 0 for +1, 1 for −1).
    const zero = weight.bits === 1 ? sign : Math.min(2 ** weight.bits - 2, Math.max(1, z));
    return { w: zero + (sign ? -1 : 1), z: zero };
  }
  const format = weight.formats(specialValues)[sv] ?? weight.formats(specialValues)[0]!;
  for (let code = 0; code < 2 ** weight.bits; code++) {
    const v = decode(format, code);
    if (v.kind === 'finite' && v.sig === sig && v.exp === exp && v.sign === sign) return { w: code, z };
  }
  return undefined;
}

/**
 * Jobs whose results the right arithmetic and its nearest wrong variants tell apart, for an output of
 * m mantissa bits: ties in the output conversion (to even down and up), a tie in the fp32 sum, results
 * that only an fp32 sum rounded once per group gives (cancellation across groups, and inside a group
 * for a model that rounds each product), a subnormal and a zero result, and every special input class.
 */
export function designedCases(p: GemvParams, rng: Random): GemvCase[] {
  const m = floatLayout(floatFormat(p.outFormat)).mantBits;
  const emin = floatLayout(floatFormat(p.outFormat)).emin;
  const plus = (exp: number): Term => [exp, 0];
  const minus = (exp: number): Term => [exp, 1];
  const designs: Term[][][] = [
    // 1 + half an ulp: ties to even go down, ties away up.
    [[plus(0)], [plus(-m - 1)]],
    // 1 + an ulp and a half: ties to even go up, ties toward zero down.
    [[plus(0)], [plus(-m)], [plus(-m - 1)]],
    // The fp32 sum holds 1 + half an output ulp + half an fp32 ulp: the sum's tie decides the output.
    [[plus(0)], [plus(-m - 1)], [plus(-24)]],
    // Cancellation across groups: per-group fp32 rounding loses 2^-20 (the exact total keeps it).
    [[plus(6)], [plus(-20)], [minus(6)]],
    // Cancellation inside a group: exact, while rounding each scaled product would lose 2^-20 (with
    // weights of 1.5, 1.5·2^-17 too: a product of 25 bits, below an aligned group's 24-bit grid).
    [[plus(6), plus(-20), minus(6)]],
    [
      [
        [6, 0, 1.5],
        [-17, 0, 1.5],
        [6, 1, 1.5],
      ],
    ],
    // 2^-24 on the grid of 25 bits from 2^0 down, not on that of 24 (aligned accumulation truncates
    // it); −1 first, so that the fp32 sum keeps what the group brings.
    [[minus(0)], [plus(0), plus(-24)]],
    // A result below the normal range, and an exact zero.
    [[plus(emin - 2), plus(emin - 3)]],
    [[plus(3)], [minus(3)]],
  ];
  const cases: GemvCase[] = [];
  for (const design of designs) {
    const job = designedJob(p, rng, design);
    if (job !== undefined) cases.push({ job });
  }
  // Every special class in activations and scales, often enough that each row meets one.
  // (short groups' worth of lanes, so that most rows keep a finite result beside the special ones).
  cases.push({ job: randomJob(p, rng, { k: 2 * p.lanes, n: 2 * p.rows + 1, specials: 0.25 }) });
  if (isIntegerActivation(p.activation)) cases.push({ job: integerExtremesJob(p, rng) });
  if (p.lut?.tableFormat === 'int8') cases.push({ job: tableExtremesJob(p, rng) });
  // Both scales applied with one rounding, not two (integer activations of one width).
  if ((INTEGER_ACTIVATIONS as readonly string[]).includes(p.activation)) {
    const job = randomJob(p, rng, { k: gemvShape(p).group, n: p.rows });
    cases.push({ job: scaleRoundingJob(p, job, rng, outputPolicy(p)) });
    // One rounding per group, not per element; drawn from a generator of its own, so that the jobs
    // after it stay as they were.
    const own = new Random(0xe1e);
    const codes = Array.from({ length: 2 ** gemvShape(p).weight.bits }, (_, code) => code);
    const base = randomJob(p, own, { k: gemvShape(p).group, n: p.rows });
    cases.push({ job: elementRoundingJob(p, base, () => own.pick(codes), outputPolicy(p)) });
  }
  cases.push(...specialClassCases(p, rng));
  return cases;
}

/**
 * Each special class for certain, not by chance: one job whose rows each close with a scale of another
 * class (±Inf, ±NaN, ±0, the smallest subnormal, the largest finite), and one single-chunk job per
 * infinite or NaN activation code (any of them makes every row's group NaN, so each needs a job).
 */
function specialClassCases(p: GemvParams, rng: Random): GemvCase[] {
  const fs = formatByName(gemvShape(p).scale) as FloatFormat;
  const specials = (f: FloatFormat) => {
    const l = floatLayout(f);
    const signed = (code: number | undefined) =>
      code === undefined || l.signWeight === 0 ? [code] : [code, code + l.signWeight];
    return { infinities: [...signed(l.infCode), ...signed(l.canonicalNaNCode)], l };
  };
  const valid = (f: FloatFormat, codes: (number | undefined)[]) =>
    [...new Set(codes)].filter((c): c is number => c !== undefined && classify(f, c) !== undefined);
  const classes = (f: FloatFormat) => {
    const scale = specials(f);
    return valid(f, [
      ...scale.infinities,
      scale.l.hasZero ? 0 : undefined,
      scale.l.hasNegativeZero ? scale.l.signWeight : undefined,
      f.subnormals ? 1 : undefined,
      scale.l.maxCode,
    ]);
  };
  const scaleCodes = classes(fs);
  const scaleJob = () => {
    const job = randomJob(p, rng, { k: p.lanes, n: scaleCodes.length });
    scaleCodes.forEach((code, row) => (job.s[row]![0] = code));
    return job;
  };
  const { activationScale } = gemvShape(p);
  if (activationScale !== undefined) {
    // Integer activations are never special; their scale meets each weight scale class, one job per
    // class of its own (a one-group job: per token and per group alike).
    const fsa = formatByName(activationScale.format) as FloatFormat;
    return [undefined, ...classes(fsa)].map((code) => {
      const job = scaleJob();
      if (code !== undefined) job.xs![0] = code;
      return { job };
    });
  }
  const fa = floatFormat(p.activation);
  const weightScales = { job: scaleJob() };
  const activationJobs = valid(fa, specials(fa).infinities).map((code) => {
    const job = randomJob(p, rng, { k: p.lanes, n: p.rows });
    job.x[rng.below(job.k)] = code;
    return { job };
  });
  return [weightScales, ...activationJobs];
}

/** The weight code of largest magnitude (the widest group sum). */
function widestWeightCode(p: GemvParams): number {
  const { weight, specialValues } = gemvShape(p);
  const format = weight.formats(specialValues)[0]!;
  const magnitude = (code: number) => {
    const v = decode(format, code);
    return v.kind === 'finite' ? Number(v.sig) * 2 ** v.exp : 0;
  };
  const codes = Array.from({ length: 2 ** weight.bits }, (_, code) => code);
  return codes.reduce((a, b) => (magnitude(b) > magnitude(a) ? b : a));
}

/**
 * Integer activations at their extremes: a group of the most negative code (−128, −8) under the weight
 * of largest magnitude (the widest group sum), a group of the largest code, a group of zeros, and a
 * group whose products cancel (±a under equal weights); the scales are near 1.
 */
function integerExtremesJob(p: GemvParams, rng: Random): GemvJob {
  if (p.activation === MIXED_ACTIVATION) return mixedExtremesJob(p, rng);
  const { group } = gemvShape(p);
  const bits = activationBits(p.activation);
  const job = randomJob(p, rng, { k: 4 * group, n: 2 * p.rows + 1 });
  const widest = widestWeightCode(p);
  const [min, max] = [2 ** (bits - 1), 2 ** (bits - 1) - 1];
  for (let i = 0; i < group; i++) {
    job.x[i] = min;
    job.x[group + i] = max;
    job.x[2 * group + i] = 0;
    // ±a in pairs, never the most negative code (whose negation the format lacks).
    const a = job.x[3 * group + i - (i % 2)]!;
    const pair = a === min ? 1 : a;
    job.x[3 * group + i] = i % 2 === 0 ? pair : (2 ** bits - pair) % 2 ** bits;
  }
  for (let row = 0; row < job.n; row++) {
    for (let i = 0; i < 2 * group; i++) job.w[row]![i] = widest;
    for (let i = 0; i < group; i += 2) job.w[row]![3 * group + i + 1] = job.w[row]![3 * group + i]!;
    job.z[row] = job.z[row]!.map((z, g) => (g < 2 ? 0 : z));
  }
  return job;
}

/**
 * Quantized tables at their bound (docs/lut-gemv.md#quantized-tables): the activations nearest 2^L
 * below it (the largest value below 2 of a float format, 2^L = 2), so that a table's entry of all its
 * lanes (plain, in even tables) or of all but the last negated (mirrored, odd tables: −a … −a, +a) is
 * g·(2 − ulp), within half a unit of 128 units, and rounds to 128, clamped to 127. Integer activations
 * never reach the clamp (their largest magnitude sets L with room to spare); their job holds the
 * extreme codes instead.
 */
function tableExtremesJob(p: GemvParams, rng: Random): GemvJob {
  const { group } = gemvShape(p);
  const g = p.lut!.inputs;
  const job = randomJob(p, rng, { k: group, n: 2 * p.rows + 1 });
  const [plus, minus] = isIntegerActivation(p.activation)
    ? [2 ** (activationBits(p.activation) - 1) - 1, 2 ** (activationBits(p.activation) - 1)]
    : (() => {
        const f = floatLayout(floatFormat(p.activation));
        const belowTwo = f.bias * f.hidden + f.hidden - 1;
        return [belowTwo, f.signWeight + belowTwo];
      })();
  for (let k = 0; k < group; k++) {
    const table = Math.floor(k / g);
    job.x[k] = k % g === g - 1 || table % 2 === 0 ? plus : minus;
  }
  return job;
}

/**
 * Mixed activations at their extremes, int8 and int4 groups in turn in one job: −128 and −8 under the
 * weight of largest magnitude, 127 and 7 under it, zeros (an int4 group's with a high nibble that is not
 * read), and products that cancel (±a under equal weights).
 */
function mixedExtremesJob(p: GemvParams, rng: Random): GemvJob {
  const { group } = gemvShape(p);
  const job = randomJob(p, rng, { k: 8 * group, n: 2 * p.rows + 1 });
  const widest = widestWeightCode(p);
  job.xWide = Array.from({ length: 8 }, (_, g) => g % 2 === 0);
  const cancel = (i: number, code: number, negated: number) => (i % 2 === 0 ? code : negated);
  for (let i = 0; i < group; i++) {
    const a = 1 + rng.below(127);
    const b = 1 + rng.below(7);
    const columns = [0x80, 0xf8, 0x7f, 0x07, 0, 0xa0, cancel(i, a, 256 - a), cancel(i, b, 16 - b)];
    columns.forEach((code, g) => (job.x[g * group + i] = code));
  }
  for (let row = 0; row < job.n; row++) {
    for (let i = 0; i < 4 * group; i++) job.w[row]![i] = widest;
    for (let g = 6; g < 8; g++)
      for (let i = 0; i < group; i += 2) job.w[row]![g * group + i + 1] = job.w[row]![g * group + i]!;
    job.z[row] = job.z[row]!.map((z, g) => (g < 4 ? 0 : z));
  }
  return job;
}

/** A uniformly random finite code: every exponent of the format. */
function finiteCode(rng: Random, f: FloatFormat): number {
  for (;;) {
    const code = Number(rng.bits(floatLayout(f).bits));
    const kind = classify(f, code);
    if (kind !== 'nan' && kind !== 'inf') return code;
  }
}

/**
 * With probability p a zero or a subnormal (and with probability p/16 an infinity or a NaN, where the
 * format has them), else make().
 */
function specialOr(rng: Random, f: FloatFormat, p: number, make: () => number): number {
  const layout = floatLayout(f);
  const pick = (codes: (number | undefined)[]) => {
    const valid = codes.filter((c): c is number => c !== undefined && c >= 0 && classify(f, c) !== undefined);
    return valid.length === 0 ? make() : valid[rng.below(valid.length)]!;
  };
  const negative = (code: number | undefined) => (code === undefined ? undefined : code + layout.signWeight);
  if (rng.chance(p / 16))
    return pick([
      layout.infCode,
      negative(layout.infCode),
      layout.canonicalNaNCode,
      negative(layout.canonicalNaNCode),
    ]);
  if (rng.chance(p))
    return pick([0, layout.signWeight, f.subnormals ? 1 + rng.below(layout.hidden - 1) : undefined]);
  return make();
}

/** The beats of every stream and the expected y for a list of jobs, in order. */
export function gemvBench(
  p: GemvParams,
  cases: GemvCase[],
): Pick<StreamBench, 'jobs' | 'streams' | 'y' | 'kBits' | 'nBits' | 'yWidth' | 'yFormat' | 'jobInput'> {
  const spec = gemvSpec(p);
  const P = p.rows;
  const S = p.lanes;
  const { weight, group, activationScale } = gemvShape(p);
  const meta = metaLayout(p);
  const ab = activationBits(p.activation);
  // Integer activations' scale: on x_scale with start, or above the codes of each group's first x beat
  // (the other beats carry its complement there, which the core must not read).
  const scaleBits = activationScale === undefined ? 0 : activationScaleBits(activationScale);
  const xScaleBits = activationScale?.kind === 'group' ? scaleBits : 0;
  // Mixed activations: the group's int8 flag above the codes (its complement on the group's other beats,
  // which the core must not read), below a group scale.
  const flagBits = p.activation === MIXED_ACTIVATION ? 1 : 0;
  const x: Beat[] = [];
  const w: Beat[] = [];
  const s: Beat[] = [];
  const y: Beat[] = [];
  const jobs: StreamBench['jobs'] = [];
  const slotOf = (lane: number) => (p.packing === 'awq' ? awqSlot(lane) : lane);
  for (const c of cases) {
    const { fault } = c;
    const job = withMixedGroups(p, c.job);
    if (fault?.kind === 'bad-k' || fault?.kind === 'bad-n') {
      jobs.push({
        k: job.k,
        n: job.n,
        status: 8 | (fault.kind === 'bad-k' ? GEMV_STATUS.badK : GEMV_STATUS.badN),
        prompt: true,
      });
      continue;
    }
    const chunks = Math.ceil(job.k / S);
    const blocks = Math.ceil(job.n / P);
    const groupChunks = group / S;
    const jx: Beat[] = [];
    for (let ch = 0; ch < chunks; ch++) {
      let data = 0n;
      for (let i = 0; i < S; i++) data |= BigInt(job.x[ch * S + i] ?? 0) << BigInt(i * ab);
      if (flagBits > 0) {
        const wide = job.xWide![Math.floor((ch * S) / group)]!;
        data |= BigInt(ch % groupChunks === 0 ? wide : !wide) << BigInt(S * ab);
      }
      if (xScaleBits > 0) {
        const code = job.xs![Math.floor((ch * S) / group)]!;
        const field = ch % groupChunks === 0 ? code : ~code & ((1 << xScaleBits) - 1);
        data |= BigInt(field) << BigInt(S * ab + flagBits);
      }
      jx.push({ data, last: ch === chunks - 1 });
    }
    const jw: Beat[] = [];
    const js: Beat[] = [];
    // The set of blocks each beat belongs to: a set's chunks visit its blocks in turn.
    const I = p.interleave;
    const wSetOf: number[] = [];
    const sSetOf: number[] = [];
    const visits = Array.from({ length: Math.ceil(blocks / I) }, (_, set) =>
      Array.from({ length: chunks }, (_, ch) =>
        Array.from({ length: Math.min(I, blocks - set * I) }, (_, slot) => ({ set, ch, b: set * I + slot })),
      ).flat(),
    ).flat();
    for (const { set, ch, b } of visits) {
      if (ch % groupChunks === 0) {
        let data = 0n;
        const g = (ch * S) / group;
        for (let r = 0; r < P; r++) {
          const row = b * P + r;
          if (job.s[row]?.[g] === undefined) continue;
          const entry =
            BigInt(job.s[row]![g]!) |
            (BigInt(weight.zeroPoint ? job.z[row]![g]! : 0) << BigInt(meta.scaleBits)) |
            (BigInt(meta.svBits ? job.sv[row]![g]! : 0) << BigInt(meta.scaleBits + meta.zeroBits));
          data |= entry << BigInt(r * meta.bits);
        }
        js.push({ data, last: b === blocks - 1 && ch + groupChunks >= chunks });
        sSetOf.push(set);
      }
      const codes: { index: number; code: number }[] = [];
      // Rows past N and lanes past K carry whatever the job holds there (don't-care codes).
      for (let r = 0; r < P; r++) {
        const row = b * P + r;
        for (let lane = 0; lane < S; lane++) {
          const code = job.w[row]?.[ch * S + lane];
          if (code !== undefined) codes.push({ index: r * S + slotOf(lane), code });
        }
      }
      jw.push({ data: weightBeat(weight, P * S, codes), last: b === blocks - 1 && ch === chunks - 1 });
      wSetOf.push(set);
    }
    let completeSets = Infinity;
    let status = 0;
    if (fault !== undefined && 'stream' in fault) {
      // Faults found on the same chunk: the lowest status wins (x, then w, then s).
      const breaks = [fault, ...(fault.also ? [{ ...fault.also, kind: 'early-tlast' as const }] : [])];
      status = 8 | 7;
      for (const b of breaks) {
        const stream = { x: jx, w: jw, s: js }[b.stream];
        const setOf = { x: jx.map(() => 0), w: wSetOf, s: sSetOf }[b.stream];
        const beat = Math.min(b.beat, stream.length - 1);
        if (b.kind === 'early-tlast') {
          if (beat === stream.length - 1) throw new Error('early-tlast needs a beat before the last');
          stream.splice(beat + 1);
          stream[beat] = { ...stream[beat]!, last: true };
        } else {
          stream[stream.length - 1] = { ...stream[stream.length - 1]!, last: false };
          stream.push({ data: 0n, last: true });
        }
        completeSets = Math.min(completeSets, setOf[beat]!);
        status = Math.min(status, 8 | TLAST_STATUS[b.stream]);
      }
    }
    x.push(...jx);
    w.push(...jw);
    s.push(...js);
    const results = gemvGolden(spec, job);
    // A faulty job's complete sets of blocks are emitted; its set with the fault and later ones are not.
    const rows = Math.min(job.n, completeSets * I * P);
    for (let r = 0; r < rows; r++)
      y.push({ data: BigInt(results[r]!), last: fault === undefined && r === job.n - 1 });
    jobs.push({
      k: job.k,
      n: job.n,
      status,
      ...(activationScale?.kind === 'token' ? { input: BigInt(job.xs![0]!) } : {}),
      ...(c.calm ? { calm: true } : {}),
      ...(c.order ? { order: c.order } : {}),
    });
  }
  return {
    jobs,
    ...(activationScale?.kind === 'token' ? { jobInput: { name: 'x_scale', width: scaleBits } } : {}),
    streams: [
      { name: 'x', width: S * ab + flagBits + xScaleBits, beats: x },
      { name: 'w', width: P * S * weight.bits, beats: w },
      { name: 's', width: P * meta.bits, beats: s },
    ],
    y,
    kBits: Math.ceil(Math.log2(p.maxK + 1)) + 1,
    nBits: Math.ceil(Math.log2(p.maxN + 1)) + 1,
    yWidth: floatLayout(floatFormat(p.outFormat)).bits,
    yFormat: p.outFormat,
  };
}

/**
 * A weight beat of `count` codes: code at index i in bits [i·b, (i + 1)·b), or, for 6-bit weights, as
 * FP6-LLM stores them (weight_prepacking.h: each 6-bit code's top 2 bits go to one array, its low 4 bits
 * to another): a plane of every code's bits 5:4 (index i at 2i), then a plane of bits 3:0 (at 2·count + 4i).
 */
export function weightBeat(
  weight: { bits: number; planes?: readonly number[] },
  count: number,
  codes: { index: number; code: number }[],
): bigint {
  let data = 0n;
  for (const { index, code } of codes) {
    if (weight.planes === undefined) {
      data |= BigInt(code) << BigInt(index * weight.bits);
      continue;
    }
    let top = weight.bits;
    let base = 0;
    for (const width of weight.planes) {
      const field = (code >> (top - width)) & ((1 << width) - 1);
      data |= BigInt(field) << BigInt(base + index * width);
      top -= width;
      base += count * width;
    }
  }
  return data;
}

/** AutoAWQ packs logical element j of each 8 into nibble REVERSE[j] (0x75316420 holds 0..7). */
function awqSlot(lane: number): number {
  const REVERSE = [0, 4, 1, 5, 2, 6, 3, 7];
  return Math.floor(lane / 8) * 8 + REVERSE[lane % 8]!;
}

/**
 * The plan's jobs: sizes from K = 64 to 4096 and N = 1 to 256 (K not a multiple of S·P, a partial last
 * group, N not a multiple of P), special activations and scales, all of x sent before any weight or
 * held back behind them, two stall-free jobs with K ≥ 1024 for utilization, sizes the core must
 * reject, a misplaced or missing tlast on each stream (in the first block, a later block and a
 * single-block job), and two faults on one chunk. 'quick' keeps every kind of job with smaller sizes.
 */
export function gemvCases(p: GemvParams, seed: number, size: 'default' | 'quick' = 'default'): GemvCase[] {
  const rng = new Random(seed);
  const fit = (k: number, n: number) => ({ k: Math.min(k, p.maxK), n: Math.min(n, p.maxN) });
  const job = (k: number, n: number, specials = 0) => randomJob(p, rng, { ...fit(k, n), specials });
  const quick = size === 'quick';
  const { group } = gemvShape(p);
  const sized: GemvCase[] = quick
    ? [
        { job: job(64, 1) },
        { job: job(group + 3 * p.lanes + 1, 2 * p.rows + 1), order: 'lead-first' },
        { job: job(200, 7, 0.05) },
        { job: job(group + p.lanes + 1, p.rows + 1), order: 'lead-late' },
      ]
    : [
        { job: job(64, 1) },
        { job: job(1000, 13), order: 'lead-first' },
        { job: job(4096, 9) },
        { job: job(64, 256), order: 'lead-late' },
        // At least 11 rows (3 blocks of 4), so that a core of few rows meets an infinity and a NaN too.
        { job: job(2 * group + 1, Math.max(3 * p.rows - 1, 11), 0.05), order: 'lead-first' },
        { job: job(777, 50, 0.02) },
      ];
  // Interleaved: whole sets of blocks (a short last set waits for the row sum's loop), and one job of
  // 8 sets is enough to show the utilization.
  const calmRows = p.rows * p.interleave;
  const calm: GemvCase[] =
    quick || p.interleave > 1
      ? [{ job: job(1024, 8 * calmRows), calm: true }]
      : [
          { job: job(1024, 8 * calmRows), calm: true },
          { job: job(4096, 4 * calmRows), calm: true },
        ];
  // Fault jobs: two groups per block, three blocks (or one).
  const faultJob = (blocks: number) => job(group + 2 * p.lanes + 3, blocks === 1 ? p.rows : 2 * p.rows + 1);
  const chunks = Math.ceil(Math.min(group + 2 * p.lanes + 3, p.maxK) / p.lanes);
  const groupChunks = group / p.lanes;
  const groups = Math.ceil(chunks / groupChunks);
  // The w beat of block b's chunk c (the s beat of its group g) in a 3-block fault job: a set's
  // chunks visit its blocks in turn.
  const setBlocks = Math.min(p.interleave, 3);
  const beatOf = (b: number, c: number, perBlock: number) =>
    b >= setBlocks ? setBlocks * perBlock + (b - setBlocks) * perBlock + c : c * setBlocks + b;
  const wBeat = (b: number, c: number) => beatOf(b, c, chunks);
  const sBeat = (b: number, g: number) => beatOf(b, g, groups);
  const faulty = (stream: GemvStream, kind: 'early-tlast' | 'missing-tlast'): GemvCase => {
    // An early tlast in the second block where the stream has one (x has a single block).
    const beat = { x: chunks - 2, w: wBeat(1, 1), s: sBeat(1, 0) }[stream];
    return {
      job: faultJob(3),
      fault: kind === 'early-tlast' ? { kind, stream, beat } : { kind, stream, beat: 1 << 30 },
    };
  };
  const early = (blocks: number, stream: GemvStream, beat: number, also?: GemvCase['fault']): GemvCase => ({
    job: faultJob(blocks),
    fault: { kind: 'early-tlast', stream, beat, ...(also && 'stream' in also ? { also } : {}) },
  });
  const firstBlockFaults: GemvCase[] = [
    early(3, 'w', wBeat(0, 1)),
    early(3, 's', 0),
    // A single-block job: the early tlast is also the job's only block.
    early(1, 'w', chunks - 2),
    early(1, 's', 0),
  ];
  const doubleFaults: GemvCase[] = [
    // w and s on the first chunk of the second block's second group: w wins.
    early(3, 'w', wBeat(1, groupChunks), {
      kind: 'early-tlast',
      stream: 's',
      beat: sBeat(1, 1),
    }),
    // x and w on the first block's second chunk: x wins.
    early(3, 'x', 1, { kind: 'early-tlast', stream: 'w', beat: wBeat(0, 1) }),
  ];
  const rejected: GemvCase[] = [
    { job: job(0, 1), fault: { kind: 'bad-k' } },
    { job: { ...job(8, 1), k: p.maxK + 1 }, fault: { kind: 'bad-k' } },
    { job: { ...job(8, 1), n: 0 }, fault: { kind: 'bad-n' } },
    { job: { ...job(8, 1), n: p.maxN + 1 }, fault: { kind: 'bad-n' } },
  ];
  const faults = [
    ...(['x', 'w', 's'] as const).flatMap((stream) => [
      faulty(stream, 'early-tlast'),
      faulty(stream, 'missing-tlast'),
    ]),
    ...firstBlockFaults,
    ...doubleFaults,
    { ...faulty('w', 'early-tlast'), order: 'lead-first' as const },
  ];
  // A good job after every fault shows the core back in order.
  return [
    ...sized,
    ...designedCases(p, rng),
    ...rejected.slice(0, 2),
    ...faults.flatMap((f) => [f, { job: job(100, p.rows) }]),
    ...rejected.slice(2),
    ...calm,
  ];
}

/** Utilization of stall-free jobs: useful MACs over P·S per cycle from start to done. */
export function gemvUtilization(p: GemvParams, cases: GemvCase[], jobCycles: number[]): number[] {
  // A bit-serial core's peak is P·S MACs per chunk of passes: a MAC counts per weight, not per bit.
  const peak = (p.rows * p.lanes) / chunkPasses(p);
  return cases.flatMap((c, i) =>
    c.calm && jobCycles[i] !== undefined ? [(c.job.k * c.job.n) / (peak * jobCycles[i]!)] : [],
  );
}
