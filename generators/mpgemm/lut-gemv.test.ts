// lut_gemv: the GEMV whose products are table lookups. With exact tables the golden model is gemv's
// (Σ a·w from the weight formats' values, never from tables or planes); quantized tables change the
// result, and their golden model is checked against sums worked by hand. These tests also check the
// weight codings against values written out by hand, refuse bad parameters by name, and run the plan's
// quick jobs on cores that cover every coding, table size and mirroring, float and integer activations.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode } from '../formats/index.ts';
import { toNumber } from '../formats/value-number.ts';
import { GEMV_WEIGHT_FORMATS, GEMV_WEIGHTS } from '../formats/gemv-weights.ts';
import { ParameterError, parseParams } from '../generator.ts';
import { writeRtl } from '../../testbenches/sim/write-rtl.ts';
import { expectQuickJobsPass } from '../../testbenches/sim/fixtures/gemv-quick-jobs.ts';
import type { StreamingRunRequest } from '../../testbenches/streaming-plan.ts';
import { gemvGolden } from '../../testbenches/golden/gemv.ts';
import { gemvSpec } from '../../testbenches/plans/gemv.ts';
import { lutGemv, lutGemvCore } from './lut-gemv.ts';

const params = (raw: Record<string, unknown>) => parseParams(lutGemv, raw);
const root = join(tmpdir(), `bitsmith-lut-gemv-${process.pid}`);
const SMALL = { rows: 2, lanes: 8, group: 32, maxK: 256, maxN: 64 };

describe('integer weight codings', () => {
  // The values of each code, written out: unsigned, two's complement, odd levels 2q − (2^B − 1).
  const HAND: Record<string, number[]> = {
    uint1: [0, 1],
    uint2: [0, 1, 2, 3],
    int2: [0, 1, -2, -1],
    int3: [0, 1, 2, 3, -4, -3, -2, -1],
    odd1: [-1, 1],
    odd2: [-3, -1, 1, 3],
    odd3: [-7, -5, -3, -1, 1, 3, 5, 7],
  };

  it.each(Object.keys(HAND))('%s decodes to the values written out', (name) => {
    const weight = GEMV_WEIGHT_FORMATS[name as keyof typeof GEMV_WEIGHT_FORMATS];
    const format = weight.formats([])[0]!;
    expect(HAND[name]!.map((_, code) => toNumber(decode(format, code)))).toEqual(HAND[name]);
  });

  it('every integer weight is the sum of its bit planes that the tables rely on', () => {
    const integer = GEMV_WEIGHTS.filter((name) => GEMV_WEIGHT_FORMATS[name].planeCoding !== undefined);
    expect(integer.length).toBe(8 + 7 + 8);
    for (const name of integer) {
      const weight = GEMV_WEIGHT_FORMATS[name];
      const { coefficients, offset } = weight.planeCoding!;
      const format = weight.formats([])[0]!;
      for (let code = 0; code < 2 ** weight.bits; code++) {
        const planes = coefficients.reduce((sum, c, p) => sum + (((code >> p) & 1) === 1 ? c : 0n), offset);
        expect([name, code, Number(planes)]).toEqual([name, code, toNumber(decode(format, code))]);
      }
    }
  });
});

describe('quantized tables: the golden model against a sum worked by hand', () => {
  // int8 activations a0 = 100, a1 = −27 (the rest 0), uint2 weights 1 and 3, g = 2: L = 7, s = 1; the
  // plain table 0, 100, −27, 73 quantizes to 0, 50, −14, 36 (ties to even). Plane 0 picks 36, plane 1
  // −14: 2·(36 + 2·(−14)) = 16, where the exact Σ a·w is 19. Mirrored, the table M = ±100 + (−27)
  // holds −127, 73 → −64 (−63.5, to even), 36; plane 0 (+,+) reads 36, plane 1 (−,+) reads −64, all
  // (+,+) 36: 2·½·(36 + 2·(−64) + 3·36) = 16 as well. Scales are 1; the output is fp32.
  const job = (w1: number) => ({
    k: 8,
    n: 1,
    x: [100, 256 - 27, 0, 0, 0, 0, 0, 0],
    w: [[1, w1, 0, 0, 0, 0, 0, 0]],
    s: [[0x3c00]],
    z: [[0]],
    sv: [[0]],
    xs: [0x3c00],
  });
  const spec = (mirror: boolean, quantized: boolean) => ({
    ...gemvSpec(lutGemvCore(params({ ...SMALL, group: 8, wBits: 2, mirror, outFormat: 'fp32' }))),
    ...(quantized ? { table: { g: 2, mirror, lanes: 8 } } : {}),
  });
  const f32 = (v: number) => new DataView(Float32Array.of(v).buffer).getUint32(0, true);

  it.each([false, true])('mirrored %s: 16 from the int8 table, 19 exact', (mirror) => {
    expect(gemvGolden(spec(mirror, true), job(3))).toEqual([f32(16)]);
    expect(gemvGolden(spec(mirror, false), job(3))).toEqual([f32(19)]);
  });

  it('fp16 lanes are truncated to the grid 2^(s − r) before the entries are rounded', () => {
    // a0 = 1 + 2^−6 + 2^−10 (0x3C11), 2^24 + 2^18 + 2^14 units of 2^−24: L = 25, s = 19 (units of 2^−5),
    // r = 4 (grid 2^−9). a0 is 32.53 table units, which would round to 33; on the grid it is
    // ⌊520.5⌋ = 520 = 32.5 units, a tie, to even: 32. Weight 1: y = 32·2^−5 = 1.
    const fp16 = {
      ...gemvSpec(lutGemvCore(params({ ...SMALL, group: 8, activation: 'fp16', outFormat: 'fp32' }))),
      table: { g: 2, mirror: false, lanes: 8 },
    };
    const { xs: _xs, ...rest } = job(0);
    expect(gemvGolden(fp16, { ...rest, x: [0x3c11, 0, 0, 0, 0, 0, 0, 0] })).toEqual([f32(1)]);
  });

  it('an entry within half a unit of 128 is clamped to 127 units', () => {
    // a0 = a1 = 2 − 2^−10 (0x3FFF): L = 25 (units of 2^−24), s = 19, r = 4; each lane on the grid is
    // ⌊1023.5⌋ = 1023, their entry 2046 = 127.875 units, rounded to 128 and clamped: 127·2^−5.
    const fp16 = {
      ...gemvSpec(lutGemvCore(params({ ...SMALL, group: 8, activation: 'fp16', outFormat: 'fp32' }))),
      table: { g: 2, mirror: false, lanes: 8 },
    };
    const { xs: _xs, ...rest } = job(1);
    const x = [0x3fff, 0x3fff, 0, 0, 0, 0, 0, 0];
    expect(gemvGolden(fp16, { ...rest, x })).toEqual([f32(127 / 32)]);
  });
});

describe('lut_gemv parameters', () => {
  it.each([
    [{ g: 0 }, /'g' = \d is not allowed: must be an integer from 1 to 8/],
    [{ g: 9 }, /'g' = \d is not allowed: must be an integer from 1 to 8/],
    [{ wBits: 0 }, /'wBits' = \d is not allowed: must be an integer from 1 to 8/],
    [{ wBits: 9 }, /'wBits' = \d is not allowed: must be an integer from 1 to 8/],
    [{ wBits: 1, weightCoding: 'int' }, /'weightCoding' = "int" is not allowed: 'int' needs wBits ≥ 2/],
    [{ lanes: 4, g: 8 }, /'g' = 8 is not allowed: must divide lanes \(4\)/],
    [{ group: 12 }, /'group' = 12 is not allowed: must be a multiple of lanes \(8\)/],
    [
      { activation: 'int4_int8' },
      /'activation' = "int4_int8" is not allowed: must be one of int8, int4, fp16, bf16, e4m3fn/,
    ],
    [
      { activation: 'fp16', activationScale: 'group' },
      /'activationScale' = "group" is not allowed: applies to integer activations/,
    ],
    [{ wBits: 1, serial: true }, /'serial' = true is not allowed: needs wBits ≥ 2/],
    [
      { serial: true, group: 8, interleave: 2 },
      /'interleave' = 2 is not allowed: a serial core holds each chunk/,
    ],
  ])('%j is refused with the parameter named', (raw, message) => {
    expect(() => params({ ...SMALL, ...raw })).toThrow(ParameterError);
    expect(() => params({ ...SMALL, ...raw })).toThrow(message);
  });

  it('names its module after the table and the weights, and records its own parameters', () => {
    const p = params({ ...SMALL, wBits: 3, weightCoding: 'odd', g: 2, mirror: true });
    const top = lutGemv.build(p);
    expect(top.name).toBe('lut_gemv_g2m_odd3_int8_atfp16_fp16_g32_p2_s8_k256_n64_fp32_cu1');
    expect(top.origin).toEqual({ generator: 'lut_gemv', params: p });
  });
});

describe('lut_gemv RTL: the plan’s quick jobs', () => {
  const run = async (raw: Record<string, unknown>, simulators: StreamingRunRequest['simulators']) => {
    const core = lutGemvCore(params({ ...SMALL, ...raw }));
    const module = lutGemv.build(params({ ...SMALL, ...raw }));
    const dir = join(root, module.name);
    const files = writeRtl(lutGemv.build(params({ ...SMALL, ...raw })), dir);
    return { files, report: await expectQuickJobsPass(core, { top: module.name, files, dir }, simulators) };
  };

  it.each([
    { wBits: 1, weightCoding: 'uint', g: 4 },
    { wBits: 1, weightCoding: 'odd', g: 4, mirror: true },
    { wBits: 2, weightCoding: 'int', g: 2 },
    { wBits: 2, weightCoding: 'uint', g: 1, mirror: true },
    { wBits: 3, weightCoding: 'int', g: 8, mirror: true },
    { wBits: 4, weightCoding: 'odd', g: 4 },
    { wBits: 8, weightCoding: 'uint', g: 2, mirror: true },
    { wBits: 2, weightCoding: 'uint', activation: 'fp16', mirror: true },
    { wBits: 3, weightCoding: 'odd', activation: 'bf16', group: 8 },
    { wBits: 4, weightCoding: 'int', activation: 'int4', activationScale: 'group', chunkLatency: 3 },
    { wBits: 2, weightCoding: 'uint', serial: true },
    { wBits: 3, weightCoding: 'int', g: 2, mirror: true, serial: true },
    { wBits: 4, weightCoding: 'odd', g: 2, serial: true, chunkLatency: 4 },
    { wBits: 8, weightCoding: 'int', g: 1, serial: true },
    { wBits: 3, weightCoding: 'uint', activation: 'bf16', group: 8, mirror: true, serial: true },
    { wBits: 2, weightCoding: 'uint', g: 2, tableFormat: 'int8' },
    { wBits: 1, weightCoding: 'odd', g: 4, mirror: true, tableFormat: 'int8' },
    { wBits: 3, weightCoding: 'int', g: 8, tableFormat: 'int8' },
    { wBits: 2, weightCoding: 'int', g: 1, mirror: true, tableFormat: 'int8' },
    { wBits: 4, weightCoding: 'odd', g: 2, serial: true, tableFormat: 'int8', chunkLatency: 9 },
    { wBits: 2, weightCoding: 'uint', g: 4, mirror: true, tableFormat: 'int8', chunkLatency: 8 },
    { wBits: 2, weightCoding: 'int', activation: 'e4m3fn', mirror: true, serial: true, tableFormat: 'int8' },
    { wBits: 3, weightCoding: 'odd', activation: 'bf16', group: 8, mirror: true, tableFormat: 'int8' },
  ])('%j in Icarus', async (raw) => {
    await run(raw, ['icarus']);
  });

  it('a bit-serial core takes wBits cycles per chunk, at the parallel core’s utilization of its peak P·S/wBits', async () => {
    const parallel = (await run({ wBits: 3, weightCoding: 'int' }, ['icarus'])).report;
    const serial = (await run({ wBits: 3, weightCoding: 'int', serial: true }, ['icarus'])).report;
    const [u, us] = [parallel.utilization[0]![0]!, serial.utilization[0]![0]!];
    expect(u).toBeGreaterThan(0.8);
    // The same stall-free job: three cycles per chunk instead of one, the pipeline's tail aside.
    expect(us).toBeGreaterThan(0.95 * u);
    expect(us).toBeLessThanOrEqual(1);
  });

  it('a bit-serial mirrored core of odd levels in Verilator and HLS C-simulation', async () => {
    await run({ wBits: 2, weightCoding: 'odd', mirror: true, serial: true, activation: 'fp16' }, [
      'verilator',
      'hls',
    ]);
  });

  it('quantized fp16 tables, mirrored, in Verilator and HLS C-simulation, with 8-bit lookups', async () => {
    const { files } = await run(
      { wBits: 2, weightCoding: 'uint', g: 2, mirror: true, activation: 'fp16', tableFormat: 'int8' },
      ['verilator', 'hls'],
    );
    const chunk = readFileSync(
      files.find((f) => /gemv_chunk_.*_lut2m_t8\.v$/.test(f))!,
      'utf8',
    );
    // Every lookup of row 0 is one int8 entry (the exact fp16 entries are 44 bits).
    const lookups = [...chunk.matchAll(/wire\s+(?:signed\s+)?\[(\d+):0\]\s+l0_\d+_\d+\s*[;=]/g)];
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.map((l) => Number(l[1]) + 1)).toEqual(lookups.map(() => 8));
  });

  it('a mirrored two’s complement core in Verilator and HLS C-simulation, with no multiplier in its chunk', async () => {
    const { files } = await run({ wBits: 2, weightCoding: 'int', mirror: true, activation: 'fp16' }, [
      'verilator',
      'hls',
    ]);
    const chunk = files.find((f) => /gemv_chunk_.*_lut2m\.v$/.test(f))!;
    expect(chunk).toBeDefined();
    expect(readFileSync(chunk, 'utf8')).not.toMatch(/[\w)\]] \* [\w(]/);
  });
});
