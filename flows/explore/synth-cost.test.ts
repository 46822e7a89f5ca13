import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AreaReport } from '../synth/types.ts';
import { resolveTarget, type Target } from '../target.ts';
import { estimateFmax } from '../../generators/timing/estimate.ts';
import {
  CACHE_FILE,
  dequantParams,
  gemvCoreParams,
  GEMV_SHAPE,
  macParams,
  synthesizedDequantCosts,
  synthesizedGemvCosts,
  synthesizedMacCosts,
} from './synth-cost.ts';
import { parseWeightFormat, parseWeightFormats } from './quantize.ts';

/** A stand-in for Yosys: LUTs from the module name's length, and a record of what it was asked. */
function fakeYosys() {
  const calls: string[] = [];
  const synthesize = async (t: Target): Promise<AreaReport> => {
    calls.push(t.module.name);
    return {
      target: 'ecp5',
      top: t.module.name,
      cells: {},
      luts: 8 * t.module.name.length,
      ffs: 0,
      carries: 0,
      dsps: 0,
      rams: 0,
      seconds: 0,
      netlistPath: '',
      logPath: '',
    };
  };
  return { calls, synthesize };
}

describe('synthesized dequantizer cost', () => {
  it('maps each weight format to its dequantizer, or names why there is none', () => {
    expect(dequantParams(parseWeightFormat('nf4:g64'))).toEqual({
      params: { lanes: 8, groupSize: 64, outFormat: 'fp16', latency: 8, format: 'nf4', scale: 'fp16' },
    });
    expect(dequantParams(parseWeightFormat('int4_asym:g128'))).toMatchObject({
      params: { format: 'uint4', zeroPoint: 'uint4', scale: 'fp16' },
    });
    expect(dequantParams(parseWeightFormat('razer:g128'))).toMatchObject({ params: { format: 'razer_ocp' } });
    expect(dequantParams(parseWeightFormat('mxfp4'))).toMatchObject({
      params: { format: 'mxfp4', groupSize: 32 },
    });
    // A group of 4 takes 4 lanes: lanes divide the group.
    expect(dequantParams(parseWeightFormat('e2m1fn:g4'))).toMatchObject({ params: { lanes: 4 } });
    expect(dequantParams(parseWeightFormat('int6'))).toEqual({
      reason: 'the dequant generator has no element format int6',
    });
    expect(dequantParams(parseWeightFormat('int3_asym'))).toEqual({
      reason: 'the dequant generator has no 3-bit zero point',
    });
  });

  it('synthesizes each unit once: a second run reads the cache by fingerprint', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bitsmith-explore-'));
    const formats = parseWeightFormats('int4:g128,e2m1fn:g128,int6');
    const yosys = fakeYosys();
    const options = { outDir: out, target: 'ecp5' as const, engine: 'yowasp' as const, yosys: 'test 1.0' };
    const first = await synthesizedDequantCosts(formats, { ...options, synthesize: yosys.synthesize });
    expect(yosys.calls).toHaveLength(2);
    expect(first.synthesized).toBe(2);
    expect(first.skipped.map((s) => s.format)).toEqual(['int6:g128']);
    const int4 = first.costs.get('int4:g128')!;
    expect(int4.ip).toBe(yosys.calls[0]);
    expect(int4.lutsPerUnit).toBe(yosys.calls[0]!.length); // 8·length LUTs over 8 lanes
    expect(existsSync(join(out, CACHE_FILE))).toBe(true);

    const again = await synthesizedDequantCosts(formats, { ...options, synthesize: yosys.synthesize });
    expect(yosys.calls).toHaveLength(2);
    expect(again.cached).toBe(2);
    expect(again.costs.get('int4:g128')).toEqual(int4);

    // Another Yosys version or target is another key.
    await synthesizedDequantCosts(formats.slice(0, 1), {
      ...options,
      yosys: 'test 2.0',
      synthesize: yosys.synthesize,
    });
    await synthesizedDequantCosts(formats.slice(0, 1), {
      ...options,
      target: 'ice40',
      synthesize: yosys.synthesize,
    });
    expect(yosys.calls).toHaveLength(4);
    expect(Object.keys(JSON.parse(readFileSync(join(out, CACHE_FILE), 'utf8')).entries)).toHaveLength(4);
  });

  it('maps each weight format to its mixed_mac MAC, or names why there is none', () => {
    expect(macParams(parseWeightFormat('e2m1fn:g64'))).toEqual({
      params: { weight: 'e2m1fn', group: 64, scale: 'fp16', latency: 24 },
    });
    expect(macParams(parseWeightFormat('int4_asym:g128'))).toEqual({
      params: { weight: 'uint4', group: 128, scale: 'fp16', latency: 24 },
    });
    expect(macParams(parseWeightFormat('razer:g128'))).toMatchObject({ params: { weight: 'razer' } });
    expect(macParams(parseWeightFormat('int6'))).toMatchObject({ params: { weight: 'int6' } });
    expect(macParams(parseWeightFormat('nf4'))).toEqual({
      reason: 'the mixed_mac generator has no weight format nf4',
    });
    expect(macParams(parseWeightFormat('mxfp4'))).toEqual({
      reason: 'the mixed_mac generator has no block scale (E8M0 or E4M3)',
    });
    expect(macParams(parseWeightFormat('int8_asym'))).toEqual({
      reason: 'the mixed_mac generator has no 8-bit zero point',
    });
  });

  it('synthesizes one MAC per format, per MAC, into the same cache', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bitsmith-explore-'));
    const formats = parseWeightFormats('e2m1fn:g128,nf4:g128');
    const yosys = fakeYosys();
    const options = { outDir: out, target: 'ecp5' as const, engine: 'yowasp' as const, yosys: 'test 1.0' };
    const macs = await synthesizedMacCosts(formats, { ...options, synthesize: yosys.synthesize });
    expect(yosys.calls).toEqual([expect.stringMatching(/^mixed_mac_e2m1fn_/)]);
    expect(macs.costs.get('e2m1fn:g128')).toEqual({
      ip: yosys.calls[0],
      lutsPerUnit: 8 * yosys.calls[0]!.length, // one MAC: all its LUTs
      dspsPerUnit: 0,
      fmaxMhz: expect.any(Number),
      fmaxEstimated: true,
    });
    expect(macs.skipped).toEqual([
      { format: 'nf4:g128', reason: 'the mixed_mac generator has no weight format nf4' },
    ]);
    // The dequantizers of the same formats are other units, and the cache keeps both.
    await synthesizedDequantCosts(formats, { ...options, synthesize: yosys.synthesize });
    expect(yosys.calls).toHaveLength(3);
    expect((await synthesizedMacCosts(formats, { ...options, synthesize: yosys.synthesize })).cached).toBe(1);
    expect(yosys.calls).toHaveLength(3);
  });

  it('maps each weight format to a GEMV core of the catalog shape, or names why there is none', () => {
    expect(gemvCoreParams(parseWeightFormat('nf4:g64'))).toEqual({
      params: { ...GEMV_SHAPE, weight: 'nf4', group: 64, scale: 'fp16' },
    });
    expect(gemvCoreParams(parseWeightFormat('int4_asym:g128'))).toMatchObject({
      params: { weight: 'uint4', scale: 'fp16' },
    });
    expect(gemvCoreParams(parseWeightFormat('bitmod_fp4:g128'))).toMatchObject({
      params: { weight: 'bitmod' },
    });
    // Block formats bring their own scale and group.
    expect(gemvCoreParams(parseWeightFormat('nvfp4'))).toEqual({
      params: { ...GEMV_SHAPE, weight: 'nvfp4', group: 16 },
    });
    expect(gemvCoreParams(parseWeightFormat('mxfp8_e4m3'))).toEqual({
      reason: 'the gemv generator has no weight format mxfp8_e4m3',
    });
    expect(gemvCoreParams(parseWeightFormat('int8_asym'))).toEqual({
      reason: 'the gemv generator has no 8-bit zero point',
    });
  });

  it('synthesizes one GEMV core per format and gives its cost per MAC (rows × lanes)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bitsmith-explore-'));
    const formats = parseWeightFormats('nf4:g128,int8_asym');
    const yosys = fakeYosys();
    const options = { outDir: out, target: 'ecp5' as const, engine: 'yowasp' as const, yosys: 'test 1.0' };
    const cores = await synthesizedGemvCosts(formats, { ...options, synthesize: yosys.synthesize });
    expect(yosys.calls).toEqual([expect.stringMatching(/^gemv_nf4_fp16_fp16_g128_p4_s8_/)]);
    const macs = GEMV_SHAPE.rows * GEMV_SHAPE.lanes;
    // No place and route: the Fmax is the delay model's estimate on the target, to 0.01 MHz.
    const core = resolveTarget(
      'gemv',
      (gemvCoreParams(formats[0]!) as { params: Record<string, unknown> }).params,
    );
    expect(cores.costs.get('nf4:g128')).toEqual({
      ip: yosys.calls[0],
      lutsPerUnit: (8 * yosys.calls[0]!.length) / macs,
      dspsPerUnit: 0,
      fmaxMhz: Math.round(estimateFmax(core.module, 'ecp5').mhz * 100) / 100,
      fmaxEstimated: true,
    });
    expect(cores.skipped.map((s) => s.format)).toEqual(['int8_asym:g128']);
    expect((await synthesizedGemvCosts(formats, { ...options, synthesize: yosys.synthesize })).cached).toBe(
      1,
    );
    expect(yosys.calls).toHaveLength(1);
  });
});
