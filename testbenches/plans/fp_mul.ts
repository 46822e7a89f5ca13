import {
  floatLayout,
  formatByName,
  resolvePolicy,
  type FloatFormat,
} from '../../generators/formats/index.ts';
import { outputPolicy } from '../../generators/float-params.ts';
import type { FpMulParams } from '../../generators/mul/fp_mul.ts';
import { fpMulGolden, type FpMulSpec } from '../golden/fp_mul.ts';
import { testFloatSetFor } from './testfloat-match.ts';
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

/**
 * fp_mul: every operand pair where there are at most 2^20; otherwise corner pairs, TestFloat's
 * f16_mul/f32_mul cases (expected values straight from the file) when the unit has TestFloat's
 * formats and policy, and seeded random pairs steered to the output's overflow and underflow edges.
 */
export const fpMulPlan: VerificationPlan<FpMulParams> = {
  generator: 'fp_mul',
  vectors(p, request, seed) {
    const [fa, fb] = [formatByName(p.aFormat) as FloatFormat, formatByName(p.bFormat) as FloatFormat];
    const pairs = 2 ** (floatLayout(fa).bits + floatLayout(fb).bits);
    const exhaustive = () => {
      if (pairs > EXHAUSTIVE_LIMIT)
        throw new Error(`fp_mul: ${pairs} operand pairs are too many to run exhaustively`);
      const list: [number, number][] = [];
      for (let a = 0; a < 2 ** floatLayout(fa).bits; a++)
        for (let b = 0; b < 2 ** floatLayout(fb).bits; b++) list.push([a, b]);
      return build(p, list, `${pairs} exhaustive pairs`);
    };
    const corner = () => {
      const list = cornerCodes(fa).flatMap((a) => cornerCodes(fb).map((b): [number, number] => [a, b]));
      return build(p, list, `${list.length} corner pairs`);
    };
    const random = (count: number) =>
      build(p, randomPairs(p, fa, fb, count, new Random(seed)), `${count} random pairs (seed ${seed})`);
    const sets = { exhaustive, corner, random };
    return vectorsOfKind(request, {
      ...sets,
      default: () => floatDefault(pairs, EXHAUSTIVE_LIMIT, sets, testFloatSet(p), DEFAULT_RANDOM),
    });
  },
  decode(port, bits, p) {
    if (port === 'flags') return describeFlagByte(bits);
    return describeFloatCode(port === 'a' ? p.aFormat : port === 'b' ? p.bFormat : p.outFormat, bits);
  },
  portFormat: (port, p) => ({ a: p.aFormat, b: p.bFormat, p: p.outFormat })[port],
};

export function fpMulSpec(p: FpMulParams): FpMulSpec {
  return {
    aFormat: p.aFormat,
    bFormat: p.bFormat,
    outFormat: p.outFormat,
    policy: outputPolicy(p),
    inputSubnormals: p.inputSubnormals as 'keep' | 'flush',
  };
}

/** The unit's ports, in the order of the columns below. */
function columns(p: FpMulParams): VectorColumns {
  return { inputs: ['a', 'b'], outputs: p.flags ? ['p', 'flags'] : ['p'] };
}

function build(p: FpMulParams, pairs: [number, number][], description: string): PlannedVectors {
  const s = fpMulSpec(p);
  return {
    ...columns(p),
    stimulus: pairs.map(([a, b]) => [BigInt(a), BigInt(b)]),
    expected: pairs.map(([a, b]) => {
      const r = fpMulGolden(s, a, b);
      return p.flags ? [BigInt(r.code), BigInt(r.flags)] : [BigInt(r.code)];
    }),
    description,
  };
}

/**
 * TestFloat's cases for fp16 or fp32 units of one format with IEEE overflow, subnormals and a canonical
 * NaN, in any of TestFloat's rounding modes and tininess rules (testFloatSetFor).
 */
function testFloatSet(p: FpMulParams): PlannedVectors | undefined {
  if (p.aFormat !== p.outFormat || p.bFormat !== p.outFormat || p.inputSubnormals !== 'keep')
    return undefined;
  const policy = resolvePolicy(formatByName(p.outFormat), outputPolicy(p));
  const set = policy.nan === 'canonical' ? testFloatSetFor(p.outFormat, 'mul', policy) : undefined;
  if (set === undefined) return undefined;
  return {
    ...columns(p),
    stimulus: set.cases.map((c) => c.operands.map(BigInt)),
    expected: set.cases.map((c) => (p.flags ? [BigInt(c.result), BigInt(c.flags)] : [BigInt(c.result)])),
    description: set.description,
  };
}

/** Half uniform codes, half pairs whose product lands near the output's largest or smallest exponents. */
function randomPairs(
  p: FpMulParams,
  fa: FloatFormat,
  fb: FloatFormat,
  count: number,
  rng: Random,
): [number, number][] {
  const out = floatLayout(formatByName(p.outFormat) as FloatFormat);
  const targets = [out.emin - out.mantBits - 1, out.emin, out.maxQ + out.mantBits, 0];
  const la = floatLayout(fa);
  const list: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    if (rng.chance(0.5)) {
      list.push([randomCode(rng, fa), randomCode(rng, fb)]);
      continue;
    }
    const target = rng.pick(targets);
    const ea = la.emin + rng.below(la.maxQ + la.mantBits - la.emin + 1);
    list.push([codeNearExponent(rng, fa, ea, 0), codeNearExponent(rng, fb, target - ea)]);
  }
  return list;
}
