import { floatLayout, formatByName, type FloatFormat, type Policy } from '../../generators/formats/index.ts';
import type { MultiFpMulParams } from '../../generators/mul/multi_fp_mul.ts';
import { fpMulGolden } from '../golden/fp_mul.ts';
import { cornerCodes, randomCode } from '../vectors/floats.ts';
import { Random } from '../vectors/random.ts';
import { describeFloatCode } from './float-decode.ts';
import type { PlannedVectors, VerificationPlan } from './plan.ts';

/** A format with at most this many operand pairs is run exhaustively (every ≤ 8-bit format: 65,536). */
export const EXHAUSTIVE_PAIRS = 1 << 17;
/** Random pairs per wider format (fp16, bf16, fp32), after its corner pairs. */
const DEFAULT_RANDOM = 50_000;

type Case = [fmt: number, a: number, b: number];

/** The expected product code of a case: the served format's own multiplication. */
export function multiFpMulGolden(p: MultiFpMulParams): (fmt: number, a: number, b: number) => number {
  const policy = { rounding: p.rounding, overflow: p.overflow } as Policy;
  return (fmt, a, b) => {
    const format = p.formats[fmt]!;
    return fpMulGolden(
      { aFormat: format, bFormat: format, outFormat: format, policy, inputSubnormals: 'keep' },
      a,
      b,
    ).code;
  };
}

/**
 * multi_fp_mul: per served format, every operand pair when the format is small (FP8, FP4), else its
 * corner pairs and seeded random pairs; the plan's size does not grow with the widest format.
 */
export const multiFpMulPlan: VerificationPlan<MultiFpMulParams> = {
  generator: 'multi_fp_mul',
  vectors(p, request, seed) {
    const formats = p.formats.map((name) => formatByName(name) as FloatFormat);
    const pairs = (f: FloatFormat) => 2 ** (2 * floatLayout(f).bits);
    const rng = new Random(seed);
    const exhaustive = (fmt: number): Case[] => {
      const n = 2 ** floatLayout(formats[fmt]!).bits;
      const cases: Case[] = [];
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) cases.push([fmt, a, b]);
      return cases;
    };
    const corner = (fmt: number): Case[] => {
      const codes = cornerCodes(formats[fmt]!);
      return codes.flatMap((a) => codes.map((b): Case => [fmt, a, b]));
    };
    const random = (fmt: number, count: number): Case[] =>
      Array.from({ length: count }, () => [
        fmt,
        randomCode(rng, formats[fmt]!),
        randomCode(rng, formats[fmt]!),
      ]);

    const every = formats.map((_, fmt) => fmt);
    let cases: Case[];
    let description: string;
    switch (request.kind) {
      case 'random':
        cases = Array.from({ length: request.count }, () => {
          const fmt = rng.below(formats.length);
          return [fmt, randomCode(rng, formats[fmt]!), randomCode(rng, formats[fmt]!)];
        });
        description = `${cases.length} random cases (seed ${seed})`;
        break;
      case 'corner':
        cases = every.flatMap(corner);
        description = `${cases.length} corner cases over ${p.formats.join(', ')}`;
        break;
      case 'exhaustive': {
        const large = formats.filter((f) => pairs(f) > EXHAUSTIVE_PAIRS).map((f) => f.name);
        if (large.length > 0) {
          throw new Error(
            `multi_fp_mul: ${large.join(', ')} ${large.length === 1 ? 'has' : 'have'} more than ${EXHAUSTIVE_PAIRS} operand pairs, ` +
              `too many to run exhaustively; use default, corner or random:N`,
          );
        }
        cases = every.flatMap(exhaustive);
        description = `${cases.length} exhaustive cases over ${p.formats.join(', ')}`;
        break;
      }
      case 'default': {
        const parts = every.map((fmt) =>
          pairs(formats[fmt]!) <= EXHAUSTIVE_PAIRS
            ? { cases: exhaustive(fmt), text: `${p.formats[fmt]} exhaustive` }
            : {
                cases: [...corner(fmt), ...random(fmt, DEFAULT_RANDOM)],
                text: `${p.formats[fmt]} corner + random`,
              },
        );
        cases = parts.flatMap((part) => part.cases);
        description = `${cases.length} cases (${parts.map((part) => part.text).join(', ')}; seed ${seed})`;
        break;
      }
    }
    const golden = multiFpMulGolden(p);
    return {
      inputs: ['a', 'b', 'fmt'],
      outputs: ['p'],
      stimulus: cases.map(([fmt, a, b]) => [BigInt(a), BigInt(b), BigInt(fmt)]),
      expected: cases.map(([fmt, a, b]) => [BigInt(golden(fmt, a, b))]),
      description,
    } satisfies PlannedVectors;
  },
  decode(port, bits, p) {
    if (port === 'fmt') return p.formats[Math.min(Number(bits), p.formats.length - 1)]!;
    return `0x${bits.toString(16)} (${p.formats.map((f) => `${f}: ${describeFloatCode(f, bits & ((1n << BigInt(floatLayout(formatByName(f) as FloatFormat).bits)) - 1n))}`).join('; ')})`;
  },
};
