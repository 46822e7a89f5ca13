// Every stage cut of the multipliers, in the IR evaluator against the golden models (the verification
// plans' corner and seeded random vectors): each latency up to the largest, one with backpressure.
// The cuts inside a datapath (the split significand product, between L-Mul's sum and its range
// checks, between a product and its normalization) move logic into another stage; the values must
// not change.

import { describe, expect, it } from 'vitest';
import { alignToUnit } from '../../testbenches/align-vectors.ts';
import { joinVectors } from '../../testbenches/plans/plan.ts';
import { planFor } from '../../testbenches/plans/index.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { generatorByName } from '../registry.ts';

function check(generator: string, raw: Record<string, unknown>, latency: number): void {
  const gen = generatorByName(generator)!;
  const p = parseParams(gen, { ...raw, latency, ready: latency === 1 }) as never;
  const module = gen.build(p);
  expect(module.timing).toMatchObject(latency === 0 ? { kind: 'comb' } : { kind: 'pipelined', latency });
  const plan = planFor(generator);
  const v = alignToUnit(
    joinVectors([
      plan.vectors(p, { kind: 'corner' }, 1),
      plan.vectors(p, { kind: 'random' as const, count: 2000 }, 7),
    ]),
    unitUnderTest(module, []),
  );
  const got = runVectors(module, v.stimulus);
  const wrong = got.flatMap((row, i) =>
    row.every((x, j) => x === v.expected[i]![j])
      ? []
      : [`${v.stimulus[i]!.join(',')}: got ${row.join(',')}, want ${v.expected[i]!.join(',')}`],
  );
  expect(wrong.slice(0, 5)).toEqual([]);
}

const units: [string, Record<string, unknown>, number][] = [
  ['fp_mul', { aFormat: 'fp16', bFormat: 'fp16', outFormat: 'fp16', flags: true }, 7],
  ['fp_mul', { aFormat: 'e5m2', bFormat: 'e4m3fn', outFormat: 'bf16' }, 7],
  ['fp_mul', { aFormat: 'fp32', bFormat: 'fp32', outFormat: 'fp32', rounding: 'rtz' }, 10],
  ['fp_mul', { aFormat: 'e4m3fn', bFormat: 'e5m2', outFormat: 'fp16', rounding: 'rup' }, 8],
  ['lmul', { format: 'bf16', m: 4 }, 4],
  ['lmul', { format: 'fp16', variant: 'formula' }, 4],
  ['lmul', { format: 'e4m3fn' }, 4],
  ['reconf_mul', { format: 'bf16', widths: [7, 4, 3], kinds: ['exact', 'lmul'] }, 8],
  [
    'reconf_mul',
    { format: 'fp16', widths: [10, 6, 2], kinds: ['exact'], outFormat: 'bf16', rounding: 'rtz' },
    8,
  ],
  ['reconf_mul', { format: 'e4m3fn', widths: [3, 1], operandRounding: 'truncate' }, 8],
  ['multi_fp_mul', { formats: ['e4m3fn', 'e5m2'] }, 4],
  ['multi_fp_mul', { formats: ['fp16', 'bf16', 'e5m2'], rounding: 'rtz', overflow: 'inf' }, 4],
];

describe('multipliers at every latency (IR evaluator, golden model)', () => {
  for (const [generator, raw, max] of units) {
    for (let latency = 0; latency <= max; latency++) {
      it(`${generator} ${JSON.stringify(raw)} latency ${latency}`, () => check(generator, raw, latency));
    }
  }
});
