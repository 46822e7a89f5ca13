import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../flows/target.ts';
import type { FpConvertParams } from '../../generators/float/fp_convert.ts';
import { fpConvertPlan } from './fp_convert.ts';

const convert = (raw: Record<string, unknown>) => resolveTarget('fp_convert', raw).params as FpConvertParams;

/** The codes of lane j in every vector. */
const lane = (words: bigint[][], j: number, bits: number) =>
  words.map(([w]) => (w! >> BigInt(bits * j)) & ((1n << BigInt(bits)) - 1n));

describe('the fp_convert plan', () => {
  it('gives every lane every code of an 8-bit source, in at least 256 vectors', () => {
    const v = fpConvertPlan.vectors(
      convert({ inFormat: 'int', inWidth: 8, outFormat: 'fp16', lanes: 8 }),
      { kind: 'default' },
      1,
    );
    expect(v.stimulus).toHaveLength(256);
    for (let j = 0; j < 8; j++) expect(new Set(lane(v.stimulus, j, 8)).size).toBe(256);
  });

  it('gives every lane every code of a 16-bit source, with TestFloat bf16_to_f32 beside', () => {
    const v = fpConvertPlan.vectors(
      convert({ inFormat: 'bf16', outFormat: 'fp32', lanes: 3 }),
      { kind: 'default' },
      1,
    );
    expect(v.description).toMatch(/65536 exhaustive codes per lane \+ 600 TestFloat bf16_to_f32 cases/);
    for (let j = 0; j < 3; j++) expect(new Set(lane(v.stimulus.slice(0, 65_536), j, 16)).size).toBe(65_536);
  });

  it("takes ml_dtypes' column by the policy: code_sat for satfinite, none for a policy ml_dtypes lacks", () => {
    const sat = fpConvertPlan.vectors(
      convert({ inFormat: 'fp32', outFormat: 'e4m3fn', overflow: 'saturate' }),
      { kind: 'default' },
      1,
    );
    // NaN rows are left out (canonical NaN here, signed in ml_dtypes), Inf rows too (satfinite: ±max).
    expect(sat.description).toMatch(/ml_dtypes convert_float8_e4m3fn 'code_sat' rows/);
    const up = fpConvertPlan.vectors(
      convert({ inFormat: 'fp32', outFormat: 'e4m3fn', rounding: 'rup' }),
      { kind: 'default' },
      1,
    );
    expect(up.description).not.toMatch(/ml_dtypes/);
  });

  it('takes TestFloat f32_to_f16 only for a unit configured as TestFloat', () => {
    const plain = fpConvertPlan.vectors(
      convert({ inFormat: 'fp32', outFormat: 'fp16', flags: true }),
      { kind: 'default' },
      1,
    );
    expect(plain.description).toMatch(/600 TestFloat f32_to_f16 cases/);
    const ftz = fpConvertPlan.vectors(
      convert({ inFormat: 'fp32', outFormat: 'fp16', outputSubnormals: 'flush' }),
      { kind: 'default' },
      1,
    );
    expect(ftz.description).not.toMatch(/TestFloat/);
  });
});
