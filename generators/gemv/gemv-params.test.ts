import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../flows/target.ts';
import { emitHlsLoop } from '../emit/hls-loop.ts';
import { emitVerilog } from '../emit/verilog.ts';
import { moduleHierarchy } from '../hdl/ir.ts';
import { gemv, gemvParts, type GemvParams } from './gemv.ts';

describe('gemv parameters', () => {
  it('refuses a weight beat wider than a port, naming rows and lanes', () => {
    expect(() => resolveTarget('gemv', { rows: 64, lanes: 64 })).toThrow(
      /parameter 'lanes' = 64 is not allowed: rows \(64\) × lanes \(64\) × 4-bit uint4 codes make a 16384-bit weight beat; a port holds at most 4096 bits/,
    );
  });

  it('builds a weight beat of exactly 4096 bits, and says why its HLS C++ cannot carry it', () => {
    const target = resolveTarget('gemv', { rows: 8, lanes: 64, weight: 'e4m3fn', maxK: 256, maxN: 16 });
    expect(target.module.ports.find((p) => p.name === 'w_tdata')!.type.width).toBe(4096);
    // The HLS streams carry {tlast, data}: 4097 bits, past what an ap_uint holds.
    expect(() => emitHlsLoop(gemv.hls!(target.params as GemvParams))).toThrow(
      /the HLS stream 'w' would carry \{tlast, data\} in 4097 bits; an ap_uint holds at most 4096/,
    );
  });

  it('refuses alignBits with exact accumulation, which would ignore it', () => {
    expect(() => resolveTarget('gemv', { activation: 'fp16', alignBits: 12 })).toThrow(
      /parameter 'alignBits' = 12 is not allowed: applies to 'aligned' accumulation only/,
    );
    expect(() => resolveTarget('gemv', { activation: 'fp16', alignBits: 24 })).not.toThrow();
  });

  it('refuses maxK below lanes', () => {
    expect(() => resolveTarget('gemv', { maxK: 1 })).toThrow(
      /parameter 'maxK' = 1 is not allowed: must be at least lanes \(8\)/,
    );
  });

  it('names each kernel latency in the module names, and refuses one past its cut points', () => {
    const target = resolveTarget('gemv', {
      maxK: 256,
      maxN: 16,
      outFormat: 'fp16',
      chunkLatency: 2,
      scaleLatency: 3,
      sumLatency: 5,
      convertLatency: 1,
    });
    expect(target.module.name).toMatch(/_lc2_ls3_la5_lo1$/);
    const kernels = moduleHierarchy(target.module).map((m) => m.name);
    expect(kernels).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^gemv_chunk_.*_l2$/),
        expect.stringMatching(/^gemv_scale_.*_l3$/),
        expect.stringMatching(/^gemv_sum_.*_l5$/),
        expect.stringMatching(/^gemv_convert_.*_l1$/),
      ]),
    );
    // The default row-sum latency (1 for a unit serving 4 rows) is not named.
    expect(resolveTarget('gemv', { maxK: 256, maxN: 16, sumLatency: 1 }).module.name).not.toMatch(/_la/);
    expect(() => resolveTarget('gemv', { sumLatency: 16 })).toThrow(/parameter 'sumLatency' = 16/);
    expect(() => resolveTarget('gemv', { chunkLatency: 16 })).toThrow(/parameter 'chunkLatency' = 16/);
    expect(() => resolveTarget('gemv', { scaleLatency: 7 })).toThrow(/parameter 'scaleLatency' = 7/);
  });

  it('builds the products from multipliers or from shifts and adds, as asked', () => {
    const chunkText = (multipliers: string) => {
      const target = resolveTarget('gemv', { weight: 'razer', maxK: 256, maxN: 16, multipliers });
      const files = emitVerilog(target.module);
      return files.find((f) => f.fileName.startsWith('gemv_chunk_'))!.text;
    };
    // RaZeR's special values need 5 magnitude bits: 'auto' keeps the multipliers.
    expect(chunkText('auto')).toMatch(/ \* /);
    expect(chunkText('dsp')).toMatch(/ \* /);
    expect(chunkText('luts')).not.toMatch(/ \* /);
  });

  it('builds each kernel with exactly the stages asked for, at every latency', () => {
    // A cut point the kernel never reaches would leave it shorter than its parameter says.
    const stages = (kernel: { timing: { kind: string; latency?: number } } | undefined) =>
      kernel?.timing.kind === 'pipelined' ? kernel.timing.latency : 0;
    // uint4 (exact activations, a zero point) and mxfp4 (aligned activations, none) reach different cuts,
    // and so do integer activations (no decoding) with their scale (a second factor).
    const bases = [
      { maxK: 256, maxN: 16, outFormat: 'fp16' },
      { activation: 'int8', activationScale: 'group', maxK: 256, maxN: 16, outFormat: 'bf16' },
      { weight: 'mxfp4', activation: 'bf16', maxK: 256, maxN: 16, lanes: 32, rows: 1, interleave: 12 },
    ];
    const cases: [string, number, string][] = [
      ['chunkLatency', 14, 'chunk'],
      ['scaleLatency', 6, 'scale'],
      ['sumLatency', 14, 'sum'],
      ['convertLatency', 5, 'convert'],
    ];
    for (const base of bases)
      for (const [param, most, kernel] of cases)
        for (let latency = 0; latency <= most; latency++) {
          if (kernel === 'convert' && !('outFormat' in base)) continue;
          const p = resolveTarget('gemv', { ...base, [param]: latency }).params as GemvParams;
          const parts = gemvParts(p) as unknown as Record<
            string,
            { timing: { kind: string; latency?: number } }
          >;
          expect([p.weight, param, stages(parts[kernel])]).toEqual([p.weight, param, latency]);
        }
  });
});
