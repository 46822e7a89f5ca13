// bitserial_gemv: one term ±2^k of every weight per cycle. The golden model is gemv's (Σ a·w from the
// weight formats' values), so these tests check that the terms add up to every code's value, refuse
// bad parameters by name, and run the plan's quick jobs on cores of every weight kind.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GEMV_WEIGHT_FORMATS } from '../formats/gemv-weights.ts';
import { RAZER_SPECIAL_VALUES } from '../formats/razer.ts';
import { ParameterError, parseParams } from '../generator.ts';
import { chunkTerms, weightTable } from '../gemv/chunk.ts';
import { writeRtl } from '../../testbenches/sim/write-rtl.ts';
import { expectQuickJobsPass } from '../../testbenches/sim/fixtures/gemv-quick-jobs.ts';
import type { StreamingRunRequest } from '../../testbenches/streaming-plan.ts';
import { BITSERIAL_WEIGHTS, bitserialGemv, bitserialGemvCore } from './bitserial-gemv.ts';

const params = (raw: Record<string, unknown>) => parseParams(bitserialGemv, raw);
const root = join(tmpdir(), `bitsmith-bitserial-gemv-${process.pid}`);
const SMALL = { rows: 2, lanes: 8, group: 32, maxK: 256, maxN: 64 };

describe('weight terms', () => {
  // Booth digits for two's complement integers (⌈B/2⌉ of them), set bits for FP4 and its kin: E2M1 in
  // units of ½ is 0, 1, 2, 3, 4, 6, 8, 12 and BitMoD's extra values ±10, ±16 (two set bits at most).
  it.each([
    ['int8', 4],
    ['int6', 3],
    ['int4', 2],
    ['int3', 2],
    ['uint4', 3],
    ['uint1', 1],
    ['odd2', 2],
    ['e2m1fn', 2],
    ['bitmod', 2],
    ['razer', 2],
  ] as const)('%s: every code is the sum of its %d terms', (name, count) => {
    const weight = GEMV_WEIGHT_FORMATS[name];
    const table = weightTable(weight.formats(RAZER_SPECIAL_VALUES), weight.bits);
    const terms = chunkTerms({ weight: name, specialValues: RAZER_SPECIAL_VALUES });
    expect(terms.count).toBe(count);
    expect(terms.booth).toBe(/^u?int/.test(name));
    table.values.forEach((codes, f) =>
      codes.forEach((value, code) => {
        const sum = terms.terms[f]![code]!.reduce(
          (acc, t) => acc + (t === undefined ? 0n : (t.negative ? -1n : 1n) << BigInt(t.shift)),
          0n,
        );
        expect([name, f, code, sum]).toEqual([name, f, code, value]);
      }),
    );
  });

  it('Booth digits lie at 4^t: pass t of an int8 weight shifts by 2t or 2t + 1', () => {
    const terms = chunkTerms({ weight: 'int8', specialValues: [] });
    for (const codes of terms.terms[0]!)
      codes.forEach((t, pass) => {
        if (t !== undefined) expect([2 * pass, 2 * pass + 1]).toContain(t.shift);
      });
    // −128 = −2·4^3; 127 = 2·4^3 − 1.
    expect(terms.terms[0]![128]).toEqual([undefined, undefined, undefined, { negative: true, shift: 7 }]);
    expect(terms.terms[0]![127]).toEqual([
      { negative: true, shift: 0 },
      undefined,
      undefined,
      { negative: false, shift: 7 },
    ]);
  });
});

describe('bitserial_gemv parameters', () => {
  it.each([
    [
      { weight: 'nf4' },
      /'weight' = "nf4" is not allowed: must be one of int8, int6, int4, int3, int2, uint4/,
    ],
    [{ activation: 'int4_int8' }, /'activation' = "int4_int8" is not allowed: must be one of/],
    [{ group: 8, interleave: 2 }, /'interleave' = 2 is not allowed: a bit-serial core holds each chunk/],
    [{ weight: 'bitmod', specialValues: [1, 2, 3, 4] }, /'specialValues'.*only razer weights/],
    [
      { scaleProduct: 'serial', scaleLatency: 2 },
      /'scaleLatency' = 2 is not allowed: a serial scale product has no pipeline stages/,
    ],
    [{ scaleProduct: 'booth' }, /'scaleProduct' = "booth" is not allowed: must be one of parallel, serial/],
  ])('%j is refused with the parameter named', (raw, message) => {
    expect(() => params({ ...SMALL, ...raw })).toThrow(ParameterError);
    expect(() => params({ ...SMALL, ...raw })).toThrow(message);
  });

  it('names its module bitserial_gemv and records its own parameters', () => {
    const p = params({ ...SMALL, weight: 'int6', activation: 'int8' });
    const top = bitserialGemv.build(p);
    expect(top.name).toBe('bitserial_gemv_int6_int8_atfp16_fp16_g32_p2_s8_k256_n64_fp32_cu1');
    expect(top.origin).toEqual({ generator: 'bitserial_gemv', params: p });
  });
});

describe('bitserial_gemv RTL: the plan’s quick jobs', () => {
  const run = async (raw: Record<string, unknown>, simulators: StreamingRunRequest['simulators']) => {
    const p = params({ ...SMALL, ...raw });
    const module = bitserialGemv.build(p);
    const dir = join(root, module.name);
    const files = writeRtl(module, dir);
    const report = await expectQuickJobsPass(
      bitserialGemvCore(p),
      { top: module.name, files, dir },
      simulators,
    );
    return { files, report };
  };

  it.each([
    { weight: 'int6', activation: 'int8' },
    { weight: 'uint4', activation: 'int8' },
    { weight: 'uint1', activation: 'int8' },
    { weight: 'odd2', activation: 'fp16' },
    { weight: 'int4', activation: 'int4', activationScale: 'group', chunkLatency: 3 },
    { weight: 'e2m1fn', activation: 'bf16', group: 8 },
    { weight: 'razer', specialValues: [5, 8, -5, -8] },
    { weight: 'bitmod', activation: 'e4m3fn', chunkLatency: 2 },
    // The serial scale product: one engine per row of a unit (2 here), and two with closeUnits 2; int8
    // activations' scale makes the significand 22 bits (23 cycles, fewer than a group's 32 of Booth
    // digits); bf16's aligned groups of one chunk wait for it.
    { weight: 'bitmod', scaleProduct: 'serial' },
    { weight: 'int8', activation: 'int8', scaleProduct: 'serial', closeUnits: 2 },
    { weight: 'e2m1fn', activation: 'bf16', group: 8, scaleProduct: 'serial' },
  ])('%j in Icarus', async (raw) => {
    await run(raw, ['icarus']);
  });

  it.each(BITSERIAL_WEIGHTS.filter((w) => w === 'int8' || w === 'bitmod'))(
    '%s in Icarus, Verilator and HLS C-simulation, no multiplier in its chunk, at full utilization of P·S per term',
    async (weight) => {
      const { files, report } = await run({ weight, activation: weight === 'int8' ? 'int8' : 'fp16' }, [
        'icarus',
        'verilator',
        'hls',
      ]);
      const chunk = files.find((f) => /gemv_chunk_.*_terms\.v$/.test(f))!;
      expect(readFileSync(chunk, 'utf8')).not.toMatch(/[\w)\]] \* [\w(]/);
      // Utilization counts a MAC per weight against the peak of P·S per chunk of terms.
      expect(report.utilization[0]![0]).toBeGreaterThan(0.8);
      expect(report.utilization[0]![0]).toBeLessThanOrEqual(1);
    },
  );

  it('a serial scale product in Verilator and HLS C-simulation: no multiplier in it, and no slower when its 12 cycles fill a group', async () => {
    // uint4: 3 Booth digits a chunk, 4 chunks a group of 32: 12 cycles, as many as the fp16 scale's
    // serial product takes, so the closes keep up with the chunks.
    const shape = { weight: 'uint4', activation: 'fp16', closeUnits: 2 };
    const serial = await run({ ...shape, scaleProduct: 'serial' }, ['icarus', 'verilator', 'hls']);
    const parallel = await run(shape, ['icarus']);
    const kernel = serial.files.find((f) => /gemv_scale_serial_.*\.v$/.test(f))!;
    expect(readFileSync(kernel, 'utf8')).not.toMatch(/[\w)\]] \* [\w(]/);
    expect(serial.report.utilization[0]![0]).toBeGreaterThan(0.95 * parallel.report.utilization[0]![0]!);
  });
});
