import type { SatAddParams } from '../../generators/examples/sat_add.ts';
import { satAddGolden } from '../golden/sat_add.ts';
import { allIntegers, cornerIntegers, pattern, randomInteger } from '../vectors/integers.ts';
import { Random } from '../vectors/random.ts';
import { vectorsOfKind, type PlannedVectors, type VerificationPlan } from './plan.ts';

/** Every operand pair up to 8-bit operands (65,536 pairs), corner and random pairs beyond. */
export const satAddPlan: VerificationPlan<SatAddParams> = {
  generator: 'sat_add',
  vectors(p, request, seed) {
    const exhaustive = () => {
      if (p.width > 8)
        throw new Error(`sat_add: ${p.width}-bit operands have too many pairs to run them all`);
      const all = allIntegers(p.width, p.signed);
      return vectors(p, cross(all, all), `${all.length ** 2} exhaustive pairs`);
    };
    const corner = cornerIntegers(p.width, p.signed);
    const random = (count: number) => {
      const rng = new Random(seed);
      const pairs = Array.from({ length: count }, () =>
        [0, 1].map(() => randomInteger(rng, p.width, p.signed)),
      );
      return vectors(p, pairs, `${count} random pairs (seed ${seed})`);
    };
    return vectorsOfKind(request, {
      exhaustive,
      corner: () => vectors(p, cross(corner, corner), `${corner.length ** 2} corner pairs`),
      random,
      default: () => (p.width <= 8 ? exhaustive() : random(100_000)),
    });
  },
  decode(_port, bits, p) {
    return (p.signed ? BigInt.asIntN(p.width, bits) : bits).toString();
  },
};

function cross(as: bigint[], bs: bigint[]): bigint[][] {
  return as.flatMap((a) => bs.map((b) => [a, b]));
}

function vectors(p: SatAddParams, pairs: bigint[][], description: string): PlannedVectors {
  return {
    inputs: ['a', 'b'],
    outputs: ['s'],
    stimulus: pairs.map((pair) => pair.map((x) => pattern(x, p.width))),
    expected: pairs.map(([a, b]) => [pattern(satAddGolden(a!, b!, p.width, p.signed), p.width)]),
    description,
  };
}
