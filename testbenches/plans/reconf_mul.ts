import { floatLayout, formatByName, type FloatFormat } from '../../generators/formats/index.ts';
import { outputPolicy } from '../../generators/float-params.ts';
import { reconfModes, type ReconfMulParams } from '../../generators/mul/reconf_mul.ts';
import { reconfMulGolden, type ReconfMulSpec } from '../golden/reconf_mul.ts';
import { cornerCodes, randomCode } from '../vectors/floats.ts';
import { Random } from '../vectors/random.ts';
import { describeFloatCode } from './float-decode.ts';
import { floatDefault, vectorsOfKind, type PlannedVectors, type VerificationPlan } from './plan.ts';

const EXHAUSTIVE_LIMIT = 1 << 20;
const DEFAULT_RANDOM = 100_000;

type Case = [mode: number, a: number, b: number];

export function reconfMulSpec(p: ReconfMulParams): ReconfMulSpec {
  return {
    format: p.format,
    outFormat: p.outFormat ?? p.format,
    modes: reconfModes(p),
    operandRounding: p.operandRounding as 'rne' | 'truncate',
    policy: outputPolicy(p),
  };
}

/** reconf_mul: every operand pair in every mode for 8-bit formats; corner pairs per mode and random (pair, mode) otherwise. */
export const reconfMulPlan: VerificationPlan<ReconfMulParams> = {
  generator: 'reconf_mul',
  vectors(p, request, seed) {
    const format = formatByName(p.format) as FloatFormat;
    const bits = floatLayout(format).bits;
    const modes = reconfModes(p).length;
    const build = (cases: Case[], description: string): PlannedVectors => {
      const spec = reconfMulSpec(p);
      return {
        inputs: ['a', 'b', 'mode'],
        outputs: ['p'],
        stimulus: cases.map(([mode, a, b]) => [BigInt(a), BigInt(b), BigInt(mode)]),
        expected: cases.map(([mode, a, b]) => [BigInt(reconfMulGolden(spec, mode, a, b))]),
        description,
      };
    };
    const exhaustive = () => {
      const total = modes * 2 ** (2 * bits);
      if (total > EXHAUSTIVE_LIMIT)
        throw new Error(`reconf_mul: ${total} cases are too many to run exhaustively`);
      const cases: Case[] = [];
      for (let mode = 0; mode < modes; mode++) {
        for (let a = 0; a < 2 ** bits; a++) for (let b = 0; b < 2 ** bits; b++) cases.push([mode, a, b]);
      }
      return build(cases, `${total} exhaustive cases (${modes} modes)`);
    };
    const corner = () => {
      const codes = cornerCodes(format);
      const cases: Case[] = [];
      for (let mode = 0; mode < modes; mode++)
        for (const a of codes) for (const b of codes) cases.push([mode, a, b]);
      return build(cases, `${cases.length} corner cases (${modes} modes)`);
    };
    const random = (count: number) => {
      const rng = new Random(seed);
      const cases: Case[] = [];
      for (let i = 0; i < count; i++)
        cases.push([rng.below(modes), randomCode(rng, format), randomCode(rng, format)]);
      return build(cases, `${count} random cases (seed ${seed})`);
    };
    const sets = { exhaustive, corner, random };
    return vectorsOfKind(request, {
      ...sets,
      default: () => floatDefault(modes * 2 ** (2 * bits), EXHAUSTIVE_LIMIT, sets, undefined, DEFAULT_RANDOM),
    });
  },
  decode(port, bits, p) {
    if (port === 'mode') {
      const modes = reconfModes(p);
      const x = modes[Math.min(Number(bits), modes.length - 1)]!;
      return `${x.kind} m=${x.m}`;
    }
    return describeFloatCode(port === 'p' ? (p.outFormat ?? p.format) : p.format, bits);
  },
  portFormat: (port, p) => ({ a: p.format, b: p.format, p: p.outFormat ?? p.format })[port],
};
