import { floatLayout, formatByName, type FloatFormat } from '../../generators/formats/index.ts';
import { outputPolicy } from '../../generators/float-params.ts';
import type { DotParams } from '../../generators/mac/dot.ts';
import { dotGolden, type DotSpec } from '../golden/dot.ts';
import { codeNearExponent, cornerCodes, randomCode } from '../vectors/floats.ts';
import { Random } from '../vectors/random.ts';
import { describeFloatCode } from './float-decode.ts';
import { joinVectors, type PlannedVectors, type VerificationPlan } from './plan.ts';

const DEFAULT_RANDOM = 20_000;

/**
 * dot: corner codes in every lane position (the other lanes ordinary values), then seeded random
 * vectors: mostly finite operands near 1 (so that sums cancel and carry), some random codes.
 */
export const dotPlan: VerificationPlan<DotParams> = {
  generator: 'dot',
  vectors(p, request, seed) {
    const [fa, fb] = [formatByName(p.aFormat) as FloatFormat, formatByName(p.bFormat) as FloatFormat];
    const rng = new Random(seed);
    const operand = (f: FloatFormat) =>
      rng.chance(0.03) ? randomCode(rng, f) : codeNearExponent(rng, f, 0, 3);
    const randomVector = () => ({
      a: Array.from({ length: p.lanes }, () => operand(fa)),
      b: Array.from({ length: p.lanes }, () => operand(fb)),
    });
    const corner = () => {
      const vectors: { a: number[]; b: number[] }[] = [];
      for (const ca of cornerCodes(fa)) {
        for (const cb of cornerCodes(fb)) {
          const v = randomVector();
          const lane = rng.below(p.lanes);
          v.a[lane] = ca;
          v.b[lane] = cb;
          vectors.push(v);
        }
      }
      return build(p, vectors, 'corner vectors');
    };
    const random = (count: number) =>
      build(p, Array.from({ length: count }, randomVector), `random vectors (seed ${seed})`);
    switch (request.kind) {
      case 'corner':
        return corner();
      case 'random':
        return random(request.count);
      case 'exhaustive':
        throw new Error(
          `dot: ${p.lanes}-lane operand vectors are too many to run exhaustively; use corner or random:N`,
        );
      case 'default':
        return joinVectors([corner(), random(DEFAULT_RANDOM)]);
    }
  },
  decode(port, bits, p) {
    if (port === 'y') return describeFloatCode(p.outFormat, bits);
    const format = port === 'a' ? p.aFormat : p.bFormat;
    const w = floatLayout(formatByName(format) as FloatFormat).bits;
    const lanes = Array.from({ length: Math.min(p.lanes, 4) }, (_, i) =>
      describeFloatCode(format, (bits >> BigInt(w * i)) & ((1n << BigInt(w)) - 1n)),
    );
    return `${lanes.map((l, i) => `lane${i} ${l}`).join(', ')}${p.lanes > 4 ? ', …' : ''}`;
  },
  portFormat: (port, p) => ({ a: p.aFormat, b: p.bFormat, y: p.outFormat })[port],
};

export function dotSpec(p: DotParams): DotSpec {
  return {
    aFormat: p.aFormat,
    bFormat: p.bFormat,
    outFormat: p.outFormat,
    sum: p.sum as 'exact' | 'tree',
    policy: outputPolicy(p),
  };
}

function build(p: DotParams, vectors: { a: number[]; b: number[] }[], description: string): PlannedVectors {
  const spec = dotSpec(p);
  const [wa, wb] = [
    floatLayout(formatByName(p.aFormat) as FloatFormat).bits,
    floatLayout(formatByName(p.bFormat) as FloatFormat).bits,
  ];
  const pack = (codes: number[], w: number) =>
    codes.reduce((acc, c, i) => acc | (BigInt(c) << BigInt(w * i)), 0n);
  return {
    inputs: ['a', 'b'],
    outputs: ['y'],
    stimulus: vectors.map((v) => [pack(v.a, wa), pack(v.b, wb)]),
    expected: vectors.map((v) => [BigInt(dotGolden(spec, v.a, v.b))]),
    description: `${vectors.length} ${description}`,
  };
}
