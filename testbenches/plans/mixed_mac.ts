import {
  decode,
  decodeNumber,
  encodeNumber,
  floatLayout,
  formatByName,
  toNumber,
  type FloatFormat,
} from '../../generators/formats/index.ts';
import { GEMV_WEIGHT_FORMATS } from '../../generators/formats/gemv-weights.ts';
import { outputPolicy } from '../../generators/float-params.ts';
import { mixedWeightPorts, specialValuesOf, type MixedMacParams } from '../../generators/mac/mixed_mac.ts';
import { mixedMacGolden, type MixedMacSpec, type MixedMacStep } from '../golden/mixed_mac.ts';
import { codeNearExponent, cornerCodes, randomCode } from '../vectors/floats.ts';
import { Random } from '../vectors/random.ts';
import { describeFloatCode } from './float-decode.ts';
import type { PlannedVectors, VerificationPlan } from './plan.ts';

/** Steps of the default sequence, the designed groups at its end included. */
const DEFAULT_SEQUENCE = 100_000;

/**
 * The research weights' default sequence is shorter, for a fifth of the simulation time: their designed
 * groups show every code's value alone under every selector value, and NaN and Inf activations and
 * scales (which so short a random sequence may not draw), and their random steps run the same group
 * sum, scale and accumulation logic as the older weights' 100,000. With groups of 128 that leaves
 * 10,272 to 16,416 random steps (80 to 128 groups).
 */
export const RESEARCH_WEIGHT_SEQUENCE = 20_000;

/** The length of a weight's default sequence. */
export function defaultSequence(p: MixedMacParams): number {
  return isResearchWeight(p) ? RESEARCH_WEIGHT_SEQUENCE : DEFAULT_SEQUENCE;
}

export function mixedMacSpec(p: MixedMacParams): MixedMacSpec {
  return {
    weight: p.weight,
    activation: p.activation,
    scale: p.scale,
    outFormat: p.outFormat,
    group: p.group,
    policy: outputPolicy(p),
    specialValues: specialValuesOf(p),
    inner: p.inner ?? 'exact',
  };
}

/**
 * mixed_mac: seeded accumulation sequences over many complete groups, with rare clears (which also
 * restart the group), every weight code, activations mostly finite and near 1 with corner codes mixed
 * in (NaN and Inf rarely: each poisons the sum until the next clear), scales near an exponent drawn per
 * segment (AWQ scales are small; the sums span the output's range), and random zero points and group
 * selectors (RaZeR's special-value index, BitMoD's data type) on every step (so that the step each is
 * read on matters: the last element of a group with exact inner sums, the first with fp32 ones). Now
 * and then the scale a group closes with is ±0, a subnormal, ±Inf or NaN, drawn from a stream of its
 * own so that every other input keeps its value. The sequence ends with designed groups: for the
 * research weights every code alone under every selector value, a group of zero weights and groups with
 * NaN and Inf activations and scales, then one group whose large products cancel, then output ties. The
 * default is 100,000 steps, 20,000 for the research weights (RESEARCH_WEIGHT_SEQUENCE).
 */
export const mixedMacPlan: VerificationPlan<MixedMacParams> = {
  generator: 'mixed_mac',
  vectors(p, request, seed) {
    if (request.kind === 'exhaustive')
      throw new Error('mixed_mac: sequences have no exhaustive set; use default or random:N');
    const count = request.kind === 'random' ? request.count : defaultSequence(p);
    const rng = new Random(seed);
    const fa = formatByName(p.activation) as FloatFormat;
    const fs = formatByName(p.scale) as FloatFormat;
    const corners = cornerCodes(fa);
    const { bits, zeroPoint, selector } = mixedWeightPorts(p.weight);
    const scaleSpecials = specialScales(fs);
    const specialsRng = new Random(BigInt(seed) ^ 0x5ca1en);
    const steps: MixedMacStep[] = [];
    let inGroup = 0;
    // Each segment (from a clear) scales near an exponent of its own, so that its sums reach from below
    // the output's normal range to past its largest value.
    let center = -6;
    // The sequence ends with designed segments, in place of as many random steps.
    const designed = [
      ...codeSegment(p, fa, fs),
      ...specialsSegment(p, fa, fs),
      ...cancellationSegment(p, fa, fs),
      ...tieSegment(p, fa, fs),
    ].slice(0, count);
    const randomSteps = Math.max(0, count - designed.length);
    for (let i = 0; i < randomSteps; i++) {
      const clear = i === 0 || rng.chance(0.0005);
      if (clear) center = -28 + rng.below(35);
      const pick = rng.float();
      let a =
        pick < 0.002
          ? randomCode(rng, fa)
          : pick < 0.01
            ? rng.pick(corners)
            : codeNearExponent(rng, fa, 0, 4);
      // A NaN or Inf activation poisons the sum until the next clear: keep one in 20, so that most of
      // the sequence checks finite sums.
      if (decode(fa, a).kind !== 'finite' && !rng.chance(0.05)) a = codeNearExponent(rng, fa, 0, 4);
      inGroup = clear ? 0 : inGroup + 1;
      const closes = inGroup % p.group === p.group - 1;
      const s = codeNearExponent(rng, fs, center, 3);
      steps.push({
        w: rng.below(2 ** bits),
        a,
        clear,
        s: closes ? scaleSpecials(specialsRng, s) : s,
        z: rng.below(16),
        // Drawn for RaZeR and BitMoD only, so the other weights keep their sequences.
        sv: selector ? rng.below(4) : 0,
      });
    }
    steps.push(...designed);
    const results = mixedMacGolden(mixedMacSpec(p), steps);
    const vectors: PlannedVectors = {
      inputs: ['w', 'a', 'clear', 's', ...(zeroPoint ? ['z'] : []), ...(selector ? [selector] : [])],
      outputs: ['y'],
      stimulus: steps.map((s) => [
        BigInt(s.w),
        BigInt(s.a),
        s.clear ? 1n : 0n,
        BigInt(s.s),
        ...(zeroPoint ? [BigInt(s.z)] : []),
        ...(selector ? [BigInt(s.sv ?? 0)] : []),
      ]),
      expected: results.map((code) => [BigInt(code)]),
      description: `${count}-step random sequence (seed ${seed}, groups of ${p.group}${p.inner === 'fp32' ? ', fp32 inner sums' : ''})${designed.length > 0 ? `, ending in ${designed.length} designed steps (${isResearchWeight(p) ? 'every code alone, zero weights, NaN and Inf activations and scales, ' : ''}a group that cancels, output ties)` : ''}`,
    };
    return vectors;
  },
  decode(port, bits, p) {
    if (port === 'a') return describeFloatCode(p.activation, bits);
    if (port === 's') return describeFloatCode(p.scale, bits);
    if (port === 'y') return describeFloatCode(p.outFormat, bits);
    if (port === 'sv') return `${bits} (SV ${specialValuesOf(p)[Number(bits)]})`;
    if (port === 'dtype') return `${bits} (${BITMOD_TYPES[Number(bits)]})`;
    return bits.toString();
  },
  portFormat: (port, p) => ({ a: p.activation, s: p.scale, y: p.outFormat })[port],
};

/**
 * A group's closing scale, now and then replaced: ±0 or the smallest subnormal one group in 100, ±Inf or
 * NaN one in 250 (each poisons the sum until the next clear, so most of the sequence stays finite).
 */
function specialScales(f: FloatFormat): (rng: Random, s: number) => number {
  const layout = floatLayout(f);
  const present = (codes: (number | undefined)[]) => codes.filter((c): c is number => c !== undefined);
  const zeros = present([
    layout.hasZero ? 0 : undefined,
    layout.hasNegativeZero ? layout.signWeight : undefined,
    f.subnormals ? 1 : undefined,
  ]);
  const poison = present([
    layout.infCode,
    layout.infCode === undefined ? undefined : layout.infCode + layout.signWeight,
    layout.canonicalNaNCode,
  ]);
  return (rng, s) => {
    const draw = rng.float();
    if (draw < 0.004 && poison.length > 0) return rng.pick(poison);
    if (draw < 0.014) return rng.pick(zeros);
    return s;
  };
}

/** BitMoD's data types in the order of the `dtype` input (docs/bitmod.md#per-group-selection). */
const BITMOD_TYPES = ['er_pos', 'er_neg', 'ea_pos', 'ea_neg'];

/** Each code's value under each value of the group selector (one row without a selector), from the formats library. */
function weightValues(p: MixedMacParams): number[][] {
  const weight = GEMV_WEIGHT_FORMATS[p.weight];
  return weight
    .formats(specialValuesOf(p))
    .map((f) => Array.from({ length: 2 ** weight.bits }, (_, code) => toNumber(decode(f, code))));
}

/** The codes whose value does not depend on the group selector, with that value. */
function commonCodes(p: MixedMacParams): { code: number; value: number }[] {
  const values = weightValues(p);
  return values[0]!.flatMap((value, code) =>
    values.every((row) => Object.is(row[code], value)) ? [{ code, value }] : [],
  );
}

/** The weight code, and zero point, of the value 1 (undefined when no code holds it). */
function weightOne(p: MixedMacParams): { w: number; z: number } | undefined {
  if (p.weight === 'uint4') return { w: 9, z: 8 };
  const one = commonCodes(p).find((c) => c.value === 1);
  return one === undefined ? undefined : { w: one.code, z: 0 };
}

/** The weight codes of a group whose zero point is 0 (uint4), for the weight values 1 and the largest. */
function weightCodes(p: MixedMacParams): { one: number; largest: number } | undefined {
  if (p.weight === 'uint4') return { one: 1, largest: 15 };
  const one = weightOne(p);
  const largest = commonCodes(p).reduce((best, c) => (c.value > best.value ? c : best));
  return one === undefined ? undefined : { one: one.w, largest: largest.code };
}

/** The weights added for issue #17's research formats: their plans walk every code. */
function isResearchWeight(p: MixedMacParams): boolean {
  return !['int4', 'uint4', 'e2m1fn', 'razer'].includes(p.weight);
}

/**
 * Every code alone, under every value of the group selector: a group after a clear whose first element
 * is the code times 1 (the other activations +0), scaled by 1, so that y is the code's value rounded
 * once; then a group of the zero-valued codes times nonzero activations of both signs (D = 0 exactly).
 * The random sequence draws every code too, but only these groups show one code's value on its own.
 * Only for the research weights (the older weights keep their sequences); empty when 1 is not exact in
 * the activation or scale format.
 */
function codeSegment(p: MixedMacParams, fa: FloatFormat, fs: FloatFormat): MixedMacStep[] {
  if (!isResearchWeight(p)) return [];
  const exact = (f: FloatFormat, x: number) => {
    const code = encodeNumber(f, x).code;
    return decodeNumber(f, code) === x ? code : undefined;
  };
  const [one, minusOne, zero, s] = [exact(fa, 1), exact(fa, -1), exact(fa, 0), exact(fs, 1)];
  if (one === undefined || minusOne === undefined || zero === undefined || s === undefined) return [];
  const codes = 2 ** mixedWeightPorts(p.weight).bits;
  const selectors = weightValues(p).length;
  const groups: MixedMacStep[][] = [];
  for (let sv = 0; sv < selectors; sv++)
    for (let w = 0; w < codes; w++)
      groups.push(
        Array.from({ length: p.group }, (_, i) => ({
          w: i === 0 ? w : (w + i) % codes,
          a: i === 0 ? one : zero,
          clear: i === 0,
          s,
          z: 0,
          sv,
        })),
      );
  const zeros = commonCodes(p).filter((c) => c.value === 0);
  groups.push(
    Array.from({ length: p.group }, (_, i) => ({
      w: zeros[i % zeros.length]!.code,
      a: i % 2 === 0 ? one : minusOne,
      clear: i === 0,
      s,
      z: 0,
      sv: i % 4,
    })),
  );
  return groups.flat();
}

/**
 * Groups after a clear whose first activation is NaN, +Inf or −Inf (y is NaN), then groups of one
 * finite product whose closing scale is +Inf, −Inf or NaN (y is ±Inf or NaN). The random sequence draws
 * these rarely (each poisons the sum until the next clear), so a short one may hold none; these groups
 * show each of them. Only for the research weights (the older weights keep their sequences); a value the
 * activation or scale format lacks is left out.
 */
function specialsSegment(p: MixedMacParams, fa: FloatFormat, fs: FloatFormat): MixedMacStep[] {
  if (!isResearchWeight(p)) return [];
  const exact = (f: FloatFormat, x: number) => {
    const code = encodeNumber(f, x).code;
    return decodeNumber(f, code) === x ? code : undefined;
  };
  const [one, zero, unitScale] = [exact(fa, 1), exact(fa, 0), exact(fs, 1)];
  if (one === undefined || zero === undefined || unitScale === undefined) return [];
  const specials = (f: FloatFormat) => {
    const layout = floatLayout(f);
    const inf = layout.infCode;
    return [inf, inf === undefined ? undefined : inf + layout.signWeight, layout.canonicalNaNCode].filter(
      (c): c is number => c !== undefined,
    );
  };
  const codes = 2 ** mixedWeightPorts(p.weight).bits;
  const largest = commonCodes(p).reduce((best, c) => (c.value > best.value ? c : best)).code;
  const group = (a: number, s: number) =>
    Array.from({ length: p.group }, (_, i) => ({
      w: i === 0 ? largest : (largest + i) % codes,
      a: i === 0 ? a : zero,
      clear: i === 0,
      s,
      z: 0,
      sv: 0,
    }));
  return [...specials(fa).map((a) => group(a, unitScale)), ...specials(fs).map((s) => group(one, s))].flat();
}

/**
 * One group after a clear whose large products cancel: +A·W, t·1 and −A·W (A the largest activation, W
 * the largest weight, t the smallest positive activation), so that the group's exact sum is t and y =
 * s·t, s the power of two that puts s·t in the output's normal range. A group sum kept in fp32, or in a
 * window below its largest product, loses t and gives 0 (testbenches/golden/mixed_mac.ts groupSum).
 * Empty when the scale format cannot hold s.
 */
function cancellationSegment(p: MixedMacParams, fa: FloatFormat, fs: FloatFormat): MixedMacStep[] {
  if (p.group < 3) return [];
  const la = floatLayout(fa);
  const largest = encodeNumber(fa, la.maxUnits * 2 ** la.maxQ).code;
  const tExp = Math.log2(decodeNumber(fa, 1));
  const sExp = Math.max(0, floatLayout(formatByName(p.outFormat) as FloatFormat).emin - tExp);
  const s = encodeNumber(fs, 2 ** sExp).code;
  if (decodeNumber(fs, s) !== 2 ** sExp) return [];
  const w = weightCodes(p);
  if (w === undefined) return [];
  const terms = [
    { a: largest, w: w.largest },
    { a: 1, w: w.one },
    { a: largest + la.signWeight, w: w.largest },
  ];
  const zero = encodeNumber(fa, 0).code;
  return Array.from({ length: p.group }, (_, i) => ({
    ...(terms[i] ?? { a: zero, w: (i * 5) % 2 ** mixedWeightPorts(p.weight).bits }),
    clear: i === 0,
    s,
    z: 0,
    sv: 0,
  }));
}

/**
 * Four groups after a clear, each one product a·1 scaled by s: y = 1, then 1 + half an output ulp (a tie
 * that goes to even, down), then + one ulp, then + half an ulp again (a tie that goes to even, up). Ties
 * are rare in random sums, and only they tell the round-to-nearest modes apart. Empty when the activation
 * or scale format cannot hold the powers of two needed.
 */
function tieSegment(p: MixedMacParams, fa: FloatFormat, fs: FloatFormat): MixedMacStep[] {
  const m = floatLayout(formatByName(p.outFormat) as FloatFormat).mantBits;
  const aExp = -Math.ceil((m + 1) / 2);
  const sExp = -(m + 1) - aExp;
  const exact = (f: FloatFormat, x: number) => {
    const code = encodeNumber(f, x).code;
    return decodeNumber(f, code) === x ? code : undefined;
  };
  const groups = [
    [1, 1],
    [2 ** aExp, 2 ** sExp],
    [2 ** aExp, 2 ** (sExp + 1)],
    [2 ** aExp, 2 ** sExp],
  ].map(([a, s]) => [exact(fa, a!), exact(fs, s!)]);
  const zero = exact(fa, 0);
  const one = weightOne(p);
  if (zero === undefined || one === undefined || groups.some(([a, s]) => a === undefined || s === undefined))
    return [];
  const { w, z } = one;
  return groups.flatMap(([a, s], g) =>
    Array.from({ length: p.group }, (_, i) => ({
      w: i === 0 ? w : (g * 7 + i) % 2 ** mixedWeightPorts(p.weight).bits,
      a: i === 0 ? a! : zero,
      clear: g === 0 && i === 0,
      s: s!,
      z,
      sv: 0,
    })),
  );
}
