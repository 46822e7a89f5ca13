// Synthesized dequantizer and MAC costs for weight formats the catalog has no figures for (`explore
// --synth`), cached by the synthesis fingerprint (flows/ippack/synthesis-key.ts: the Verilog, the Yosys command and
// script) and the Yosys version, so a second run synthesizes nothing (docs/explore.md#hardware-cost).

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ELEMENT_NAMES, SCALE_NAMES } from '../../generators/dequant/elements.ts';
import { GEMV_WEIGHT_FORMATS } from '../../generators/formats/gemv-weights.ts';
import { GEMV_SCALES } from '../../generators/gemv/gemv.ts';
import { MIXED_WEIGHTS } from '../../generators/mac/mixed_mac.ts';
import { estimateFmax } from '../../generators/timing/estimate.ts';
import { synthesisKey } from '../ippack/synthesis-key.ts';
import { writeAtomically } from '../ippack/results.ts';
import { resolveTarget, type Target } from '../target.ts';
import type { AreaReport, SynthEngine } from '../synth/types.ts';
import type { ExploreTarget, UnitCost } from './explore.ts';
import type { WeightFormat } from './quantize.ts';

/** Lanes of a synthesized dequantizer (the catalog's 4-bit dequantizers have 8); fewer when the group is smaller. */
export const SYNTH_LANES = 8;

const SELECTOR_ELEMENTS: Record<string, string> = {
  razer: 'razer_ocp',
  bitmod_fp4: 'bitmod_fp4_mixed',
  bitmod_fp3: 'bitmod_fp3_mixed',
};
const ZERO_POINTS: Record<number, string> = { 4: 'uint4', 8: 'uint8' };

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * A synthesized dequantizer's latency: the catalog's (7 to 9), so that its area compares with theirs.
 * From latency 7 a table's entries are registered before the lanes select from them; with fewer stages
 * Yosys's mapping copies each entry into every lane, and 8 lanes of int4 × fp16 take 940 LUT4 each at
 * latency 1 against 435 at latency 8 on ECP5.
 */
export const SYNTH_DEQUANT_LATENCY = 8;

/**
 * The `dequant` parameters of a weight format (FP16 out, SYNTH_DEQUANT_LATENCY, its own scale and
 * group), or the reason the generator has no such unit.
 */
export function dequantParams(w: WeightFormat): { params: Record<string, unknown> } | { reason: string } {
  const lanes = gcd(SYNTH_LANES, w.group);
  const base = { lanes, groupSize: w.group, outFormat: 'fp16', latency: SYNTH_DEQUANT_LATENCY };
  const element = (name: string) => (ELEMENT_NAMES as readonly string[]).includes(name);
  switch (w.kind) {
    case 'scalar':
      if (!element(w.format.name))
        return { reason: `the dequant generator has no element format ${w.format.name}` };
      if (!(SCALE_NAMES as readonly string[]).includes(w.scaleName))
        return { reason: `the dequant generator has no scale format ${w.scaleName}` };
      return { params: { ...base, format: w.format.name, scale: w.scaleName } };
    case 'mx':
      return { params: { ...base, format: w.name } };
    case 'nvfp4':
      return { params: { ...base, format: 'nvfp4' } };
    case 'int-asym': {
      const zero = ZERO_POINTS[w.bits];
      if (!zero) return { reason: `the dequant generator has no ${w.bits}-bit zero point` };
      return { params: { ...base, format: `uint${w.bits}`, zeroPoint: zero, scale: 'fp16' } };
    }
    case 'select': {
      const name = SELECTOR_ELEMENTS[w.name.split(':')[0]!]!;
      return { params: { ...base, format: name, scale: 'fp16' } };
    }
  }
}

/** mixed_mac's and gemv's weight for a selector format (explore's name before the group). */
const SELECTOR_WEIGHTS: Record<string, string> = { razer: 'razer', bitmod_fp4: 'bitmod' };
const MAC_SCALES = ['fp16', 'bf16', 'fp32'];

/**
 * A synthesized MAC's latency: the catalog W4A16 MAC's (its MACs take 24 to 28), so that its area
 * compares with theirs. With one stage Yosys maps the whole product and exact group sum as one cone:
 * uint4 × fp16 takes 6,409 LUT4 on ECP5 at latency 1 against 4,065 at latency 24.
 */
export const SYNTH_MAC_LATENCY = 24;

/**
 * The `mixed_mac` parameters of a weight format (fp16 activations, exact group sums, FP32 out,
 * SYNTH_MAC_LATENCY, its own scale and group), or the reason the generator has no such MAC.
 */
export function macParams(w: WeightFormat): { params: Record<string, unknown> } | { reason: string } {
  const weights = Object.keys(MIXED_WEIGHTS);
  const params = (weight: string, scale: string) => ({
    params: { weight, group: w.group, scale, latency: SYNTH_MAC_LATENCY },
  });
  switch (w.kind) {
    case 'scalar':
      if (!weights.includes(w.format.name))
        return { reason: `the mixed_mac generator has no weight format ${w.format.name}` };
      if (!MAC_SCALES.includes(w.scaleName))
        return { reason: `the mixed_mac generator has no scale format ${w.scaleName}` };
      return params(w.format.name, w.scaleName);
    case 'int-asym':
      return w.bits === 4
        ? params('uint4', 'fp16')
        : { reason: `the mixed_mac generator has no ${w.bits}-bit zero point` };
    case 'select': {
      const weight = SELECTOR_WEIGHTS[w.name.split(':')[0]!];
      return weight ? params(weight, 'fp16') : { reason: `the mixed_mac generator has no ${w.name}` };
    }
    case 'mx':
    case 'nvfp4':
      return { reason: 'the mixed_mac generator has no block scale (E8M0 or E4M3)' };
  }
}

/**
 * The shape of a synthesized GEMV core: the catalog's W4A16 one (4 rows × 8 elements per cycle, FP16
 * activations and output, products in LUTs) with its stages, so that its figures compare with the
 * catalog's (and Yosys meets registered cones: an unpipelined NF4 core took it past 15 GB).
 */
export const GEMV_SHAPE = {
  activation: 'fp16',
  rows: 4,
  lanes: 8,
  outFormat: 'fp16',
  multipliers: 'luts',
  chunkLatency: 6,
  scaleLatency: 5,
  sumLatency: 13,
  convertLatency: 5,
};

/**
 * The `gemv` parameters of a weight format (GEMV_SHAPE with its own weight, group and scale), or the
 * reason the generator has no such core.
 */
export function gemvCoreParams(w: WeightFormat): { params: Record<string, unknown> } | { reason: string } {
  const weights = Object.keys(GEMV_WEIGHT_FORMATS);
  const params = (weight: string, extra: Record<string, unknown> = {}) => {
    if (!weights.includes(weight)) return { reason: `the gemv generator has no weight format ${weight}` };
    return { params: { ...GEMV_SHAPE, weight, group: w.group, ...extra } };
  };
  switch (w.kind) {
    case 'scalar':
      if (!(GEMV_SCALES as readonly string[]).includes(w.scaleName))
        return { reason: `the gemv generator has no scale format ${w.scaleName} for ${w.format.name}` };
      return params(w.format.name, { scale: w.scaleName });
    case 'int-asym':
      return w.bits === 4
        ? params('uint4', { scale: 'fp16' })
        : { reason: `the gemv generator has no ${w.bits}-bit zero point` };
    case 'select': {
      const weight = SELECTOR_WEIGHTS[w.name.split(':')[0]!];
      return weight ? params(weight, { scale: 'fp16' }) : { reason: `the gemv generator has no ${w.name}` };
    }
    case 'mx':
    case 'nvfp4':
      return params(w.name);
  }
}

export interface CachedArea {
  unit: string;
  luts: number;
  ffs: number;
  dsps: number;
  /** The lanes of a dequantizer, 1 for a MAC, rows × lanes for a GEMV core: the figures are per lane or MAC. */
  lanes: number;
}

interface AreaCache {
  /** `<fingerprint>:<target>:<yosys version>` → the unit's area. */
  entries: Record<string, CachedArea>;
}

export const CACHE_FILE = join('explore', 'area-cache.json');

function readCache(path: string): AreaCache {
  if (!existsSync(path)) return { entries: {} };
  try {
    const cache = JSON.parse(readFileSync(path, 'utf8')) as AreaCache;
    return cache && typeof cache.entries === 'object' ? cache : { entries: {} };
  } catch {
    // A damaged cache only costs a synthesis run.
    return { entries: {} };
  }
}

export interface SynthCostOptions {
  outDir: string;
  target: ExploreTarget;
  engine: SynthEngine;
  yosys: string;
  /** Synthesizes one unit (flows/synth-ip.ts synthTarget in the CLI; a stand-in in tests). */
  synthesize: (target: Target) => Promise<AreaReport>;
  onUnit?: (format: string, unit: string, cached: boolean) => void;
}

export interface SynthCosts {
  /** Weight format name → the synthesized dequantizer's cost per lane. */
  costs: Map<string, UnitCost>;
  /** Formats without a unit, with the reason. */
  skipped: { format: string; reason: string }[];
  synthesized: number;
  cached: number;
}

/** What `--synth` builds for a format: the generator, its parameters, and how many lanes or MACs the unit has. */
interface SynthUnit {
  generator: 'dequant' | 'mixed_mac' | 'gemv';
  params: (w: WeightFormat) => { params: Record<string, unknown> } | { reason: string };
  units: (params: Record<string, unknown>) => number;
}

const DEQUANT_UNIT: SynthUnit = {
  generator: 'dequant',
  params: dequantParams,
  units: (p) => Number(p.lanes),
};
const MAC_UNIT: SynthUnit = { generator: 'mixed_mac', params: macParams, units: () => 1 };
const GEMV_UNIT: SynthUnit = {
  generator: 'gemv',
  params: gemvCoreParams,
  units: (p) => Number(p.rows) * Number(p.lanes),
};

/** The dequantizer cost of every format in `formats`, from the cache or from one synthesis run each, one at a time. */
export function synthesizedDequantCosts(
  formats: readonly WeightFormat[],
  o: SynthCostOptions,
): Promise<SynthCosts> {
  return synthesizedCosts(formats, DEQUANT_UNIT, o);
}

/** The cost of one MAC (`mixed_mac`) of every format in `formats`, as synthesizedDequantCosts. */
export function synthesizedMacCosts(
  formats: readonly WeightFormat[],
  o: SynthCostOptions,
): Promise<SynthCosts> {
  return synthesizedCosts(formats, MAC_UNIT, o);
}

/** The cost per MAC of a GEMV core (GEMV_SHAPE) of every format in `formats`, as synthesizedDequantCosts. */
export function synthesizedGemvCosts(
  formats: readonly WeightFormat[],
  o: SynthCostOptions,
): Promise<SynthCosts> {
  return synthesizedCosts(formats, GEMV_UNIT, o);
}

async function synthesizedCosts(
  formats: readonly WeightFormat[],
  unit: SynthUnit,
  o: SynthCostOptions,
): Promise<SynthCosts> {
  const path = resolve(o.outDir, CACHE_FILE);
  const cache = readCache(path);
  const result: SynthCosts = { costs: new Map(), skipped: [], synthesized: 0, cached: 0 };
  for (const w of formats) {
    const p = unit.params(w);
    if ('reason' in p) {
      result.skipped.push({ format: w.name, reason: p.reason });
      continue;
    }
    let target: Target;
    try {
      target = resolveTarget(unit.generator, p.params);
    } catch (error) {
      result.skipped.push({ format: w.name, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    const key = `${synthesisKey(target, o.target)}:${o.target}:${o.yosys}`;
    let area = cache.entries[key];
    o.onUnit?.(w.name, target.module.name, area !== undefined);
    if (area) result.cached++;
    else {
      const report = await o.synthesize(target);
      area = {
        unit: target.module.name,
        luts: report.luts,
        ffs: report.ffs,
        dsps: report.dsps,
        lanes: unit.units(p.params),
      };
      cache.entries[key] = area;
      result.synthesized++;
      mkdirSync(dirname(path), { recursive: true });
      writeAtomically(path, JSON.stringify(cache, null, 2) + '\n');
    }
    // No place and route here: the delay model's estimate (docs/timing.md), on the devices it models.
    const estimate = o.target === 'xc7' ? undefined : estimateFmax(target.module, o.target).mhz;
    result.costs.set(w.name, {
      ip: area.unit,
      lutsPerUnit: area.luts / area.lanes,
      dspsPerUnit: area.dsps / area.lanes,
      ...(estimate === undefined ? {} : { fmaxMhz: Math.round(estimate * 100) / 100, fmaxEstimated: true }),
    });
  }
  return result;
}
