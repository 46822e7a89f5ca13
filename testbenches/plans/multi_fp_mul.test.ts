import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../flows/target.ts';
import type { MultiFpMulParams } from '../../generators/mul/multi_fp_mul.ts';
import { multiFpMulPlan } from './multi_fp_mul.ts';

const params = (formats: string[]) => resolveTarget('multi_fp_mul', { formats }).params as MultiFpMulParams;

describe('the multi_fp_mul plan sizes itself', () => {
  it('runs every operand pair of FP8 formats (65,536 each)', () => {
    const v = multiFpMulPlan.vectors(params(['e4m3fn', 'e5m2']), { kind: 'default' }, 1);
    expect(v.stimulus).toHaveLength(2 * 65_536);
    const pairs = new Set(v.stimulus.map(([a, b, fmt]) => `${fmt}:${a}:${b}`));
    expect(pairs.size).toBe(2 * 65_536);
  });

  it('bounds fp32 and fp16 to corner and seeded random pairs (every pair would be 2^64 + 2^32)', () => {
    const v = multiFpMulPlan.vectors(params(['fp32', 'fp16', 'bf16', 'e4m3fn']), { kind: 'default' }, 1);
    expect(v.stimulus.length).toBeLessThan(400_000);
    const count = (fmt: bigint) => v.stimulus.filter((s) => s[2] === fmt).length;
    expect(count(3n)).toBe(65_536);
    for (const fmt of [0n, 1n, 2n]) expect(count(fmt)).toBeGreaterThan(50_000);
    // Codes fill each format's width: the top bit (sign) set in some a and some b of fp32.
    const fp32 = v.stimulus.filter((s) => s[2] === 0n);
    expect(fp32.some(([a]) => a! >= 2n ** 31n) && fp32.some(([, b]) => b! >= 2n ** 31n)).toBe(true);
    expect(multiFpMulPlan.vectors(params(['fp32', 'fp16']), { kind: 'default' }, 1).stimulus).not.toEqual(
      multiFpMulPlan.vectors(params(['fp32', 'fp16']), { kind: 'default' }, 2).stimulus,
    );
  });

  it('refuses to run fp16 exhaustively, naming it', () => {
    expect(() => multiFpMulPlan.vectors(params(['e5m2', 'fp16']), { kind: 'exhaustive' }, 1)).toThrow(
      /multi_fp_mul: fp16 has more than 131072 operand pairs, too many to run exhaustively/,
    );
  });
});
