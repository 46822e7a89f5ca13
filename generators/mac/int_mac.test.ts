import { describe, expect, it } from 'vitest';
import { alignToUnit } from '../../testbenches/align-vectors.ts';
import { intMacPlan } from '../../testbenches/plans/int_mac.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { intMac } from './int_mac.ts';

describe('int_mac in the IR evaluator matches its golden model', () => {
  const variants = [
    { aWidth: 4, bWidth: 4, accWidth: 8, overflow: 'saturate', latency: 0 },
    { aWidth: 4, bWidth: 4, accWidth: 9, overflow: 'wrap', latency: 1 },
    {
      aWidth: 4,
      bWidth: 3,
      aSigned: false,
      bSigned: false,
      accWidth: 8,
      overflow: 'saturate',
      latency: 2,
      ready: true,
    },
    { aWidth: 3, bWidth: 4, aSigned: true, bSigned: false, accWidth: 10, overflow: 'saturate', latency: 3 },
    {
      aWidth: 5,
      bWidth: 4,
      aSigned: false,
      bSigned: true,
      accWidth: 9,
      overflow: 'wrap',
      latency: 3,
      ready: true,
    },
    { aWidth: 8, bWidth: 8, accWidth: 20, overflow: 'saturate', multiplier: 'booth4', latency: 1 },
    {
      aWidth: 8,
      bWidth: 8,
      aSigned: false,
      bSigned: false,
      accWidth: 18,
      overflow: 'wrap',
      multiplier: 'booth4',
      latency: 2,
    },
    { aWidth: 7, bWidth: 5, aSigned: true, bSigned: false, accWidth: 14, multiplier: 'booth4', latency: 0 },
  ];
  for (const raw of variants) {
    it(JSON.stringify(raw), () => {
      const p = parseParams(intMac, raw);
      const module = intMac.build(p);
      const vectors = alignToUnit(intMacPlan.vectors(p, { kind: 'default' }, 7), unitUnderTest(module, []));
      const got = runVectors(module, vectors.stimulus, { idle: (c) => c % 5 === 2 });
      expect(got.length).toBe(vectors.expected.length);
      const firstBad = got.findIndex((row, i) => row[0] !== vectors.expected[i]![0]);
      expect(firstBad).toBe(-1);
    });
  }
});

describe('int_mac vectors meet the evaluator by port name', () => {
  // A plan may list its columns in any order: reversed (names with their values), the set must still
  // pass once aligned to the module's ports, and would not if its rows were fed by position.
  it('passes with its input columns reversed, and fails fed by position', () => {
    const p = parseParams(intMac, { aWidth: 5, bWidth: 3, accWidth: 10, latency: 1 });
    const module = intMac.build(p);
    const v = intMacPlan.vectors(p, { kind: 'random', count: 500 }, 3);
    const reversed = {
      ...v,
      inputs: [...v.inputs].reverse(),
      stimulus: v.stimulus.map((row) => [...row].reverse()),
    };
    expect(reversed.inputs).toEqual(['clear', 'b', 'a']);
    const failures = (stimulus: bigint[][]) =>
      runVectors(module, stimulus).filter((row, i) => row[0] !== v.expected[i]![0]).length;
    expect(failures(alignToUnit(reversed, unitUnderTest(module, [])).stimulus)).toBe(0);
    expect(failures(reversed.stimulus)).toBeGreaterThan(0);
  });
});

describe('int_mac parameters', () => {
  it('refuses an accumulator narrower than the product, naming both', () => {
    expect(() => parseParams(intMac, { aWidth: 8, bWidth: 8, accWidth: 12 })).toThrow(
      /int_mac: parameter 'accWidth' = 12 is not allowed: must be at least aWidth \+ bWidth/,
    );
  });

  it('refuses unknown parameters and out-of-range values', () => {
    expect(() => parseParams(intMac, { acc: 16 })).toThrow(
      /unknown parameter 'acc'; parameters are aWidth, bWidth/,
    );
    expect(() => parseParams(intMac, { aWidth: -1 })).toThrow(
      /'aWidth' = -1 is not allowed: must be an integer from 1 to 64/,
    );
    expect(() => parseParams(intMac, { overflow: 'clamp' })).toThrow(
      /'overflow' = "clamp" is not allowed: must be one of wrap, saturate/,
    );
  });

  it('names modules after their parameters', () => {
    const p = parseParams(intMac, {
      aWidth: 4,
      bWidth: 4,
      accWidth: 16,
      overflow: 'saturate',
      latency: 2,
      ready: true,
    });
    expect(intMac.build(p).name).toBe('int_mac_s4_s4_acc16_sat_l2_rdy');
  });
});
