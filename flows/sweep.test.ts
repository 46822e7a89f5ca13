import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSweep, sweepUnits } from './sweep.ts';

describe('bitsmith sweep', () => {
  it('writes a CSV row and a plotted point per unit, with the synthesized area and measured error', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bitsmith-sweep-'));
    const result = await runSweep({
      outDir: out,
      samples: 2000,
      seed: 1,
      target: 'xc7-nodsp',
      engine: 'native',
    });
    const rows = readFileSync(result.csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe(
      'label,kind,generator,module,target,luts,ffs,carries,dsps,mean_relative_error,samples,seed',
    );
    expect(rows).toHaveLength(sweepUnits().length + 1);
    const byLabel = new Map(result.points.map((p) => [p.label, p]));
    // The L-Mul paper's claim, on synthesized hardware: L-Mul is far cheaper than the exact BF16 multiplier ...
    expect(byLabel.get('L-Mul m=7')!.luts * 3).toBeLessThanOrEqual(byLabel.get('exact bf16')!.luts);
    // ... has no multiplier cell, and errs more as m shrinks.
    expect(byLabel.get('L-Mul m=2')!.meanRelativeError).toBeGreaterThan(
      byLabel.get('L-Mul m=4')!.meanRelativeError,
    );
    const svg = readFileSync(result.svg, 'utf8');
    expect(svg.match(/<circle /g)!.length).toBe(sweepUnits().length + 2);
    expect(svg).toContain('L-Mul m=3 (');
  });
});
