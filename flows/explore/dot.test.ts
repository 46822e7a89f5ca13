import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Baselines } from '../ippack/baselines.ts';
import {
  decode,
  decodeNumber,
  encodeNumber,
  formatByName,
  toNumber,
} from '../../generators/formats/index.ts';
import { gemvGolden, type GemvSpec } from '../../testbenches/golden/gemv.ts';
import {
  dotRelativeError,
  gemvRowSum,
  parseActivationFormat,
  parseDotOutFormat,
  roundActivations,
} from './dot.ts';
import { parseDataSource, runExplore } from './explore.ts';
import { parseWeightFormats } from './quantize.ts';

const FP32_SUM = { group: 4, outFormat: formatByName('fp32') };

describe('dot-product error', () => {
  it('a row worked by hand, and the elements past the last full row left out', () => {
    // The INT4 g4 case of quantize.test.ts: ŵ = s·(7, -4, 2, 2), s = 0.142822265625.
    const s = 0.142822265625;
    const w = Float64Array.from([1, -0.5, 0.25, 0.3, 99]);
    const wq = Float64Array.from([7 * s, -4 * s, 2 * s, 2 * s, 0]);
    const x = Float64Array.from([1, 2, -1, 0.5]);
    // y = 1 - 1 - 0.25 + 0.15 = -0.1; ŷ = s·(7 - 8 - 2 + 1) = -2s.
    expect(dotRelativeError(w, wq, x, x, FP32_SUM)).toBeCloseTo(Math.abs(-2 * s + 0.1) / 0.1, 12);
    // Exact weights and one activation off by 0.25: ŷ = 1 − 1 − 0.25 + 0.3·0.75 = −0.025, rounded to
    // fp32 (the GEMV's sum), against y = −0.1.
    const xq = Float64Array.from([1, 2, -1, 0.75]);
    expect(dotRelativeError(w, w, x, xq, FP32_SUM)).toBeCloseTo(
      Math.abs(Math.fround(-0.25 + 0.3 * 0.75) + 0.1) / 0.1,
      12,
    );
    expect(() => dotRelativeError(w.subarray(0, 3), w.subarray(0, 3), x, x, FP32_SUM)).toThrow(
      /fewer than one row of 4/,
    );
  });

  it('sums a row as the golden GEMV model does: exact groups, an fp32 sum, one output rounding', () => {
    // int4 weights, fp16 scales per group of 16 and fp16 activations, K = 64, 6 rows, into fp16 and bf16.
    let seed = 7;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const [k, n, group] = [64, 6, 16];
    const fp16 = formatByName('fp16');
    const int4 = formatByName('int4');
    // Activations and scales of many binades, so that group sums need more than fp32's 24 bits.
    const fp16Code = () => (next(2) << 15) | ((next(20) + 5) << 10) | next(1024);
    const job = {
      k,
      n,
      x: Array.from({ length: k }, fp16Code),
      w: Array.from({ length: n }, () => Array.from({ length: k }, () => next(16))),
      s: Array.from({ length: n }, () => Array.from({ length: k / group }, fp16Code)),
      z: Array.from({ length: n }, () => Array(k / group).fill(0)),
      sv: Array.from({ length: n }, () => Array(k / group).fill(0)),
    };
    const xq = Float64Array.from(job.x, (c) => toNumber(decode(fp16, c)));
    for (const outFormat of ['fp16', 'bf16', 'fp32']) {
      const spec: GemvSpec = {
        weight: 'int4',
        activation: 'fp16',
        scale: 'fp16',
        group,
        outFormat,
        policy: {},
        specialValues: [],
        accumulation: 'exact',
        alignBits: 24,
      };
      const want = gemvGolden(spec, job).map((code) => decodeNumber(formatByName(outFormat), code));
      const got = job.w.map((row, r) =>
        gemvRowSum(
          Float64Array.from(
            row,
            (q, j) => toNumber(decode(int4, q)) * toNumber(decode(fp16, job.s[r]![Math.floor(j / group)]!)),
          ),
          xq,
          { group, outFormat: parseDotOutFormat(outFormat) },
        ),
      );
      expect(got).toEqual(want);
    }
    // Summed in fp64 instead, a row can differ: the fp32 group roundings and the output's matter.
    const fp64 = job.w.map((row, r) =>
      row.reduce(
        (sum, q, j) =>
          sum +
          toNumber(decode(int4, q)) * toNumber(decode(fp16, job.s[r]![Math.floor(j / group)]!)) * xq[j]!,
        0,
      ),
    );
    const fp16Rows = fp64.map((v) => decodeNumber(fp16, encodeNumber(fp16, v).code));
    expect(fp64.some((v, i) => v !== fp16Rows[i])).toBe(true);
    expect(() => parseDotOutFormat('e4m3fn')).toThrow(
      /--dot-out 'e4m3fn' is not allowed: use fp32, fp16, bf16/,
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
