import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emitVerilog } from '../../generators/emit/verilog.ts';
import type { CatalogEntry } from '../../ip/catalog.ts';
import { measureFmax } from '../pnr/fmax.ts';
import { FMAX_DEVICES, FMAX_SEED } from '../pnr/devices.ts';
import { synthesize } from '../synth/synthesize.ts';
import type { SynthEngine, SynthTarget } from '../synth/types.ts';
import { resolveTarget, type Target } from '../target.ts';
import {
  AREA_TOLERANCE,
  FMAX_BASELINE_TARGETS,
  FMAX_TOLERANCE,
  fmaxDevicesOf,
  areaTargetsOf,
  type BaselineEntry,
  type Baselines,
  type BaselineTarget,
  type FmaxBaselineTarget,
} from './baselines.ts';
import { AREA_RESOURCES, type AreaFigures } from './results.ts';
import { fmaxKey, synthesisKey } from './synthesis-key.ts';
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
  /** Also measure Fmax on every baseline device (skipped with a note when its nextpnr is missing). */
  fmax: boolean;
  /**
   * Figures recorded before, with the same engine and Yosys version: an IP whose synthesis fingerprints
   * are unchanged keeps its area (and Fmax) instead of being synthesized and placed again.
   */
  previous?: Baselines;
  /** Measure only these IPs; every other catalog IP keeps its previous figures. */
  only?: readonly string[];
  onStep?: (ip: string, step: string) => void;
  /** Each figure as soon as it is measured (not the ones kept from `previous`), e.g. to save it at once. */
  onMeasured?: (figure: Measured) => void;
}

type Job =
  | { entry: CatalogEntry; kind: 'area'; target: BaselineTarget }
  | { entry: CatalogEntry; kind: 'fmax'; target: FmaxBaselineTarget };

export type Measured =
  | { ip: string; kind: 'area'; target: BaselineTarget; area: AreaFigures; key: string }
  | { ip: string; kind: 'fmax'; target: FmaxBaselineTarget; key: string; mhz?: number; skipped?: string };

/**
 * Measure every catalog entry on the baseline targets (and its Fmax on the baseline devices), `jobs`
 * tool runs at a time. The result is a complete baseline file; an entry that fails to build is an
 * Error naming it.
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
  const previous = options.previous?.yosys === yosys ? options.previous : undefined;
  const nextpnr = Object.fromEntries(
    await Promise.all(
      FMAX_BASELINE_TARGETS.map(async (t) => [t, await nextpnrVersion(FMAX_DEVICES[t].pnr)] as const),
    ),
  ) as Record<FmaxBaselineTarget, string | undefined>;
  const jobs: Job[] = entries.flatMap((entry) => [
    ...areaTargetsOf(entry).map((target) => ({ entry, kind: 'area' as const, target })),
    ...(options.fmax ? fmaxDevicesOf(entry).map((target) => ({ entry, kind: 'fmax' as const, target })) : []),
  ]);
  /** The figure recorded before for a job, with the fingerprint it was measured under. */
  const kept = (job: Job): Measured | undefined => {
    const before = previous?.ips[job.entry.name];
    const ip = job.entry.name;
    if (job.kind === 'area') {
      const [area, key] = [before?.area[job.target], before?.keys?.[job.target]];
      return area === undefined || key === undefined
        ? undefined
        : { ip, kind: 'area', target: job.target, area, key };
    }
    const key = before?.fmaxKeys?.[job.target];
    const [mhz, skipped] = [before?.fmax?.[job.target], before?.fmaxSkipped?.[job.target]];
    const sameTools = previous?.fmax?.[job.target]?.nextpnr === nextpnr[job.target];
    if (!sameTools || key === undefined || (mhz === undefined && skipped === undefined)) return undefined;
    return { ip, kind: 'fmax', target: job.target, key, mhz, skipped };
  };
  const measuredNow = (figure: Measured): Measured => {
    options.onMeasured?.(figure);
    return figure;
  };
  const measured = await mapLimit(jobs, options.jobs, async (job): Promise<Measured | undefined> => {
    const { entry } = job;
    const before = kept(job);
    if (options.only !== undefined && !options.only.includes(entry.name)) return before;
    let target: Target;
    try {
      target = resolveTarget(entry.name);
    } catch (error) {
      throw new Error(`${entry.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const workDir = join(options.workRoot, entry.name);
    if (job.kind === 'area') {
      const key = synthesisKey(target, job.target);
      if (before?.key === key) return before;
      options.onStep?.(entry.name, `synth ${job.target}`);
      const area = await measureArea(target, job.target, options.engine, workDir);
      return measuredNow({ ip: entry.name, kind: 'area', target: job.target, area, key });
    }
    const key = fmaxKey(target, job.target);
    if (before?.key === key) return before;
    options.onStep?.(entry.name, `fmax ${job.target}`);
    const rtl = await writeRtl(target, join(workDir, `rtl-${job.target}`));
    const outcome = await measureFmax({
      module: target.module,
      rtlFiles: rtl,
      target: job.target,
      engine: options.engine,
      workDir: join(workDir, 'pnr', job.target),
    });
    if ('skipped' in outcome) notes.push(`${entry.name} on ${job.target}: ${outcome.skipped}`);
    return measuredNow(
      'fmax' in outcome
        ? { ip: entry.name, kind: 'fmax', target: job.target, key, mhz: outcome.fmax.mhz }
        : { ip: entry.name, kind: 'fmax', target: job.target, key, skipped: outcome.skipped },
    );
  });
  const ips: Record<string, BaselineEntry> = {};
  for (const m of measured) if (m !== undefined) recordFigure(ips, m);
  const fmax = Object.fromEntries(
    FMAX_BASELINE_TARGETS.filter(
      (t) => nextpnr[t] !== undefined && Object.values(ips).some((e) => e.fmaxKeys?.[t] !== undefined),
    ).map((t) => [t, { device: FMAX_DEVICES[t].name, nextpnr: nextpnr[t]!, seed: FMAX_SEED }]),
  );
  return {
    baselines: {
      engine: options.engine,
      yosys,
      tolerance: AREA_TOLERANCE,
      fmaxTolerance: FMAX_TOLERANCE,
      ...(Object.keys(fmax).length > 0 ? { fmax } : {}),
      ips,
    },
    notes: [...new Set(notes)],
  };
}

/** Put one figure, with the fingerprint it was measured under, into a baseline's IP entries. */
export function recordFigure(ips: Record<string, BaselineEntry>, m: Measured): void {
  const e = (ips[m.ip] ??= { area: {} });
  if (m.kind === 'area') {
    e.area[m.target] = m.area;
    (e.keys ??= {})[m.target] = m.key;
    return;
  }
  // A tool that is missing measures nothing: no figure, no fingerprint.
  if (m.skipped?.includes('is not installed')) return;
  delete e.fmax?.[m.target];
  delete e.fmaxSkipped?.[m.target];
  if (m.mhz !== undefined) (e.fmax ??= {})[m.target] = m.mhz;
  if (m.skipped !== undefined) (e.fmaxSkipped ??= {})[m.target] = m.skipped;
  (e.fmaxKeys ??= {})[m.target] = m.key;
}
