// quantize's datapath in the IR evaluator against the golden model: every MX format, NVFP4 and int8 from
// every input format under each element rounding (NVFP4: and both block scale roundings; int8: and
// several group sizes) and both subnormal-input rules, at each pipeline depth, on the plan's corner blocks and ties; and the
// parameters it refuses.
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
      it(`${inFormat} → ${format}: corner blocks and ties, each rounding, both subnormal rules`, () => {
        for (const rounding of ['rne', 'rna', 'rnz'])
          for (const inputSubnormals of ['keep', 'flush'])
            expect(mismatches({ format, inFormat, rounding, inputSubnormals, latency: 0 })).toEqual([]);
      });

  it('int8: groups of 1, 5 and 64 values', () => {
    for (const groupSize of [1, 5, 64])
      expect(mismatches({ format: 'int8', inFormat: 'fp16', groupSize, latency: 0 })).toEqual([]);
  });

  it('nvfp4: the block scale rounded up, from each input format', () => {
    for (const inFormat of QUANTIZE_IN_FORMATS)
      expect(mismatches({ format: 'nvfp4', inFormat, scaleRounding: 'up', latency: 0 })).toEqual([]);
  });

  it('gives the same blocks at every pipeline depth and with backpressure', () => {
    for (let latency = 1; latency <= QUANTIZE_CUTS.length; latency++)
      for (const format of ['mxint8', 'nvfp4', 'int8'])
        expect(mismatches({ format, inFormat: 'fp16', latency, ready: latency % 2 === 0 })).toEqual([]);
  });

  it('names its module after the formats and the policies that differ from the defaults', () => {
    const name = (params: Record<string, unknown>) =>
      quantize.build(parseParams(quantize, params) as QuantizeParams).name;
    expect(name({})).toBe('quantize_bf16_mxfp4_l2');
    expect(
      name({ format: 'mxfp8_e4m3', inFormat: 'fp32', rounding: 'rna', inputSubnormals: 'flush', latency: 0 }),
    ).toBe('quantize_fp32_mxfp8_e4m3_rna_daz_l0');
    expect(name({ format: 'nvfp4' })).toBe('quantize_bf16_nvfp4_l2');
    expect(name({ format: 'int8', inFormat: 'fp16', groupSize: 8, rounding: 'rna' })).toBe(
      'quantize_fp16_int8_g8_rna_l2',
    );
    expect(name({ format: 'nvfp4', rounding: 'rnz', scaleRounding: 'up', latency: 1 })).toBe(
      'quantize_bf16_nvfp4_rnz_scale_up_l1',
    );
  });

  it('refuses a block size (MX fixes 32, NVFP4 16), a group size but for int8, a scale rounding but for NVFP4, formats it cannot read', () => {
    expect(() => parseParams(quantize, { blockSize: 16 })).toThrow(/blockSize/);
    expect(() => parseParams(quantize, { format: 'nvfp4', blockSize: 32 })).toThrow(/blockSize/);
    expect(() => parseParams(quantize, { format: 'nvfp4', groupSize: 32 })).toThrow(/groupSize.*int8 only/);
    expect(() => parseParams(quantize, { format: 'mxfp4', groupSize: 16 })).toThrow(/groupSize.*int8 only/);
    expect(() => parseParams(quantize, { format: 'int8', groupSize: 0 })).toThrow(/groupSize/);
    expect(() => parseParams(quantize, { format: 'int8', scaleRounding: 'up' })).toThrow(/scaleRounding/);
    expect(() => parseParams(quantize, { format: 'mxfp4', scaleRounding: 'up' })).toThrow(
      /scaleRounding.*nvfp4 only/,
    );
    expect(() => parseParams(quantize, { format: 'nvfp4', scaleRounding: 'ceil' })).toThrow(/scaleRounding/);
    expect(() => parseParams(quantize, { format: 'nvfp6' })).toThrow(/format/);
    expect(() => parseParams(quantize, { inFormat: 'e4m3fn' })).toThrow(/inFormat/);
    expect(() => parseParams(quantize, { rounding: 'rtz' })).toThrow(/rounding/);
  });
});
