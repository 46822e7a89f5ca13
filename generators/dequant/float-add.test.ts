// The adder of the fma and mul-add orders on its own: every TestFloat f16_add case (Berkeley SoftFloat
// results, RNE), and seeded random bf16/fp32 pairs against the formats library's add in every rounding mode.

import { describe, expect, it } from 'vitest';
import { normalize } from '../arith/normalize.ts';
import { roundPack } from '../arith/round.ts';
import { readVectorLines } from '../formats/conformance/fixtures.ts';
import {
  add,
  decode,
  formatByName,
  resolvePolicy,
  ROUNDING_MODES,
  TESTFLOAT_POLICY,
  type FloatFormat,
  type Policy,
} from '../formats/index.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { UInt } from '../hdl/types.ts';
import { decodeScalar } from './element-decode.ts';
import { exactSum } from './float-add.ts';

function adder(formatName: string, policy: Policy) {
  const format = formatByName(formatName) as FloatFormat;
  const resolved = resolvePolicy(format, policy);
  const bits = 1 + format.expBits + format.mantBits;
  const m = new ModuleBuilder('adder', { generator: 'test', params: {} });
  const a = decodeScalar(m.input('a', UInt(bits)), format, 'a');
  const b = decodeScalar(m.input('b', UInt(bits)), format, 'b');
  const sum = normalize(exactSum(a, b, resolved.rounding === 'rdown' ? 1 : 0, 'sum'), 'sum_norm');
  m.output('s', roundPack(sum, format, resolved, 'out').code);
  return m.build();
}

describe('exactSum + roundPack', () => {
  it('reproduces every TestFloat f16_add case', () => {
    const cases = readVectorLines('testfloat/f16_add.txt').map((line) =>
      line
        .trim()
        .split(/\s+/)
        .map((f) => BigInt(parseInt(f, 16))),
    );
    const got = runVectors(
      adder('fp16', TESTFLOAT_POLICY),
      cases.map(([a, b]) => [a!, b!]),
    );
    const wrong = cases.filter((c, i) => got[i]![0] !== c[2]).slice(0, 5);
    expect(wrong).toEqual([]);
    expect(cases.length).toBe(46_464);
  });

  for (const formatName of ['bf16', 'fp32']) {
    it(`${formatName}: random pairs, near pairs and cancellations in every rounding mode`, () => {
      const format = formatByName(formatName) as FloatFormat;
      const bits = 1 + format.expBits + format.mantBits;
      let seed = 12345;
      const next = () => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return seed;
      };
      const pairs = Array.from({ length: 1500 }, (_, i): [bigint, bigint] => {
        const a = BigInt(next() % 2 ** Math.min(bits, 31)) | (BigInt(next() & 1) << BigInt(bits - 1));
        // a third with b near a (aligned or cancelling), the rest uniform
        const near = BigInt((next() % 64) - 32);
        const b =
          i % 3 === 0
            ? BigInt.asUintN(bits, a + near) ^ (BigInt(next() & 1) << BigInt(bits - 1))
            : BigInt(next() % 2 ** Math.min(bits, 31)) | (BigInt(next() & 1) << BigInt(bits - 1));
        return [a, BigInt.asUintN(bits, b)];
      });
      for (const rounding of ROUNDING_MODES) {
        const policy = { rounding } as Policy;
        const got = runVectors(adder(formatName, policy), pairs);
        const wrong = pairs.filter(
          ([a, b], i) =>
            got[i]![0] !==
            BigInt(add(format, decode(format, Number(a)), decode(format, Number(b)), policy).code),
        );
        expect(
          wrong.slice(0, 3).map(([a, b]) => `${rounding} ${a.toString(16)} + ${b.toString(16)}`),
        ).toEqual([]);
      }
    });
  }
});
