import { floatLayout, formatByName, type FloatFormat } from '../../generators/formats/index.ts';
import type { MultiFpMulParams } from '../../generators/mul/multi_fp_mul.ts';
import { fpMulGolden } from '../golden/fp_mul.ts';
import { Random } from '../vectors/random.ts';
import { describeFloatCode } from './float-decode.ts';
import type { PlannedVectors, VerificationPlan } from './plan.ts';

/** multi_fp_mul: every operand pair of every served format (each at most 8 bits: 65,536 per format). */
export const multiFpMulPlan: VerificationPlan<MultiFpMulParams> = {
  generator: 'multi_fp_mul',
  vectors(p, request, seed) {
    const cases: [number, number, number][] = [];
    const formats = p.formats.map((name) => formatByName(name) as FloatFormat);
    if (request.kind === 'random') {
      const rng = new Random(seed);
      for (let i = 0; i < request.count; i++) {
        const fmt = rng.below(formats.length);
        const bits = floatLayout(formats[fmt]!).bits;
        cases.push([fmt, Number(rng.bits(bits)), Number(rng.bits(bits))]);
      }
    } else {
      formats.forEach((f, fmt) => {
        const n = 2 ** floatLayout(f).bits;
        for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) cases.push([fmt, a, b]);
      });
    }
    const golden = (fmt: number, a: number, b: number) => {
      const format = p.formats[fmt]!;
      return fpMulGolden(
        {
          aFormat: format,
          bFormat: format,
          outFormat: format,
          policy: { rounding: p.rounding, overflow: p.overflow } as never,
          inputSubnormals: 'keep',
        },
        a,
        b,
      ).code;
    };
    const vectors: PlannedVectors = {
      stimulus: cases.map(([fmt, a, b]) => [BigInt(a), BigInt(b), BigInt(fmt)]),
      expected: cases.map(([fmt, a, b]) => [BigInt(golden(fmt, a, b))]),
      description:
        request.kind === 'random'
          ? `${cases.length} random cases (seed ${seed})`
          : `${cases.length} exhaustive cases over ${p.formats.join(', ')}`,
    };
    return vectors;
  },
  decode(port, bits, p) {
    if (port === 'fmt') return p.formats[Math.min(Number(bits), p.formats.length - 1)]!;
    return `0x${bits.toString(16)} (${p.formats.map((f) => `${f}: ${describeFloatCode(f, bits & ((1n << BigInt(floatLayout(formatByName(f) as FloatFormat).bits)) - 1n))}`).join('; ')})`;
  },
};
