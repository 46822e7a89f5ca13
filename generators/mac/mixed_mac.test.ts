import { describe, expect, it } from 'vitest';
import { mixedMacPlan } from '../../testbenches/plans/mixed_mac.ts';
import { parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { mixedMac } from './mixed_mac.ts';

describe('mixed_mac in the IR evaluator matches its golden model (SPEC §7.1)', () => {
  for (const raw of [
    { weight: 'uint4', group: 8, latency: 1 },
    { weight: 'int4', group: 4, latency: 0 },
    { weight: 'e2m1fn', group: 16, outFormat: 'bf16', latency: 2 },
  ]) {
    it(JSON.stringify(raw), () => {
      const p = parseParams(mixedMac, raw);
      const v = mixedMacPlan.vectors(p, { kind: 'random', count: 3000 }, 5);
      const got = runVectors(mixedMac.build(p), v.stimulus);
      expect(got.findIndex((row, i) => row[0] !== v.expected[i]![0])).toBe(-1);
    });
  }

  it('only has a zero-point input for asymmetric weights', () => {
    const ports = (weight: string) =>
      mixedMac.build(parseParams(mixedMac, { weight })).ports.map((p) => p.name);
    expect(ports('uint4')).toContain('z');
    expect(ports('int4')).not.toContain('z');
  });
});
