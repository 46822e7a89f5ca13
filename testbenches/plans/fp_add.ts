import { floatLayout, formatByName, type FloatFormat } from '../../generators/formats/index.ts';
import { outputPolicy } from '../../generators/float-params.ts';
import type { FpAddParams } from '../../generators/float/fp_add.ts';
import { fpAddGolden, type FpAddSpec } from '../golden/fp_add.ts';
import { testFloatCases } from '../vectors/external.ts';
import { testFloatFileFor } from './testfloat-match.ts';
import { codeNearExponent, cornerCodes, randomCode } from '../vectors/floats.ts';
import { Random } from '../vectors/random.ts';
import { describeFlagByte, describeFloatCode } from './float-decode.ts';
import {
  floatDefault,
  vectorsOfKind,
  type PlannedVectors,
  type VectorColumns,
  type VerificationPlan,
} from './plan.ts';

const EXHAUSTIVE_LIMIT = 1 << 20;
const DEFAULT_RANDOM = 100_000;

/** One vector: a, b and (with operation 'input') the sub bit. */
type Case = [number, number, number];

/**
 * fp_add: every operand pair (and both operations with a `sub` input) where there are at most 2^20;
 * otherwise corner pairs (zeros, subnormals, extremes, Inf, NaN), TestFloat's f16_add/f32_add cases
 * when the unit has TestFloat's formats and policy (for a subtraction b's sign is flipped in the
 * stimulus: a − (−b) = a + b), and seeded random pairs steered to cancellation, ties, the output's
 * subnormal range and its overflow edge.
 */
export const fpAddPlan: VerificationPlan<FpAddParams> = {
  generator: 'fp_add',
  vectors(p, request, seed) {
    const [fa, fb] = [formatByName(p.aFormat) as FloatFormat, formatByName(p.bFormat) as FloatFormat];
    const subs = p.operation === 'input' ? [0, 1] : [p.operation === 'subtract' ? 1 : 0];
    const cases = 2 ** (floatLayout(fa).bits + floatLayout(fb).bits) * subs.length;
    const exhaustive = () => {
      if (cases > EXHAUSTIVE_LIMIT)
        throw new Error(`fp_add: ${cases} operand pairs are too many to run exhaustively`);
      const list: Case[] = [];
      for (const s of subs)
        for (let a = 0; a < 2 ** floatLayout(fa).bits; a++)
          for (let b = 0; b < 2 ** floatLayout(fb).bits; b++) list.push([a, b, s]);
      return build(p, list, `${cases} exhaustive pairs`);
    };
    const corner = () => {
      const list = subs.flatMap((s) =>
        cornerCodes(fa).flatMap((a) => cornerCodes(fb).map((b): Case => [a, b, s])),
      );
      return build(p, list, `${list.length} corner pairs`);
    };
    const random = (count: number) =>
      build(p, randomCases(p, fa, fb, count, new Random(seed)), `${count} random pairs (seed ${seed})`);
    const sets = { exhaustive, corner, random };
    return vectorsOfKind(request, {
      ...sets,
      default: () => floatDefault(cases, EXHAUSTIVE_LIMIT, sets, testFloatSet(p), DEFAULT_RANDOM),
    });
  },
  decode(port, bits, p) {
    if (port === 'flags') return describeFlagByte(bits);
    if (port === 'sub') return bits === 1n ? 'a − b' : 'a + b';
    return describeFloatCode(port === 'a' ? p.aFormat : port === 'b' ? p.bFormat : p.outFormat, bits);
  },
  portFormat: (port, p) => ({ a: p.aFormat, b: p.bFormat, y: p.outFormat })[port],
};

/** The golden model's view of a unit's parameters. */
export function fpAddSpec(p: FpAddParams): FpAddSpec {
  return {
    aFormat: p.aFormat,
    bFormat: p.bFormat,
    outFormat: p.outFormat,
    policy: outputPolicy(p),
    inputSubnormals: p.inputSubnormals as 'keep' | 'flush',
  };
}

/** The unit's ports, in the order of stimulus() and of the expected rows. */
function columns(p: FpAddParams): VectorColumns {
  return {
    inputs: p.operation === 'input' ? ['a', 'b', 'sub'] : ['a', 'b'],
    outputs: p.flags ? ['y', 'flags'] : ['y'],
  };
}

function stimulus(p: FpAddParams, [a, b, s]: Case): bigint[] {
  return p.operation === 'input' ? [BigInt(a), BigInt(b), BigInt(s)] : [BigInt(a), BigInt(b)];
}

function build(p: FpAddParams, list: Case[], description: string): PlannedVectors {
  const sp = fpAddSpec(p);
  return {
    ...columns(p),
    stimulus: list.map((c) => stimulus(p, c)),
    expected: list.map(([a, b, s]) => {
      const r = fpAddGolden(sp, a, b, s === 1);
      return p.flags ? [BigInt(r.code), BigInt(r.flags)] : [BigInt(r.code)];
    }),
    description,
  };
}

/** TestFloat's f16_add/f32_add cases for units configured exactly as TestFloat (RNE, IEEE overflow, subnormals, tininess after). */
function testFloatSet(p: FpAddParams): PlannedVectors | undefined {
  const file = testFloatFileFor(p, 'add');
  if (file === undefined) return undefined;
  const signBit = floatLayout(formatByName(p.outFormat) as FloatFormat).signWeight;
  const cases = testFloatCases(file);
  // A subtraction gets −b, so that the file's a + b is still the expected value.
  const sub = (i: number) => (p.operation === 'subtract' ? 1 : p.operation === 'input' ? i & 1 : 0);
  return {
    ...columns(p),
    stimulus: cases.map((c, i) => {
      const [a, b] = c.operands as [number, number];
      return stimulus(p, [a, sub(i) === 1 ? b ^ signBit : b, sub(i)]);
    }),
    expected: cases.map((c) => (p.flags ? [BigInt(c.result), BigInt(c.flags)] : [BigInt(c.result)])),
    description: `${cases.length} TestFloat ${file} cases`,
  };
}

/**
 * A fifth uniform codes; the rest steered: b's exponent within 2 of a's (cancellation), just below
 * a's last place (ties and sticky bits; half of them with b's mantissa zero, an exact tie), both near
 * the output's emin (subnormal sums) or near its largest exponent (overflow).
 */
function randomCases(p: FpAddParams, fa: FloatFormat, fb: FloatFormat, count: number, rng: Random): Case[] {
  const fo = formatByName(p.outFormat) as FloatFormat;
  const out = floatLayout(fo);
  const la = floatLayout(fa);
  const lb = floatLayout(fb);
  const mantissaZero = (code: number) => code - (code % lb.hidden);
  const list: Case[] = [];
  for (let i = 0; i < count; i++) {
    const s = p.operation === 'input' ? Number(rng.bits(1)) : p.operation === 'subtract' ? 1 : 0;
    const kind = rng.below(5);
    if (kind === 0) {
      list.push([randomCode(rng, fa), randomCode(rng, fb), s]);
      continue;
    }
    const ea =
      kind === 3
        ? out.emin + rng.below(3) - 1
        : kind === 4
          ? out.maxQ + out.mantBits - rng.below(2)
          : la.emin + rng.below(la.maxQ + la.mantBits - la.emin + 1);
    const a = codeNearExponent(rng, fa, ea, kind >= 3 ? 1 : 0);
    const eb = kind === 2 ? ea - Math.min(fa.mantBits, fo.mantBits) - 1 : ea;
    let b = codeNearExponent(rng, fb, eb, kind === 2 ? 1 : 2);
    if (kind === 2 && rng.chance(0.5)) b = mantissaZero(b);
    list.push([a, b, s]);
  }
  return list;
}
