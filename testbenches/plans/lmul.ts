import { floatLayout, formatByName, type FloatFormat } from '../../generators/formats/index.ts';
import type { LmulParams } from '../../generators/mul/lmul.ts';
import { lmulGolden, type LmulSpec } from '../golden/lmul.ts';
import { cornerCodes, randomCode } from '../vectors/floats.ts';
import { Random } from '../vectors/random.ts';
import { describeFloatCode } from './float-decode.ts';
import { floatDefault, vectorsOfKind, type PlannedVectors, type VerificationPlan } from './plan.ts';

const EXHAUSTIVE_LIMIT = 1 << 20;
const DEFAULT_RANDOM = 100_000;

export function lmulSpec(p: LmulParams): LmulSpec {
  const format = formatByName(p.format) as FloatFormat;
  return {
    format: p.format,
    outFormat: p.outFormat ?? p.format,
    m: p.m ?? format.mantBits,
    variant: p.variant as LmulSpec['variant'],
    operandRounding: p.operandRounding as LmulSpec['operandRounding'],
    overflow: p.overflow as LmulSpec['overflow'],
  };
}

/** L-Mul: every operand pair for 8-bit formats; corner pairs and seeded random pairs otherwise. */
export const lmulPlan: VerificationPlan<LmulParams> = {
  generator: 'lmul',
  vectors(p, request, seed) {
    const format = formatByName(p.format) as FloatFormat;
    const bits = floatLayout(format).bits;
    const pairs = 2 ** (2 * bits);
    const build = (list: [number, number][], description: string): PlannedVectors => {
      const spec = lmulSpec(p);
      return {
        inputs: ['a', 'b'],
        outputs: ['p'],
        stimulus: list.map(([a, b]) => [BigInt(a), BigInt(b)]),
        expected: list.map(([a, b]) => [BigInt(lmulGolden(spec, a, b))]),
        description,
      };
    };
    const exhaustive = () => {
      if (pairs > EXHAUSTIVE_LIMIT)
        throw new Error(`lmul: ${pairs} operand pairs are too many to run exhaustively`);
      const list: [number, number][] = [];
      for (let a = 0; a < 2 ** bits; a++) for (let b = 0; b < 2 ** bits; b++) list.push([a, b]);
      return build(list, `${pairs} exhaustive pairs`);
    };
    const corner = () => {
      const codes = cornerCodes(format);
      const list = codes.flatMap((a) => codes.map((b): [number, number] => [a, b]));
      return build(list, `${list.length} corner pairs`);
    };
    const random = (count: number) => {
      const rng = new Random(seed);
      const list: [number, number][] = [];
      for (let i = 0; i < count; i++) list.push([randomCode(rng, format), randomCode(rng, format)]);
      return build(list, `${count} random pairs (seed ${seed})`);
    };
    const sets = { exhaustive, corner, random };
    return vectorsOfKind(request, {
      ...sets,
      default: () => floatDefault(pairs, EXHAUSTIVE_LIMIT, sets, undefined, DEFAULT_RANDOM),
    });
  },
  decode(port, bits, p) {
    return describeFloatCode(port === 'p' ? (p.outFormat ?? p.format) : p.format, bits);
  },
  portFormat: (port, p) => ({ a: p.format, b: p.format, p: p.outFormat ?? p.format })[port],
};
