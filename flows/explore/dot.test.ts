import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Baselines } from '../ippack/baselines.ts';
import { dotRelativeError, parseActivationFormat, roundActivations } from './dot.ts';
import { parseDataSource, runExplore } from './explore.ts';
import { parseWeightFormats } from './quantize.ts';

describe('dot-product error', () => {
  it('a row worked by hand, and the elements past the last full row left out', () => {
    // The INT4 g4 case of quantize.test.ts: ŵ = s·(7, -4, 2, 2), s = 0.142822265625.
    const s = 0.142822265625;
    const w = Float64Array.from([1, -0.5, 0.25, 0.3, 99]);
    const wq = Float64Array.from([7 * s, -4 * s, 2 * s, 2 * s, 0]);
    const x = Float64Array.from([1, 2, -1, 0.5]);
    // y = 1 - 1 - 0.25 + 0.15 = -0.1; ŷ = s·(7 - 8 - 2 + 1) = -2s.
    expect(dotRelativeError(w, wq, x, x)).toBeCloseTo(Math.abs(-2 * s + 0.1) / 0.1, 12);
    // Exact weights and one activation off by 0.25: the error is 0.25 · w₃ = 0.075 against |y| = 0.1.
    const xq = Float64Array.from([1, 2, -1, 0.75]);
    expect(dotRelativeError(w, w, x, xq)).toBeCloseTo((0.25 * 0.3) / 0.1, 12);
    expect(() => dotRelativeError(w.subarray(0, 3), w.subarray(0, 3), x, x)).toThrow(
      /fewer than one row of 4/,
    );
  });

  it('rounds activations to the format, nearest even and saturating', () => {
    const e4m3 = parseActivationFormat('e4m3fn');
    // 0.3 = 1.2·2^-2 lies between 1.125 and 1.25 (3 mantissa bits), nearer 1.25.
    expect(Array.from(roundActivations(e4m3, Float64Array.from([0.3, 1000, -1000, 1.0625])))).toEqual([
      0.3125, 448, -448, 1,
    ]);
    expect(() => parseActivationFormat('uint4')).toThrow(
      /--activation 'uint4' is not allowed: use a signed float format \(fp32/,
    );
    expect(() => parseActivationFormat('e8m0fnu')).toThrow(/not allowed/);
  });

  it('runs per format beside the accuracy: more weight bits, smaller error', () => {
    const out = mkdtempSync(join(tmpdir(), 'bitsmith-explore-'));
    const base = {
      formats: parseWeightFormats('int4,int8'),
      data: parseDataSource('gaussian', 8192, 1),
      name: 'dot',
      outDir: out,
      target: 'ecp5' as const,
      baselines: { ips: {} } as unknown as Baselines,
    };
    const r = runExplore({
      ...base,
      activation: { name: 'fp32', format: parseActivationFormat('fp32'), length: 1024 },
    });
    const [int4, int8] = r.rows.map((x) => x.dotRelativeError!);
    expect(int8).toBeLessThan(int4! / 8);
    // Independent errors: the relative error of a dot product is about the weights' noise-to-signal ratio.
    expect(int4).toBeGreaterThan(0.5 * 10 ** (-r.rows[0]!.sqnrDb / 20));
    expect(int4).toBeLessThan(2 * 10 ** (-r.rows[0]!.sqnrDb / 20));
    expect(() =>
      runExplore({
        ...base,
        activation: { name: 'fp16', format: parseActivationFormat('fp16'), length: 10000 },
      }),
    ).toThrow(/--dot-length 10000 is not allowed: the tensor has 8192 elements; use at most 8192/);
  });
});
