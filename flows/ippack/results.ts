import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ConformanceReport } from '../../testbenches/conformance.ts';
import type { LintResult } from '../../testbenches/sim/lint.ts';
import { removeStaleFolders } from '../../testbenches/sim/stale-folders.ts';
import type { FmaxTarget } from '../pnr/devices.ts';
import type { AreaReport, SynthEngine, SynthTarget } from '../synth/types.ts';

/** The resources a baseline guards and a README shows. */
export const AREA_RESOURCES = ['luts', 'ffs', 'carries', 'dsps', 'rams'] as const;
export type AreaResource = (typeof AREA_RESOURCES)[number];
export type AreaFigures = Record<AreaResource, number>;

/** Area of one synthesis run, with the Yosys that produced it (figures differ between Yosys versions). */
export interface AreaResult extends AreaFigures {
  engine: SynthEngine;
  yosys: string;
}

export interface ConformanceSummary {
  vectors: number;
  description: string;
  seed: number;
  lint: 'clean' | 'warnings';
  simulators: { name: string; passed: number; failed: number }[];
  passed: boolean;
}

export interface FmaxResult {
  /** Achieved Fmax of the clock in MHz, from nextpnr's --report JSON. */
  mhz: number;
  device: string;
  nextpnr: string;
  yosys: string;
  seed: number;
  /** LUTs / FFs of the whole wrapper (unit + registered I/O) as placed. */
  logicCells: number;
}

/**
 * What was measured for one generated IP, kept in out/<ip>/results.json so that every later step
 * (verify, synth, pnr) adds to it and the README is rendered from all of it. Only deterministic
 * figures go here: counts and Fmax, never run times.
 */
export interface IpResults {
  conformance?: ConformanceSummary;
  area?: Partial<Record<SynthTarget, AreaResult>>;
  /** Per device (ice40, ecp5 speed 6, ecp5-8 speed 8, ...). */
  fmax?: Partial<Record<FmaxTarget, FmaxResult>>;
  /** Parts that were skipped, each with its reason (a missing tool names its Debian package). */
  notes?: Record<string, string>;
  /** Set while a verify runs, which removes the conformance it replaces; a run that was killed leaves it. */
  inProgress?: string;
}

export const RESULTS_FILE = 'results.json';

export function readResults(pkgDir: string): IpResults {
  const path = join(pkgDir, RESULTS_FILE);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as IpResults) : {};
}

/** Merge `patch` into the package's results (per area target, Fmax device and note) and write them back. */
export function mergeResults(pkgDir: string, patch: IpResults): IpResults {
  const old = readResults(pkgDir);
  const merged: IpResults = {
    ...old,
    ...patch,
    ...(old.area || patch.area ? { area: sortKeys({ ...old.area, ...patch.area }) } : {}),
    ...(old.fmax || patch.fmax ? { fmax: sortKeys({ ...old.fmax, ...patch.fmax }) } : {}),
    ...(old.notes || patch.notes ? { notes: sortKeys({ ...old.notes, ...patch.notes }) } : {}),
  };
  writeAtomically(join(pkgDir, RESULTS_FILE), JSON.stringify(merged, null, 2) + '\n');
  return merged;
}

export function conformanceSummary(lint: LintResult, report: ConformanceReport): ConformanceSummary {
  return {
    vectors: report.vectors,
    description: report.description,
    seed: report.seed,
    lint: lint.clean ? 'clean' : 'warnings',
    simulators: report.results.map((r) => ({ name: r.simulator, passed: r.passed, failed: r.failed })),
    passed: lint.clean && report.passed,
  };
}

export function areaResult(report: AreaReport, engine: SynthEngine, yosys: string): AreaResult {
  return {
    luts: report.luts,
    ffs: report.ffs,
    carries: report.carries,
    dsps: report.dsps,
    rams: report.rams,
    engine,
    yosys,
  };
}

/** Write a file so that readers see the old or the new content, never half of one. */
export function writeAtomically(path: string, text: string): void {
  removeStaleFolders(dirname(path), `${basename(path)}.tmp-`);
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

function sortKeys<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b))) as T;
}
