import { describe, expect, it } from 'vitest';
import { parseParams } from '../../generators/generator.ts';
import { mixedMac, mixedWeightPorts, type MixedMacParams } from '../../generators/mac/mixed_mac.ts';
import { unitOutcomes } from '../mutation/harness.ts';
import { MUTATION_TABLES } from '../mutation/tables.ts';
import { mixedMacPlan, RESEARCH_WEIGHT_SEQUENCE } from './mixed_mac.ts';

const params = (raw: Record<string, unknown>) => parseParams(mixedMac, raw) as MixedMacParams;
const RESEARCH = ['sf4', 'fp4_range', 'fp4_prec2', 'bitmod', 'apot4', 'int6', 'e3m2fn', 'e2m3fn'] as const;

describe('the mixed_mac plan for the research weights (docs/w4a16.md#weight-formats-of-mixed_mac)', () => {
  it.each(RESEARCH)(
    '%s: every code alone after a clear, times 1, under every selector value, and a group of zero weights',
    (weight) => {
      const p = params({ weight, group: 8 });
      const v = mixedMacPlan.vectors(p, { kind: 'default' }, 1);
      const { bits, selector } = mixedWeightPorts(weight);
      const column = (name: string) => v.inputs.indexOf(name);
      const [w, a, clear] = [column('w'), column('a'), column('clear')];
      const sel = selector === undefined ? -1 : column(selector);
      const alone = new Set<string>();
      v.stimulus.forEach((row, i) => {
        const next = v.stimulus[i + 1];
        // fp16 1.0, and the group's other activations +0 up to its end.
        if (row[clear] !== 1n || row[a] !== 0x3c00n) return;
        const rest = v.stimulus.slice(i + 1, i + p.group);
        if (next === undefined || rest.some((r) => r[a] !== 0n)) return;
        alone.add(`${row[w]}/${sel < 0 ? 0 : row[sel]}`);
      });
      expect(alone.size).toBe(2 ** bits * (selector === undefined ? 1 : 4));
      expect(v.description).toMatch(/every code alone, zero weights/);
    },
  );

  it('runs the research weights on a shorter default sequence, the older weights on 100,000 steps', () => {
    const steps = (weight: string) =>
      mixedMacPlan.vectors(params({ weight, group: 128 }), { kind: 'default' }, 1).stimulus.length;
    for (const weight of RESEARCH) expect(steps(weight)).toBe(RESEARCH_WEIGHT_SEQUENCE);
    for (const weight of ['int4', 'uint4', 'e2m1fn', 'razer']) expect(steps(weight)).toBe(100_000);
  });

  it('leaves the older weights’ sequences as they were (no code walk)', () => {
    for (const weight of ['int4', 'uint4', 'e2m1fn', 'razer'])
      expect(mixedMacPlan.vectors(params({ weight, group: 8 }), { kind: 'default' }, 1).description).toMatch(
        /designed steps \(a group that cancels/,
      );
  });

  const table = MUTATION_TABLES.find((t) => t.generator === 'mixed_mac')!;
  it.each([
    [{ weight: 'sf4', group: 128, latency: 24 }, 18],
    [{ weight: 'bitmod', group: 128, latency: 24 }, 18],
    [{ weight: 'int6', group: 32, latency: 4 }, 18],
    [{ weight: 'e3m2fn', group: 128, latency: 24 }, 18],
    [{ weight: 'fp4_range', group: 32, inner: 'fp32', latency: 2 }, 13],
    [{ weight: 'apot4', group: 16, inner: 'fp32', latency: 1 }, 13],
  ])('kills every variant that applies to %o with its default vectors', (raw, killed) => {
    const outcomes = unitOutcomes(table, params(raw) as unknown as Record<string, unknown>);
    expect(outcomes.filter((o) => o.outcome === 'survived').map((o) => o.variant)).toEqual([]);
    expect(outcomes.filter((o) => o.outcome === 'killed').length).toBe(killed);
  });
});
