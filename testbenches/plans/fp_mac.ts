import {
  decodeNumber,
  encodeNumber,
  floatLayout,
  formatByName,
  resolvePolicy,
  type FloatFormat,
} from '../../generators/formats/index.ts';
import { outputPolicy } from '../../generators/float-params.ts';
import { accumulatorLayout, type FpMacParams } from '../../generators/mac/fp_mac.ts';
import { fpMacGolden, type FpMacSpec, type MacStep } from '../golden/fp_mac.ts';
import { testFloatSetFor } from './testfloat-match.ts';
import { codeNearExponent, cornerCodes, randomCode } from '../vectors/floats.ts';
import { Random } from '../vectors/random.ts';
import { describeFlagByte, describeFloatCode } from './float-decode.ts';
import { joinVectors, type PlannedVectors, type VectorColumns, type VerificationPlan } from './plan.ts';

const EXHAUSTIVE_LIMIT = 1 << 16;
const DEFAULT_SEQUENCE = 100_000;

export function fpMacSpec(p: FpMacParams): FpMacSpec {
  const fa = formatByName(p.aFormat) as FloatFormat;
  return {
    aFormat: p.aFormat,
    bFormat: p.bFormat,
    accFormat: p.accFormat,
    accumulator: p.accumulator as FpMacSpec['accumulator'],
    ...(p.accumulator === 'kulisch'
      ? { kulisch: { ...accumulatorLayout(p), window: p.msb !== undefined } }
      : {}),
    ...(p.product === 'lmul' ? { lmul: { m: p.m ?? fa.mantBits } } : {}),
    ...(p.partialSums > 1 ? { partialSums: p.partialSums } : {}),
    policy: outputPolicy({ ...p }),
  };
}

/**
 * fp_mac: single steps (clear high) over every operand pair of 8-bit formats, seeded random
 * accumulation sequences with clears (operands mostly finite, so that NaN and Inf do not end every
 * sum), and for FMA-style units TestFloat's mulAdd cases through the addend input. Without an
 * accumulator a "step" is one FMA with its own addend.
 */
export const fpMacPlan: VerificationPlan<FpMacParams> = {
  generator: 'fp_mac',
  vectors(p, request, seed) {
    const [fa, fb] = [formatByName(p.aFormat) as FloatFormat, formatByName(p.bFormat) as FloatFormat];
    const pairs = 2 ** (floatLayout(fa).bits + floatLayout(fb).bits);
    const singles = (as: number[], bs: number[], what: string) =>
      build(
        p,
        as.flatMap((a) => bs.map((b): MacStep => ({ a, b, clear: true, ...fmaAddend(p) }))),
        what,
      );
    const all = (f: FloatFormat) => Array.from({ length: 2 ** floatLayout(f).bits }, (_, i) => i);
    const sequence = (count: number) =>
      build(p, randomSteps(p, fa, fb, count, new Random(seed)), `random sequence (seed ${seed})`);
    switch (request.kind) {
      case 'exhaustive':
        if (pairs > EXHAUSTIVE_LIMIT)
          throw new Error(`fp_mac: ${pairs} operand pairs are too many to run exhaustively`);
        return singles(all(fa), all(fb), 'exhaustive single steps');
      case 'corner':
        return singles(cornerCodes(fa), cornerCodes(fb), 'corner single steps');
      case 'random':
        return sequence(request.count);
      case 'default': {
        const parts = [
          pairs <= EXHAUSTIVE_LIMIT
            ? singles(all(fa), all(fb), 'exhaustive single steps')
            : singles(cornerCodes(fa), cornerCodes(fb), 'corner single steps'),
          sequence(DEFAULT_SEQUENCE),
        ];
        if (p.product === 'lmul' && p.accumulator === 'kulisch') {
          const rounding = lmulRoundingRuns(p, fa, fb);
          if (rounding.length > 0)
            parts.push(build(p, rounding, 'steps of L-Mul products summing to ties and subnormals'));
        }
        const wrap = wrapRuns(p, fa, fb);
        if (wrap.length > 0) parts.push(build(p, wrap, 'steps of the largest products, past the register'));
        const external = testFloatSet(p);
        if (external !== undefined) parts.push(external);
        return joinVectors(parts);
      }
    }
  },
  decode(port, bits, p) {
    if (port === 'flags') return describeFlagByte(bits);
    if (port === 'clear' || port === 'use_c' || port === 'overflow') return bits.toString();
    return describeFloatCode(port === 'a' ? p.aFormat : port === 'b' ? p.bFormat : p.accFormat, bits);
  },
  portFormat: (port, p) =>
    ({ a: p.aFormat, b: p.bFormat, c: p.accFormat, y: p.accFormat, acc: p.accFormat })[port],
};

function build(p: FpMacParams, steps: MacStep[], description: string): PlannedVectors {
  return {
    ...fpMacColumns(p),
    stimulus: fpMacStimulus(p, steps),
    expected: fpMacExpected(p, steps),
    description: `${steps.length} ${description}`,
  };
}

/** The unit's ports, in the order of fpMacStimulus's and fpMacExpected's columns. */
export function fpMacColumns(p: FpMacParams): VectorColumns {
  if (p.accumulator === 'none') return { inputs: ['a', 'b', 'c'], outputs: p.flags ? ['y', 'flags'] : ['y'] };
  const windowed = p.accumulator === 'kulisch' && p.msb !== undefined;
  return {
    inputs: ['a', 'b', 'clear', ...(p.addendInput ? ['c', 'use_c'] : [])],
    outputs: ['acc', ...(p.flags ? ['flags'] : []), ...(windowed ? ['overflow'] : [])],
  };
}

/** The input rows of steps. */
export function fpMacStimulus(p: FpMacParams, steps: readonly MacStep[]): bigint[][] {
  return steps.map((s) =>
    p.accumulator === 'none'
      ? [BigInt(s.a), BigInt(s.b), BigInt(s.c!)]
      : [
          BigInt(s.a),
          BigInt(s.b),
          s.clear ? 1n : 0n,
          ...(p.addendInput ? [BigInt(s.c ?? 0), s.c === undefined ? 0n : 1n] : []),
        ],
  );
}

/** The expected output rows of steps. */
export function fpMacExpected(p: FpMacParams, steps: readonly MacStep[]): bigint[][] {
  return fpMacGolden(fpMacSpec(p), steps).map((r) => [
    BigInt(r.code),
    ...(p.flags ? [BigInt(r.flags)] : []),
    ...(r.overflow === undefined ? [] : [r.overflow ? 1n : 0n]),
  ]);
}

/** Segments of 1 to 2,000 steps, each started by a clear; 95% of operands finite and near 1 in magnitude. */
function randomSteps(
  p: FpMacParams,
  fa: FloatFormat,
  fb: FloatFormat,
  count: number,
  rng: Random,
): MacStep[] {
  const accFormat = formatByName(p.accFormat) as FloatFormat;
  const accLayout = floatLayout(accFormat);
  const operand = (f: FloatFormat) =>
    rng.chance(0.05) ? randomCode(rng, f) : codeNearExponent(rng, f, 0, 3);
  const steps: MacStep[] = [];
  while (steps.length < count) {
    const length = 1 + rng.below(rng.chance(0.5) ? 16 : 2000);
    for (let i = 0; i < length && steps.length < count; i++) {
      const step: MacStep = { a: operand(fa), b: operand(fb), clear: i === 0 };
      // An FMA's addend is mostly near the product's magnitude, so that sums cancel.
      if (p.accumulator === 'none')
        step.c = rng.chance(0.3) ? Number(rng.bits(accLayout.bits)) : codeNearExponent(rng, accFormat, 0, 6);
      else if (p.addendInput && rng.chance(0.2)) step.c = Number(rng.bits(accLayout.bits));
      steps.push(step);
    }
  }
  return steps;
}

/** Runs longest of wrapRuns: the register must wrap within this many steps to be checked. */
const WRAP_STEPS = 20_000;

/**
 * Kulisch: after a clear, the largest positive product again and again until the register wraps
 * (docs/kulisch.md#width), and the same with the largest negative one, so that a register that
 * saturated or grew instead would be seen.
 */
function wrapRuns(p: FpMacParams, fa: FloatFormat, fb: FloatFormat): MacStep[] {
  if (p.accumulator !== 'kulisch') return [];
  const { width, lsbExp } = accumulatorLayout(p);
  const [la, lb] = [floatLayout(fa), floatLayout(fb)];
  // The product's value in LSB units (below the window's top: a larger one would be left out).
  const exp = la.maxQ + lb.maxQ - lsbExp;
  const msb = p.msb === undefined ? Infinity : p.msb - lsbExp;
  if (exp < 0 || exp + Math.log2(la.maxUnits * lb.maxUnits) >= msb) return [];
  // L-Mul products are values of the operand format (docs/lmul.md): the largest fits the register
  // many times over, so the run repeats a large product found among the unit's own products.
  if (p.product === 'lmul') return lmulWrapRun(p, fa, fb, width, lsbExp);
  const units = BigInt(la.maxUnits * lb.maxUnits) << BigInt(exp);
  // A quarter more than the exact products need: an L-Mul product is a little smaller.
  const steps = Math.ceil(Number((1n << BigInt(width - 1)) / units) * 1.25) + 2;
  if (steps > WRAP_STEPS) return [];
  const run = (a: number): MacStep[] =>
    Array.from({ length: steps }, (_, i) => ({ a, b: lb.maxCode, clear: i === 0 }));
  return [...run(la.maxCode), ...run(la.maxCode + la.signWeight)];
}

/**
 * TestFloat's mulAdd cases, through the addend input, for fp16/fp32 FMA units with IEEE overflow and
 * subnormals, in any of TestFloat's rounding modes and tininess rules (testFloatSetFor).
 */
function testFloatSet(p: FpMacParams): PlannedVectors | undefined {
  const fma = p.accumulator === 'none' || (p.accumulator === 'float' && p.addendInput);
  if (!fma || p.product !== 'exact') return undefined;
  if (p.aFormat !== p.accFormat || p.bFormat !== p.accFormat) return undefined;
  const policy = resolvePolicy(formatByName(p.accFormat), outputPolicy({ ...p }));
  const set = testFloatSetFor(p.accFormat, 'mulAdd', policy);
  if (set === undefined) return undefined;
  const { cases } = set;
  return {
    ...fpMacColumns(p),
    stimulus: cases.map((c) =>
      p.accumulator === 'none'
        ? [BigInt(c.operands[0]!), BigInt(c.operands[1]!), BigInt(c.operands[2]!)]
        : [BigInt(c.operands[0]!), BigInt(c.operands[1]!), 0n, BigInt(c.operands[2]!), 1n],
    ),
    expected: cases.map((c) => (p.flags ? [BigInt(c.result), BigInt(c.flags)] : [BigInt(c.result)])),
    description: set.description,
  };
}

/** Corner and exhaustive single steps of an FMA add +0: the product alone, rounded once. */
function fmaAddend(p: FpMacParams): Partial<MacStep> {
  return p.accumulator === 'none' ? { c: 0 } : {};
}

/** The L-Mul product of each finite positive a with b = 1, read from the golden model's single steps (value → a). */
function lmulProducts(p: FpMacParams, fa: FloatFormat, fb: FloatFormat): Map<number, number> {
  const la = floatLayout(fa);
  const acc = formatByName(p.accFormat);
  const one = encodeNumber(fb, 1).code;
  const as = Array.from({ length: la.signWeight }, (_, a) => a).filter((a) =>
    Number.isFinite(decodeNumber(fa, a)),
  );
  const results = fpMacGolden(
    fpMacSpec(p),
    as.map((a): MacStep => ({ a, b: one, clear: true })),
  );
  const products = new Map<number, number>();
  results.forEach((r, i) => {
    const v = decodeNumber(acc, r.code);
    if (Number.isFinite(v) && v > 0 && !products.has(v)) products.set(v, as[i]!);
  });
  return products;
}

/**
 * L-Mul Kulisch units: products are values of the operand format, so sums of a few of them are ties
 * of the output rounding only by design. From the unit's own products (a × 1): v + ulp/2 (a tie whose
 * lower neighbour is even) and v + ulp + ulp/2 (odd), for each sign, with v, ulp and ulp/2 all
 * products; and two neighbouring products near the bottom of the normal range minus one another, a
 * sum below the output's normal range (positive and negative).
 */
function lmulRoundingRuns(p: FpMacParams, fa: FloatFormat, fb: FloatFormat): MacStep[] {
  const products = lmulProducts(p, fa, fb);
  const out = floatLayout(formatByName(p.accFormat) as FloatFormat);
  const one = encodeNumber(fb, 1).code;
  const sign = floatLayout(fa).signWeight;
  const step = (v: number, negative: boolean, clear: boolean): MacStep => ({
    a: products.get(v)! + (negative ? sign : 0),
    b: one,
    clear,
  });
  const steps: MacStep[] = [];
  const values = [...products.keys()].sort((x, y) => x - y);
  // Ties: the first v (largest first) whose ulp and half ulp are products too.
  for (const v of [...values].reverse()) {
    const exp = Math.floor(Math.log2(v));
    if (exp - out.mantBits - 1 < out.emin) continue;
    const [ulp, half] = [2 ** (exp - out.mantBits), 2 ** (exp - out.mantBits - 1)];
    if (!products.has(ulp) || !products.has(half) || 2 ** exp > v) continue;
    for (const negative of [false, true])
      steps.push(
        step(v, negative, true),
        step(half, negative, false),
        step(v, negative, true),
        step(ulp, negative, false),
        step(half, negative, false),
      );
    break;
  }
  // Below the normal range: the smallest two products above 2^emin whose difference is below it.
  const bottom = values.filter((v) => v >= 2 ** out.emin);
  for (let i = 1; i < bottom.length; i++) {
    const [q, r] = [bottom[i - 1]!, bottom[i]!];
    if (r - q > 0 && r - q < 2 ** out.emin) {
      steps.push(step(r, false, true), step(q, true, false), step(r, true, true), step(q, false, false));
      break;
    }
  }
  return steps;
}

/** An L-Mul Kulisch register wrapped by design: the largest product at least 2^6 times below its top, repeated. */
function lmulWrapRun(
  p: FpMacParams,
  fa: FloatFormat,
  fb: FloatFormat,
  width: number,
  lsbExp: number,
): MacStep[] {
  const top = 2 ** (lsbExp + width - 1);
  const products = lmulProducts(p, fa, fb);
  const v = Math.max(...[...products.keys()].filter((x) => x <= top / 64));
  const steps = Math.ceil((top / v) * 1.25) + 2;
  if (!Number.isFinite(v) || steps > WRAP_STEPS) return [];
  const one = encodeNumber(fb, 1).code;
  const a = products.get(v)!;
  const sign = floatLayout(fa).signWeight;
  const run = (code: number): MacStep[] =>
    Array.from({ length: steps }, (_, i) => ({ a: code, b: one, clear: i === 0 }));
  return [...run(a), ...run(a + sign)];
}
