import type { IntMacParams } from '../../generators/mac/int_mac.ts';
import { intMacGolden, type IntMacStep } from '../golden/int_mac.ts';
import { allIntegers, cornerIntegers, intRange, pattern, randomInteger } from '../vectors/integers.ts';
import { Random } from '../vectors/random.ts';
import { joinVectors, type PlannedVectors, type VerificationPlan } from './plan.ts';

const EXHAUSTIVE_LIMIT = 1 << 20;
const DEFAULT_SEQUENCE = 100_000;

/**
 * int_mac is checked on single steps (clear high: the output is one product) exhaustively where the
 * operand space allows, and on long random sequences of accumulations with clears, biased so that
 * sums run into the accumulator's bounds.
 */
export const intMacPlan: VerificationPlan<IntMacParams> = {
  generator: 'int_mac',
  vectors(p, request, seed) {
    const pairs = 2 ** (p.aWidth + p.bWidth);
    switch (request.kind) {
      case 'exhaustive':
        if (pairs > EXHAUSTIVE_LIMIT)
          throw new Error(`int_mac: ${pairs} operand pairs are too many to run exhaustively`);
        return singles(p, allIntegers(p.aWidth, p.aSigned), allIntegers(p.bWidth, p.bSigned), 'exhaustive');
      case 'corner':
        return joinVectors([
          singles(p, cornerIntegers(p.aWidth, p.aSigned), cornerIntegers(p.bWidth, p.bSigned), 'corner'),
          sequence(p, extremeRuns(p), 'runs to the accumulator bounds'),
        ]);
      case 'random':
        return sequence(p, randomSteps(p, request.count, new Random(seed)), `random sequence (seed ${seed})`);
      case 'default': {
        const parts = [
          sequence(p, randomSteps(p, DEFAULT_SEQUENCE, new Random(seed)), `random sequence (seed ${seed})`),
        ];
        if (pairs <= EXHAUSTIVE_LIMIT) {
          parts.unshift(
            singles(p, allIntegers(p.aWidth, p.aSigned), allIntegers(p.bWidth, p.bSigned), 'exhaustive'),
          );
        } else {
          parts.unshift(
            singles(p, cornerIntegers(p.aWidth, p.aSigned), cornerIntegers(p.bWidth, p.bSigned), 'corner'),
          );
        }
        parts.push(sequence(p, extremeRuns(p), 'runs to the accumulator bounds'));
        return joinVectors(parts);
      }
    }
  },
  decode(port, bits, p) {
    const signedAcc = p.aSigned || p.bSigned;
    const field: Record<string, [number, boolean]> = {
      a: [p.aWidth, p.aSigned],
      b: [p.bWidth, p.bSigned],
      clear: [1, false],
      acc: [p.accWidth, signedAcc],
    };
    const [width, signed] = field[port] ?? [64, false];
    return (signed ? BigInt.asIntN(width, bits) : bits).toString();
  },
};

function singles(p: IntMacParams, as: bigint[], bs: bigint[], what: string): PlannedVectors {
  const steps = as.flatMap((a) => bs.map((b) => ({ a, b, clear: true })));
  return sequence(p, steps, `${steps.length} ${what} single steps`);
}

function sequence(p: IntMacParams, steps: IntMacStep[], description: string): PlannedVectors {
  const accs = intMacGolden(p, steps);
  return {
    inputs: ['a', 'b', 'clear'],
    outputs: ['acc'],
    stimulus: steps.map((s) => [pattern(s.a, p.aWidth), pattern(s.b, p.bWidth), s.clear ? 1n : 0n]),
    expected: accs.map((acc) => [pattern(acc, p.accWidth)]),
    description: description.startsWith(`${steps.length}`)
      ? description
      : `${steps.length}-step ${description}`,
  };
}

/** Steps until the accumulator must pass its bounds, in both directions, with the largest products. */
function extremeRuns(p: IntMacParams): IntMacStep[] {
  const a = intRange(p.aWidth, p.aSigned);
  const b = intRange(p.bWidth, p.bSigned);
  const acc = intRange(p.accWidth, p.aSigned || p.bSigned);
  const biggest = a.max * b.max > a.min * b.min ? { a: a.max, b: b.max } : { a: a.min, b: b.min };
  const smallest = a.min * b.max < a.max * b.min ? { a: a.min, b: b.max } : { a: a.max, b: b.min };
  const runs: IntMacStep[] = [];
  const run = (op: { a: bigint; b: bigint }, bound: bigint) => {
    const product = op.a * op.b;
    if (product === 0n) return;
    const needed = bound / product + 3n;
    if (needed > 200_000n) return; // beyond reach for a test run (a 32-bit sum of INT8 products needs 132,000)
    for (let i = 0n; i < needed; i++) runs.push({ ...op, clear: i === 0n });
  };
  run(biggest, acc.max);
  if (acc.min < 0n) run(smallest, acc.min);
  return runs;
}

/** Random accumulations in segments: uniform operands, or operands that push the sum up or down. */
function randomSteps(p: IntMacParams, count: number, rng: Random): IntMacStep[] {
  const a = intRange(p.aWidth, p.aSigned);
  const b = intRange(p.bWidth, p.bSigned);
  const steps: IntMacStep[] = [];
  while (steps.length < count) {
    const length = 1 + rng.below(rng.chance(0.5) ? 16 : 2000);
    const mode = rng.pick(['uniform', 'up', 'down'] as const);
    for (let i = 0; i < length && steps.length < count; i++) {
      let x = randomInteger(rng, p.aWidth, p.aSigned);
      let y = randomInteger(rng, p.bWidth, p.bSigned);
      if (mode !== 'uniform') [x, y] = [magnitude(x, a.max), magnitude(y, b.max)];
      // Pushing down needs one negative factor: negate whichever operand is signed.
      if (mode === 'down' && p.aSigned) x = -x;
      else if (mode === 'down' && p.bSigned) y = -y;
      steps.push({ a: x, b: y, clear: i === 0 });
    }
  }
  return steps;
}

/** |v|, kept within the field's maximum (the most negative value has no positive twin). */
function magnitude(v: bigint, max: bigint): bigint {
  const m = v < 0n ? -v : v;
  return m > max ? max : m;
}
