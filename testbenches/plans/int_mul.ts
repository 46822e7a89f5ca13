import type { IntMulParams } from '../../generators/mul/int_mul.ts';
import { intMulBits } from '../golden/int_mul.ts';
import { allIntegers, cornerIntegers, pattern, randomInteger } from '../vectors/integers.ts';
import { Random } from '../vectors/random.ts';
import type { PlannedVectors, VerificationPlan } from './plan.ts';

const EXHAUSTIVE_LIMIT = 1 << 20;

export const intMulPlan: VerificationPlan<IntMulParams> = {
  generator: 'int_mul',
  vectors(p, request, seed) {
    const pairs = 2 ** (p.aWidth + p.bWidth);
    const kind =
      request.kind === 'default' ? (pairs <= EXHAUSTIVE_LIMIT ? 'exhaustive' : 'random') : request.kind;
    if (kind === 'exhaustive') {
      if (pairs > EXHAUSTIVE_LIMIT)
        throw new Error(`int_mul: ${pairs} operand pairs are too many to run exhaustively`);
      return build(
        p,
        cross(allIntegers(p.aWidth, p.aSigned), allIntegers(p.bWidth, p.bSigned)),
        `${pairs} exhaustive pairs`,
      );
    }
    if (kind === 'corner') {
      const pairsList = cross(cornerIntegers(p.aWidth, p.aSigned), cornerIntegers(p.bWidth, p.bSigned));
      return build(p, pairsList, `${pairsList.length} corner pairs`);
    }
    const count = request.kind === 'random' ? request.count : 100_000;
    const rng = new Random(seed);
    const list: [bigint, bigint][] = [];
    for (let i = 0; i < count; i++)
      list.push([randomInteger(rng, p.aWidth, p.aSigned), randomInteger(rng, p.bWidth, p.bSigned)]);
    return build(p, list, `${count} random pairs (seed ${seed})`);
  },
  decode(port, bits, p) {
    const signed = port === 'a' ? p.aSigned : port === 'b' ? p.bSigned : p.aSigned || p.bSigned;
    const width = port === 'a' ? p.aWidth : port === 'b' ? p.bWidth : p.aWidth + p.bWidth;
    return (signed ? BigInt.asIntN(width, bits) : bits).toString();
  },
};

function cross(as: bigint[], bs: bigint[]): [bigint, bigint][] {
  return as.flatMap((a) => bs.map((b): [bigint, bigint] => [a, b]));
}

function build(p: IntMulParams, pairs: [bigint, bigint][], description: string): PlannedVectors {
  const stimulus = pairs.map(([a, b]) => [pattern(a, p.aWidth), pattern(b, p.bWidth)]);
  return {
    inputs: ['a', 'b'],
    outputs: ['p'],
    stimulus,
    expected: stimulus.map(([a, b]) => [intMulBits(p, a!, b!)]),
    description,
  };
}
