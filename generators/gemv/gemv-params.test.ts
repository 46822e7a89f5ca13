import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../flows/target.ts';
import { emitHlsLoop } from '../emit/hls-loop.ts';
import { gemv, type GemvParams } from './gemv.ts';

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
});
