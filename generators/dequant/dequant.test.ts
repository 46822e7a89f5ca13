import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { writePackage } from '../../flows/package.ts';
import { resolveTarget } from '../../flows/target.ts';
import { alignToUnit } from '../../testbenches/align-vectors.ts';
import { runConformance } from '../../testbenches/conformance.ts';
import { dequantPlan } from '../../testbenches/plans/dequant.ts';
import { planFor } from '../../testbenches/plans/index.ts';
import { joinVectors } from '../../testbenches/plans/plan.ts';
import { simulatorsFor } from '../../testbenches/sim/container.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { cycleCoin } from '../../testbenches/vectors/random.ts';
import { projectPath } from '../emit/paths.ts';
import { parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import {
  architecturePlan,
  DEQUANT_CUTS,
  dequant,
  resolveDequant,
  SHARED_EXPONENT_LANES,
  type DequantParams,
} from './dequant.ts';
import { resolvedOutputPolicy } from '../float-params.ts';

const params = (raw: Record<string, unknown>) => parseParams(dequant, raw) as DequantParams;

/**
 * The unit's outputs in the evaluator against the golden model, on the corner set and random vectors;
 * a unit with backpressure runs with out_ready low one cycle in 3 and input bubbles one in 5.
 */
function mismatches(raw: Record<string, unknown>, random = 400): string[] {
  const p = params(raw);
  const module = dequant.build(p);
  const unit = unitUnderTest(module, []);
  const failures: string[] = [];
  for (const kind of [{ kind: 'corner' as const }, { kind: 'random' as const, count: random }]) {
    const vectors = alignToUnit(dequantPlan.vectors(p, kind, 7), unit);
    // Corner sets can be large (8-bit codes × scale × zero classes): every 7th vector is plenty here.
    const step = kind.kind === 'corner' && vectors.stimulus.length > 3000 ? 7 : 1;
    const stimulus = vectors.stimulus.filter((_, i) => i % step === 0);
    const expected = vectors.expected.filter((_, i) => i % step === 0);
    const stalls = p.ready === false ? {} : { stall: cycleCoin(17, 3), idle: cycleCoin(18, 5) };
    runVectors(module, stimulus, stalls).forEach((row, i) => {
      if (row[0] !== expected[i]![0] && failures.length < 3) {
        failures.push(
          `${module.name} ${kind.kind} vector ${i}: expected ${dequantPlan.decode('w', expected[i]![0]!, p)}, ` +
            `got ${dequantPlan.decode('w', row[0]!, p)}`,
        );
      }
    });
  }
  return failures;
}

describe('dequant parameters', () => {
  const error = (raw: Record<string, unknown>) => {
    try {
      params(raw);
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };

  it('names an unknown format and lists the known ones', () => {
    expect(error({ format: 'fp5' })).toMatch(
      /dequant: parameter 'format' = "fp5" is not allowed: must be one of .*int4.*mxfp4.*nvfp4/,
    );
  });

  it('refuses lanes that do not divide the packed word, listing the divisors', () => {
    expect(error({ format: 'int4', lanes: 3, wordBits: 32 })).toMatch(
      /parameter 'lanes' = 3 is not allowed: 3 lanes do not divide the 32-bit packed word \(wordBits\); allowed: 1, 2, 4, 8, 16, 32/,
    );
    expect(error({ format: 'int8', lanes: 8, wordBits: 32 })).toMatch(
      /parameter 'wordBits' = 32 is not allowed: .*4-bit slots, too narrow for 8-bit int8 codes/,
    );
    expect(error({ format: 'mxfp4', lanes: 64 })).toMatch(
      /parameter 'lanes' = 64 is not allowed: .*do not divide the mxfp4 block of 32/,
    );
    expect(error({ format: 'int4', lanes: 4, packing: 'awq' })).toMatch(
      /parameter 'lanes' = 4 is not allowed: packing awq interleaves 8 codes per 32-bit word/,
    );
  });

  it('refuses a zero point for a symmetric format, naming the formats that take one', () => {
    expect(error({ format: 'nf4', zeroPoint: 'uint4' })).toMatch(
      /parameter 'zeroPoint' = "uint4" is not allowed: nf4 is a symmetric format; a zero point applies to the integer formats .*uint4.*int8/,
    );
    expect(error({ format: 'e4m3fn', zeroPoint: 'fp16' })).toMatch(/'zeroPoint' = "fp16" is not allowed/);
  });

  it('refuses a scale format the element format does not use', () => {
    expect(error({ format: 'mxfp4', scale: 'fp16' })).toMatch(
      /parameter 'scale' = "fp16" is not allowed: mxfp4 blocks carry e8m0fnu scales; use scale e8m0fnu/,
    );
    expect(error({ format: 'nvfp4', scale: 'e8m0fnu' })).toMatch(/nvfp4 blocks carry e4m3fn scales/);
    expect(error({ format: 'mxfp4', scale: 'none' })).toMatch(/'scale' = "none" is not allowed/);
    expect(error({ format: 'e2m1fn', tensorScale: true })).toMatch(
      /parameter 'tensorScale' = true is not allowed: only nvfp4 has a per-tensor FP32 scale/,
    );
    expect(error({ format: 'uint4', order: 'fma' })).toMatch(
      /parameter 'order' = "fma" is not allowed: .*needs a zero point and a scale/,
    );
    expect(error({ format: 'int4', specialValues: [1, 2, 3, 4] })).toMatch(
      /'specialValues' .* only razer_ocp and razer_kernel take special values/,
    );
    expect(error({ format: 'nf4', architecture: 'shared-exponent' })).toMatch(
      /parameter 'architecture' = "shared-exponent" is not allowed: shared-exponent needs an e8m0fnu scale/,
    );
    expect(error({ format: 'mxfp4', groupSize: 16 })).toMatch(/'groupSize' = 16 .* mxfp4 blocks hold 32/);
    expect(error({ format: 'int4', outFormat: 'e4m3fn' })).toMatch(
      /'outFormat' = "e4m3fn" .* fp16, bf16, fp32/,
    );
  });

  it('writes nothing for a bad parameter on the command line', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bitsmith-dequant-'));
    const run = promisify(execFile);
    await expect(
      run('node', [
        projectPath('bin/bitsmith.js'),
        'gen',
        'dequant',
        '--set',
        'format=nf4',
        '--set',
        'zeroPoint=int4',
        '--out',
        out,
      ]),
    ).rejects.toMatchObject({ stderr: expect.stringMatching(/'zeroPoint' = "int4" is not allowed/) });
    expect(readdirSync(out)).toEqual([]);
  });

  it('names modules after every parameter that changes the hardware', () => {
    const name = (raw: Record<string, unknown>) => dequant.build(params(raw)).name;
    expect(name({ format: 'uint4', zeroPoint: 'uint4', packing: 'awq', lanes: 8, latency: 2 })).toBe(
      'dequant_uint4_fp16_zuint4_awq_fp16_x8_l2',
    );
    expect(name({ format: 'nvfp4', tensorScale: true, lanes: 16, ready: true })).toBe(
      'dequant_nvfp4_e4m3_ts_fp16_x16_l1_rdy',
    );
    expect(name({ format: 'nvfp4', tensorScale: true, lanes: 16, latency: 10, ready: 'skid' })).toBe(
      'dequant_nvfp4_e4m3_ts_fp16_x16_l10_skid',
    );
    expect(name({ format: 'razer_ocp', specialValues: [2.5, 8, -5, -8], lanes: 4 })).toBe(
      'dequant_razer_ocp_sv2p5_8_m5_m8_fp16_fp16_x4_l1',
    );
    expect(name({ format: 'mxfp4', lanes: 8, architecture: 'table', rounding: 'rtz' })).toBe(
      'dequant_mxfp4_e8m0_fp16_x8_tbl_rtz_l1',
    );
  });
});

describe('dequant architectures', () => {
  const kind = (raw: Record<string, unknown>) => {
    const p = params(raw);
    return architecturePlan(p, resolveDequant(p), resolvedOutputPolicy(p)).kind;
  };

  it('uses exponent outcomes for E8M0 scales, a table for few codes, lanes otherwise', () => {
    expect(kind({ format: 'mxfp4', lanes: 32 })).toBe('shared-exponent');
    expect(kind({ format: 'int4', scale: 'none', lanes: 8 })).toBe('table');
    expect(kind({ format: 'nvfp4', tensorScale: true, lanes: 16 })).toBe('table');
    expect(kind({ format: 'uint4', zeroPoint: 'uint4', lanes: 8 })).toBe('lanes');
    expect(kind({ format: 'e4m3fn', scale: 'bf16', lanes: 4 })).toBe('lanes');
    expect(kind({ format: 'mxint8', lanes: 4 })).toBe('lanes');
  });

  it('takes the shared exponent from SHARED_EXPONENT_LANES lanes on, each lane its own below', () => {
    expect(kind({ format: 'mxfp4', lanes: SHARED_EXPONENT_LANES })).toBe('shared-exponent');
    expect(kind({ format: 'mxfp4', lanes: SHARED_EXPONENT_LANES / 2 })).toBe('lanes');
    expect(kind({ format: 'mxfp4', lanes: 1, outFormat: 'fp16', outputSubnormals: 'flush' })).toBe('lanes');
    expect(kind({ format: 'mxfp4', lanes: 1, architecture: 'shared-exponent' })).toBe('shared-exponent');
  });

  it('reads an E8M0 scale code as 2^(X − 127), 0xFF NaN (docs/mx-nvfp4.md#e8m0-scale)', () => {
    const p = params({ format: 'mxfp4', lanes: 32 });
    const plan = architecturePlan(p, resolveDequant(p), resolvedOutputPolicy(p));
    expect(plan.kind === 'shared-exponent' && plan.scale).toEqual({ offset: 127, nanCodes: [255] });
  });

  it.each([
    { format: 'mxfp4', lanes: 8, outFormat: 'fp16' },
    { format: 'mxfp4', lanes: 4, outFormat: 'bf16', rounding: 'rup' },
    { format: 'int4', lanes: 4, scale: 'e8m0fnu', outputSubnormals: 'flush' },
    { format: 'e2m1fn', lanes: 2, scale: 'e8m0fnu', outFormat: 'fp32', rounding: 'rdown' },
  ])('gives the same results in every architecture: %o', (raw) => {
    for (const architecture of ['lanes', 'table', 'shared-exponent'])
      expect(mismatches({ ...raw, architecture }, 300)).toEqual([]);
  });
});

describe('dequant latency', () => {
  it.each([
    { format: 'uint4', zeroPoint: 'uint4', lanes: 2 }, // lanes
    { format: 'nvfp4', lanes: 4, tensorScale: true }, // table
    { format: 'mxfp4', lanes: 4 }, // shared exponent
  ])('every architecture has as many stages as asked for: %o', (raw) => {
    for (let latency = 0; latency <= DEQUANT_CUTS.length; latency++) {
      const timing = dequant.build(params({ ...raw, latency })).timing;
      expect(timing.kind === 'pipelined' ? timing.latency : 0).toBe(latency);
    }
  });
});

describe('dequant against its golden model (evaluator)', () => {
  it.each([
    // W4A16: asymmetric INT4, both packings, every operation order, float zero points
    { format: 'uint4', zeroPoint: 'uint4', packing: 'awq', lanes: 8 },
    { format: 'uint4', zeroPoint: 'uint4', lanes: 2, order: 'fma' },
    { format: 'uint4', zeroPoint: 'uint4', lanes: 2, order: 'mul-add', outFormat: 'bf16', scale: 'fp32' },
    { format: 'uint4', zeroPoint: 'fp16', lanes: 2, rounding: 'rdown' },
    { format: 'int4', zeroPoint: 'fp16', lanes: 2, order: 'fma', scale: 'fp32', rounding: 'rup' },
    { format: 'int8', zeroPoint: 'int8', lanes: 2, scale: 'bf16', outFormat: 'bf16' },
    { format: 'uint8', zeroPoint: 'uint8', lanes: 1, scale: 'fp32', outFormat: 'fp32', order: 'fma' },
    { format: 'int4', lanes: 4, latency: 0 },
    { format: 'int8', lanes: 2, scale: 'fp32', latency: 3, ready: true },
    // floats, with every scale format
    { format: 'e4m3fn', lanes: 2, scale: 'bf16', outFormat: 'bf16' },
    { format: 'e5m2', lanes: 2, scale: 'fp16', nan: 'signed' },
    { format: 'e3m2fn', lanes: 2, scale: 'e4m3fn', wordBits: 16 },
    { format: 'e2m3fn', lanes: 2, scale: 'e8m0fnu', outFormat: 'fp32' },
    { format: 'e4m3fnuz', lanes: 1, scale: 'fp16' },
    { format: 'e2m1fn', lanes: 4, scale: 'fp16', rounding: 'rna' },
    // codebooks and per-group codebook families
    { format: 'nf4', lanes: 4 },
    { format: 'sf4', lanes: 2, scale: 'fp32' },
    { format: 'fp4_range', lanes: 2 },
    { format: 'razer_ocp', lanes: 4 },
    { format: 'razer_kernel', lanes: 4, specialValues: [2.5, 8, -5, -8] },
    { format: 'bitmod_fp4_mixed', lanes: 4, outFormat: 'bf16', scale: 'bf16' },
    { format: 'bitmod_fp3_mixed', lanes: 2 },
    { format: 'bitmod_int4', lanes: 2, scale: 'fp16' },
    // block formats
    { format: 'mxfp4', lanes: 8, outFormat: 'bf16' },
    { format: 'mxfp6_e3m2', lanes: 2, outFormat: 'bf16' },
    { format: 'mxfp6_e2m3', lanes: 2, outputSubnormals: 'flush' },
    { format: 'mxfp8_e4m3', lanes: 2 },
    { format: 'mxfp8_e5m2', lanes: 2, rounding: 'rtz' },
    { format: 'mxint8', lanes: 2, outFormat: 'fp32' },
    { format: 'nvfp4', lanes: 4 },
    { format: 'nvfp4', lanes: 4, tensorScale: true, rounding: 'rnd', tininess: 'before' },
    // every stage cut (the rounding in a stage of its own): lanes, a table, shared exponents, a scaled zero point
    { format: 'uint4', zeroPoint: 'uint4', packing: 'awq', lanes: 8, latency: 4 },
    { format: 'e4m3fn', lanes: 2, scale: 'bf16', outFormat: 'bf16', outputSubnormals: 'flush', latency: 3 },
    { format: 'nvfp4', lanes: 4, tensorScale: true, latency: 5, ready: true },
    { format: 'mxfp4', lanes: 8, outFormat: 'bf16', latency: 5 },
    { format: 'mxfp4', lanes: 4, outFormat: 'fp16', latency: 2 }, // the cut inside the shared-exponent lanes
    { format: 'mxfp4', lanes: 8, outFormat: 'bf16', latency: 2, ready: true },
    // a table without a tensor scale: its 'scale' cut between the entries and the selection
    { format: 'razer_kernel', lanes: 4, latency: 7 },
    { format: 'nf4', lanes: 4, latency: 7, ready: true },
    // plain lanes: the 'scale' cut inside the element decoding (integer and float codes)
    { format: 'mxint8', lanes: 2, outFormat: 'fp32', latency: 7 },
    { format: 'e4m3fn', lanes: 2, scale: 'bf16', outFormat: 'bf16', latency: 7, ready: true },
    { format: 'int8', lanes: 2, scale: 'none', latency: 7 },
    { format: 'mxfp8_e4m3', lanes: 2, latency: 7, ready: true },
    // without a tensor scale: the 'tensor' cut inside the block scale's decoding (subnormal scales)
    { format: 'e4m3fn', lanes: 2, scale: 'bf16', outFormat: 'bf16', latency: 8 },
    { format: 'uint4', zeroPoint: 'uint4', lanes: 2, scale: 'fp16', latency: 8, ready: true },
    { format: 'uint4', zeroPoint: 'uint4', lanes: 2, order: 'fma', latency: 3 },
    // an integer zero point: the 'scale' cut between q − z and its normalization
    {
      format: 'int8',
      zeroPoint: 'int8',
      lanes: 2,
      scale: 'bf16',
      outFormat: 'bf16',
      latency: 7,
      ready: true,
    },
    { format: 'uint4', zeroPoint: 'uint4', lanes: 2, scale: 'fp32', outFormat: 'fp32', latency: 9 },
    // a split wide product (NF4's float32 table × an FP16 scale) and the 'scales' cut before the block ×
    // tensor scale product
    { format: 'nf4', lanes: 4, latency: 6 },
    { format: 'nf4', lanes: 8, latency: 9, ready: true }, // the 'select' cut inside the constant multiplier
    { format: 'fp4_range', lanes: 4, latency: 9 },
    { format: 'nf4', lanes: 4, scale: 'e4m3fn', latency: 10 },
    { format: 'sf4', lanes: 2, scale: 'fp32', latency: 9, ready: true },
    { format: 'nvfp4', lanes: 4, tensorScale: true, latency: 10 },
    // every cut, the pipelined rounding and product modules included (with and without backpressure)
    { format: 'uint4', zeroPoint: 'uint4', packing: 'awq', lanes: 8, latency: 7 },
    { format: 'nvfp4', lanes: 4, tensorScale: true, latency: 11, ready: true },
    { format: 'e4m3fn', lanes: 2, scale: 'bf16', outFormat: 'bf16', latency: 10 },
    { format: 'mxfp4', lanes: 8, outFormat: 'bf16', latency: 10 },
    { format: 'mxint8', lanes: 2, outFormat: 'fp32', latency: 10, ready: true },
    { format: 'uint4', zeroPoint: 'uint4', lanes: 2, order: 'mul-add', latency: 10 },
    // backpressure through an output skid buffer: the pipelined sub-modules (rounding, products, the
    // shared-exponent lanes) frozen by its registered advance
    { format: 'nvfp4', lanes: 4, tensorScale: true, latency: 10, ready: 'skid' },
    { format: 'nvfp4', lanes: 4, tensorScale: true, latency: 11, ready: 'skid' },
    { format: 'mxfp4', lanes: 8, outFormat: 'bf16', latency: 2, ready: 'skid' },
    { format: 'uint4', zeroPoint: 'uint4', lanes: 2, scale: 'fp16', latency: 8, ready: 'skid' },
    {
      format: 'int8',
      zeroPoint: 'int8',
      lanes: 2,
      scale: 'bf16',
      outFormat: 'bf16',
      latency: 7,
      ready: 'skid',
    },
    { format: 'nf4', lanes: 8, latency: 9, ready: 'skid' },
    { format: 'e4m3fn', lanes: 2, scale: 'bf16', outFormat: 'bf16', latency: 1, ready: 'skid' },
  ])('%o', (raw) => {
    expect(mismatches(raw)).toEqual([]);
  });
});

describe('dequant with an output skid buffer in the simulators', () => {
  // The catalog's NVFP4 unit with ready = 'skid': the testbench drops out_ready at random (seeded) and
  // inserts input bubbles, and checks every result's value, its order and its latency, and that none is
  // missing or extra. Icarus and Verilator run the Verilog; the HLS C++ (no handshake) runs untimed.
  it.each(['icarus', 'verilator', 'hls'] as const)('dequant_nvfp4_fp16x16, ready = skid: %s', async (sim) => {
    const target = resolveTarget('dequant_nvfp4_fp16x16', { ready: 'skid' });
    expect(target.module.name).toMatch(/_skid$/);
    const pkg = writePackage(target, join(tmpdir(), `bitsmith-dequant-skid-${process.pid}`));
    const corner = dequantPlan.vectors(target.params as never, { kind: 'corner' }, 5);
    const random = dequantPlan.vectors(target.params as never, { kind: 'random', count: 3000 }, 5);
    const vectors = joinVectors([corner, random]);
    const report = await runConformance({
      ip: target.ip,
      module: target.module,
      params: target.params,
      plan: planFor('dequant'),
      vectors,
      seed: 5,
      bubbles: true,
      rtlFiles: pkg.rtlFiles,
      simulators: simulatorsFor(sim),
      workDir: join(pkg.dir, `verify-skid-${sim}`),
    });
    const result = report.results[0]!;
    expect(result.mismatches).toEqual([]);
    expect([result.passed, result.failed]).toEqual([vectors.stimulus.length, 0]);
  });
});
