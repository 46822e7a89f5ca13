import { describe, expect, it } from 'vitest';
import { lmulGolden, type LmulSpec } from './lmul.ts';

const e4m3 = (overrides: Partial<LmulSpec> = {}): LmulSpec => ({
  format: 'e4m3fn',
  outFormat: 'e4m3fn',
  m: 3,
  variant: 'integer-add',
  operandRounding: 'rne',
  overflow: 'saturate',
  ...overrides,
});

describe('L-Mul golden model against docs/lmul.md', () => {
  it('reproduces the test anchors of §1.2 and §1.5', () => {
    expect(lmulGolden(e4m3(), 0x38, 0x38)).toBe(0x39); // 1 × 1 = 1.125
    expect(lmulGolden(e4m3(), 0x3c, 0x3c)).toBe(0x41); // 1.5 × 1.5 = 2.25
    const bf16 = e4m3({ format: 'bf16', outFormat: 'bf16', m: 7 });
    expect(lmulGolden(bf16, 0x3f80, 0x3f80)).toBe(0x3f88); // 1.0625
    expect(lmulGolden(bf16, 0x3fc0, 0x3fc0)).toBe(0x4008); // 2.125 with the integer add
    expect(lmulGolden({ ...bf16, variant: 'formula' }, 0x3fc0, 0x3fc0)).toBe(0x4004); // 2.0625
  });

  it('gives the §1.2 counts of underflow and overflow over all positive normal E4M3 pairs', () => {
    let underflow = 0;
    let overflow = 0;
    let pairs = 0;
    const normals = [];
    for (let c = 0x08; c < 0x7f; c++) normals.push(c);
    for (const a of normals) {
      for (const b of normals) {
        pairs++;
        const code = lmulGolden(e4m3({ overflow: 'nan' }), a, b);
        if (code === 0) underflow++;
        if (code === 0x7f) overflow++;
      }
    }
    expect(pairs).toBe(4641 + 5836 + 1128 + 2556);
    expect(underflow).toBe(1128);
    expect(overflow).toBe(2556);
  });

  it('applies the §1.5 special cases', () => {
    expect(lmulGolden(e4m3(), 0x7f, 0x38)).toBe(0x7f); // NaN in: canonical NaN
    expect(lmulGolden(e4m3(), 0x00, 0xb8)).toBe(0x80); // 0 × -1 = -0
    expect(lmulGolden(e4m3(), 0x01, 0x38)).toBe(0x00); // subnormal operand reads as 0
    expect(lmulGolden(e4m3(), 0x7e, 0x7e)).toBe(0x7e); // saturates
    const bf16 = e4m3({ format: 'bf16', outFormat: 'bf16', m: 7 });
    expect(lmulGolden(bf16, 0x7f80, 0x0000)).toBe(0x7fc0); // Inf × 0 = NaN
    expect(lmulGolden(bf16, 0xff80, 0x3f80)).toBe(0xff80); // -Inf × 1 = -Inf
  });
});
