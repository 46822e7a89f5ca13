import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthTarget } from '../../flows/synth-ip.ts';
import { resolveTarget } from '../../flows/target.ts';
import { parseParams } from '../generator.ts';
import { lmul } from './lmul.ts';

describe('lmul', () => {
  it('has no multiplier: no mul node in the IR, no DSP where synthesis may use them', async () => {
    const target = resolveTarget('lmul', { format: 'bf16', m: 7 });
    expect(target.module.nodes.filter((n) => n.kind === 'mul')).toEqual([]);
    const out = mkdtempSync(join(tmpdir(), 'bitsmith-lmul-'));
    const lmulArea = await synthTarget(target, { outDir: out, target: 'xc7', engine: 'native' });
    const exactArea = await synthTarget(
      resolveTarget('fp_mul', { aFormat: 'fp32', bFormat: 'fp32', outFormat: 'fp32' }),
      {
        outDir: out,
        target: 'xc7',
        engine: 'native',
      },
    );
    expect(lmulArea.dsps).toBe(0);
    expect(exactArea.dsps).toBeGreaterThan(0);
  });

  it('refuses a mantissa width beyond the format and an output with another exponent field', () => {
    expect(() => parseParams(lmul, { format: 'e4m3fn', m: 4 })).toThrow(
      /parameter 'm' = 4 is not allowed: must be at most 3, the mantissa bits of e4m3fn/,
    );
    expect(() => parseParams(lmul, { format: 'e4m3fn', outFormat: 'bf16' })).toThrow(
      /'outFormat' = "bf16" is not allowed: must share e4m3fn's exponent field/,
    );
    expect(() => parseParams(lmul, { format: 'e4m3fn', overflow: 'inf' })).toThrow(
      /'overflow' = "inf" is not allowed: e4m3fn has no Inf/,
    );
  });
});
