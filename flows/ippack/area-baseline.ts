import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emitVerilog } from '../../generators/emit/verilog.ts';
import type { CatalogEntry } from '../../ip/catalog.ts';
import { measureFmax } from '../pnr/fmax.ts';
import { FMAX_DEVICES, FMAX_SEED } from '../pnr/devices.ts';
import { synthesize } from '../synth/synthesize.ts';
import type { SynthEngine, SynthTarget } from '../synth/types.ts';
import { resolveTarget, type Target } from '../target.ts';
import { AREA_TOLERANCE, BASELINE_TARGETS, type Baselines, type BaselineEntry } from './baselines.ts';
import { AREA_RESOURCES, type AreaFigures } from './results.ts';
import { synthesisKey } from './synthesis-key.ts';
import { nextpnrVersion, yosysVersion } from './tool-versions.ts';

/** Synthesizes a unit for one target in `workDir` and returns its area figures. */
export async function measureArea(
  target: Target,
  synthTarget: SynthTarget,
  engine: SynthEngine,
  workDir: string,
): Promise<AreaFigures> {
  const rtlFiles = await writeRtl(target, join(workDir, 'rtl'));
  const report = await synthesize({
    files: rtlFiles,
    top: target.module.name,
    target: synthTarget,
    engine,
    workDir: join(workDir, synthTarget),
  });
  return Object.fromEntries(AREA_RESOURCES.map((r) => [r, report[r]])) as AreaFigures;
}

async function writeRtl(target: Target, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = emitVerilog(target.module);
  await Promise.all(files.map((f) => writeFile(join(dir, f.fileName), f.text)));
  return files.map((f) => join(dir, f.fileName));
}

/** Runs `work` over `items` with at most `jobs` running at once; results in the items' order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  jobs: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}

/** A limiter: `limit(fn)` runs fn when fewer than `jobs` limited calls are running. */
export function limiter(jobs: number): <R>(work: () => Promise<R>) => Promise<R> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (running >= jobs) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

export interface MeasureOptions {
  engine: SynthEngine;
  workRoot: string;
  jobs: number;
  /** Also measure Fmax (skipped with a note when nextpnr-ice40 is missing). */
  fmax: boolean;
  /**
   * Figures recorded before, with the same engine and Yosys version: an IP whose synthesis fingerprints
   * are unchanged keeps its area (and Fmax) instead of being synthesized and placed again.
   */
  previous?: Baselines;
  onStep?: (ip: string, step: string) => void;
}

/**
 * Measure every catalog entry on the baseline targets (and its Fmax), `jobs` Yosys runs at a time.
 * The result is a complete baseline file; an entry that fails to build is an Error naming it.
 */
export async function measureBaselines(
  entries: readonly CatalogEntry[],
  options: MeasureOptions,
): Promise<{ baselines: Baselines; notes: string[] }> {
  const yosys = await yosysVersion(options.engine);
  if (yosys === undefined) {
    throw new Error(
      'yosys is not installed (Debian package yosys): the baselines are recorded with the native binary',
    );
  }
  const notes: string[] = [];
  const jobs = entries.flatMap((entry) => [
    ...BASELINE_TARGETS.map((t) => ({ entry, kind: t as SynthTarget | 'fmax' })),
    ...(options.fmax ? [{ entry, kind: 'fmax' as const }] : []),
  ]);
  const measured = await mapLimit(jobs, options.jobs, async ({ entry, kind }) => {
    options.onStep?.(entry.name, kind === 'fmax' ? 'fmax' : `synth ${kind}`);
    let target: Target;
    try {
      target = resolveTarget(entry.name);
    } catch (error) {
      throw new Error(`${entry.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const workDir = join(options.workRoot, entry.name);
    const before = options.previous?.yosys === yosys ? options.previous.ips[entry.name] : undefined;
    const unchanged = (t: (typeof BASELINE_TARGETS)[number]) =>
      before?.keys?.[t] !== undefined && before.keys[t] === synthesisKey(target, t);
    if (
      kind !== 'fmax' &&
      unchanged(kind as (typeof BASELINE_TARGETS)[number]) &&
      before?.area[kind as (typeof BASELINE_TARGETS)[number]] !== undefined
    ) {
      return {
        ip: entry.name,
        kind,
        area: before.area[kind as (typeof BASELINE_TARGETS)[number]]!,
        key: before.keys![kind as (typeof BASELINE_TARGETS)[number]]!,
      };
    }
    if (kind === 'fmax' && before?.fmaxMhz !== undefined && BASELINE_TARGETS.every(unchanged)) {
      return { ip: entry.name, kind, fmax: before.fmaxMhz };
    }
    if (kind !== 'fmax') {
      const area = await measureArea(target, kind, options.engine, workDir);
      return { ip: entry.name, kind, area, key: synthesisKey(target, kind) };
    }
    const rtl = await writeRtl(target, join(workDir, 'rtl'));
    const outcome = await measureFmax({
      module: target.module,
      rtlFiles: rtl,
      target: 'ice40',
      engine: options.engine,
      workDir: join(workDir, 'pnr'),
    });
    if ('skipped' in outcome) notes.push(`${entry.name}: ${outcome.skipped}`);
    return { ip: entry.name, kind, fmax: 'fmax' in outcome ? outcome.fmax.mhz : undefined };
  });
  const ips: Record<string, BaselineEntry> = {};
  for (const m of measured) {
    const e = (ips[m.ip] ??= { area: {} });
    if ('area' in m) {
      const t = m.kind as (typeof BASELINE_TARGETS)[number];
      e.area[t] = m.area;
      (e.keys ??= {})[t] = m.key;
    } else if ('fmax' in m && m.fmax !== undefined) e.fmaxMhz = m.fmax;
  }
  const nextpnr = options.fmax ? await nextpnrVersion() : undefined;
  const fmaxMeasured = Object.values(ips).some((e) => e.fmaxMhz !== undefined);
  return {
    baselines: {
      engine: options.engine,
      yosys,
      tolerance: AREA_TOLERANCE,
      ...(fmaxMeasured && nextpnr !== undefined
        ? { fmax: { device: FMAX_DEVICES.ice40!.name, nextpnr, seed: FMAX_SEED } }
        : {}),
      ips,
    },
    notes: [...new Set(notes.map((n) => n.replace(/^[^:]+: /, '')))],
  };
}
