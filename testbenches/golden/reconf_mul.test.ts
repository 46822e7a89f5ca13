import { describe, expect, it } from 'vitest';
import { decode, encode, exactMul, formatByName, type FloatFormat } from '../../generators/formats/index.ts';
import { reconfMulGolden, type ReconfMulSpec } from './reconf_mul.ts';

// With every mantissa bit kept (fp32, m = 23) the exact mode is the plain fp32 product, rounded once.
describe('reconf_mul golden model at the full fp32 width', () => {
  const fp32 = formatByName('fp32') as FloatFormat;
  const spec: ReconfMulSpec = {
    format: 'fp32',
    outFormat: 'fp32',
    modes: [{ m: 23, kind: 'exact' }],
    operandRounding: 'rne',
    policy: { rounding: 'rne' } as ReconfMulSpec['policy'],
  };
  const cases: [number, number][] = [
    [0x3f800001, 0x3f800001], // (1 + 2^-23)^2: every operand bit matters
    [0x00000001, 0x4b000000], // smallest subnormal × 2^23
    [0x007fffff, 0x3fc00000], // largest subnormal × 1.5
    [0x7f7fffff, 0x3f800000], // largest finite × 1
    [0xc0490fdb, 0x402df854], // -π × e
  ];
  for (const [a, b] of cases) {
    it(`0x${a.toString(16)} × 0x${b.toString(16)}`, () => {
      const exact = encode(fp32, exactMul(decode(fp32, a), decode(fp32, b)).value, { rounding: 'rne' });
      expect(reconfMulGolden(spec, 0, a, b)).toBe(exact.code);
    });
  }
});
