// quantize's datapath in the IR evaluator against the golden model: every MX format from every input
// format under both element roundings and both subnormal-input rules, at each pipeline depth, on the
// plan's corner blocks and ties; and the parameters it refuses.
import { describe, expect, it } from 'vitest';
import { quantizePlan } from '../../testbenches/plans/quantize.ts';
import { parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import {
  QUANTIZE_CUTS,
  QUANTIZE_FORMATS,
  QUANTIZE_IN_FORMATS,
  quantize,
  type QuantizeParams,
} from './quantize.ts';

/** Rows of the plan's corner set (corner blocks and ties) where the datapath differs from the golden model. */
function mismatches(params: Record<string, unknown>): number[] {
  const p = parseParams(quantize, params) as QuantizeParams;
  const vectors = quantizePlan.vectors(p, { kind: 'corner' }, 3);
  expect(vectors.outputs).toEqual(['scale', 'elements']);
  const got = runVectors(quantize.build(p), vectors.stimulus);
  return vectors.expected.flatMap((want, i) => (got[i]!.every((v, j) => v === want[j]) ? [] : [i]));
}

describe('quantize', () => {
  for (const format of QUANTIZE_FORMATS)
    for (const inFormat of QUANTIZE_IN_FORMATS)
      it(`${inFormat} → ${format}: corner blocks and ties, both roundings, both subnormal rules`, () => {
        for (const rounding of ['rne', 'rna'])
          for (const inputSubnormals of ['keep', 'flush'])
            expect(mismatches({ format, inFormat, rounding, inputSubnormals, latency: 0 })).toEqual([]);
      });

  it('gives the same blocks at every pipeline depth and with backpressure', () => {
    for (let latency = 1; latency <= QUANTIZE_CUTS.length; latency++)
      expect(mismatches({ format: 'mxint8', inFormat: 'fp16', latency, ready: latency % 2 === 0 })).toEqual(
        [],
      );
  });

  it('names its module after the formats and the policies that differ from the defaults', () => {
    const name = (params: Record<string, unknown>) =>
      quantize.build(parseParams(quantize, params) as QuantizeParams).name;
    expect(name({})).toBe('quantize_bf16_mxfp4_l2');
    expect(
      name({ format: 'mxfp8_e4m3', inFormat: 'fp32', rounding: 'rna', inputSubnormals: 'flush', latency: 0 }),
    ).toBe('quantize_fp32_mxfp8_e4m3_rna_daz_l0');
  });

  it('refuses a block size (MX fixes 32), an NVFP4 output and formats it cannot read', () => {
    expect(() => parseParams(quantize, { blockSize: 16 })).toThrow(/blockSize/);
    expect(() => parseParams(quantize, { format: 'nvfp4' })).toThrow(/format/);
    expect(() => parseParams(quantize, { inFormat: 'e4m3fn' })).toThrow(/inFormat/);
    expect(() => parseParams(quantize, { rounding: 'rtz' })).toThrow(/rounding/);
  });
});
