import { existsSync, readFileSync } from 'node:fs';
import { projectPath } from '../../generators/emit/paths.ts';
import type { FmaxTarget } from '../pnr/devices.ts';
import type { SynthEngine, SynthTarget } from '../synth/types.ts';
import { AREA_RESOURCES, type AreaFigures, type AreaResource } from './results.ts';

/** The checked-in baseline file. */
export const BASELINES_PATH = projectPath('ip', 'baselines.json');

/** The targets every catalog IP has an area baseline for. */
export const BASELINE_TARGETS = ['ice40', 'ecp5', 'xc7'] as const satisfies readonly SynthTarget[];
export type BaselineTarget = (typeof BASELINE_TARGETS)[number];

/** The devices every catalog IP has an Fmax baseline for: iCE40 HX8K, ECP5-85 speed 6 and speed 8. */
export const FMAX_BASELINE_TARGETS = ['ice40', 'ecp5', 'ecp5-8'] as const satisfies readonly FmaxTarget[];
export type FmaxBaselineTarget = (typeof FMAX_BASELINE_TARGETS)[number];

/** The devices whose Fmax the baselines record for a catalog entry. */
export function fmaxDevicesOf(entry: {
  fmaxDevices?: readonly FmaxBaselineTarget[];
}): readonly FmaxBaselineTarget[] {
  return entry.fmaxDevices ?? FMAX_BASELINE_TARGETS;
}

/** The targets whose area the baselines record for a catalog entry. */
export function areaTargetsOf(entry: { areaTargets?: readonly BaselineTarget[] }): readonly BaselineTarget[] {
  return entry.areaTargets ?? BASELINE_TARGETS;
}

/** An IP may grow by this fraction of its baseline in any resource before the area test fails. */
export const AREA_TOLERANCE = 0.05;

/** An IP's Fmax may drop by this fraction of its baseline before the Fmax test fails. */
export const FMAX_TOLERANCE = 0.1;

export interface BaselineEntry {
  area: Partial<Record<BaselineTarget, AreaFigures>>;
  /** Per target, the synthesis fingerprint the area was measured under (see synthesis-key.ts). */
  keys?: Partial<Record<BaselineTarget, string>>;
  /** Achieved Fmax per device, MHz (registered I/O, fixed seed). */
  fmax?: Partial<Record<FmaxBaselineTarget, number>>;
  /** Why a device has no Fmax (the unit does not fit it). */
  fmaxSkipped?: Partial<Record<FmaxBaselineTarget, string>>;
  /** Per device, the fingerprint (Verilog, wrapper, scripts, nextpnr arguments) the Fmax was measured under. */
  fmaxKeys?: Partial<Record<FmaxBaselineTarget, string>>;
}

/** The tools and settings an Fmax baseline was measured with, per device. */
export interface FmaxSetup {
  device: string;
  nextpnr: string;
  seed: number;
}

/**
 * Area per catalog IP and target, with the Yosys that measured it: synth_ice40 and synth_xilinx give
 * different counts in different Yosys versions (Debian's 0.23 and @yowasp/yosys 0.55 differ by several
 * percent on the same design), so a baseline is only compared with figures of the same engine and version.
 */
export interface Baselines {
  engine: SynthEngine;
  yosys: string;
  tolerance: number;
  fmaxTolerance?: number;
  fmax?: Partial<Record<FmaxBaselineTarget, FmaxSetup>>;
  ips: Record<string, BaselineEntry>;
}

export function readBaselines(path = BASELINES_PATH): Baselines | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as Baselines;
}

/** The baseline file's text: keys in a fixed order, so a rewrite with the same figures is byte-identical. */
export function formatBaselines(b: Baselines): string {
  const ips = Object.fromEntries(
    Object.keys(b.ips)
      .sort()
      .map((ip) => {
        const e = b.ips[ip]!;
        const area = Object.fromEntries(
          BASELINE_TARGETS.filter((t) => e.area[t] !== undefined).map((t) => [t, figures(e.area[t]!)]),
        );
        const entry: Record<string, unknown> = { area };
        for (const [key, value] of [
          ['keys', inOrder(e.keys, BASELINE_TARGETS)],
          ['fmax', inOrder(e.fmax, FMAX_BASELINE_TARGETS)],
          ['fmaxSkipped', inOrder(e.fmaxSkipped, FMAX_BASELINE_TARGETS)],
          ['fmaxKeys', inOrder(e.fmaxKeys, FMAX_BASELINE_TARGETS)],
        ] as const) {
          if (value !== undefined) entry[key] = value;
        }
        return [ip, entry];
      }),
  );
  const fmax = inOrder(b.fmax, FMAX_BASELINE_TARGETS);
  const ordered = {
    engine: b.engine,
    yosys: b.yosys,
    tolerance: b.tolerance,
    ...(b.fmaxTolerance === undefined ? {} : { fmaxTolerance: b.fmaxTolerance }),
    ...(fmax === undefined ? {} : { fmax }),
    ips,
  };
  return JSON.stringify(ordered, null, 2) + '\n';
}

/** The record's entries in the targets' order, or undefined when it has none. */
function inOrder<T>(record: Partial<Record<string, T>> | undefined, targets: readonly string[]) {
  const picked = Object.fromEntries(
    targets.filter((t) => record?.[t] !== undefined).map((t) => [t, record![t]]),
  );
  return Object.keys(picked).length === 0 ? undefined : picked;
}

function figures(a: AreaFigures): AreaFigures {
  return Object.fromEntries(AREA_RESOURCES.map((r) => [r, a[r]])) as AreaFigures;
}

export interface AreaGrowth {
  resource: AreaResource;
  baseline: number;
  measured: number;
}

/**
 * The resources that grew by more than `tolerance` over the baseline. From a baseline of 0, any use
 * is growth (an IP that starts to take a DSP block). Shrinking is never a failure.
 */
export function areaGrowth(
  baseline: AreaFigures,
  measured: AreaFigures,
  tolerance = AREA_TOLERANCE,
): AreaGrowth[] {
  return AREA_RESOURCES.filter((r) => measured[r] > baseline[r] * (1 + tolerance) + 1e-9).map((r) => ({
    resource: r,
    baseline: baseline[r],
    measured: measured[r],
  }));
}

export function describeGrowth(
  ip: string,
  target: string,
  growth: AreaGrowth[],
  tolerance = AREA_TOLERANCE,
): string {
  const parts = growth.map((g) => {
    const pct =
      g.baseline === 0 ? 'from 0' : `+${(((g.measured - g.baseline) / g.baseline) * 100).toFixed(1)}%`;
    return `${g.resource} ${g.baseline} -> ${g.measured} (${pct})`;
  });
  return (
    `${ip} on ${target} grew more than ${Math.round(tolerance * 100)}% over its baseline: ${parts.join(', ')}. ` +
    'If the growth is intended, run `bitsmith baseline --update` and commit ip/baselines.json.'
  );
}

/** Whether a measured Fmax dropped more than the tolerance below its baseline; a rise is never a failure. */
export function fmaxDropped(baselineMhz: number, measuredMhz: number, tolerance = FMAX_TOLERANCE): boolean {
  return measuredMhz < baselineMhz * (1 - tolerance) - 1e-9;
}

export function describeFmaxDrop(
  ip: string,
  target: string,
  baselineMhz: number,
  measuredMhz: number,
  tolerance = FMAX_TOLERANCE,
): string {
  const pct = (((measuredMhz - baselineMhz) / baselineMhz) * 100).toFixed(1);
  return (
    `${ip} on ${target} lost more than ${Math.round(tolerance * 100)}% of its Fmax baseline: ` +
    `${baselineMhz.toFixed(2)} -> ${measuredMhz.toFixed(2)} MHz (${pct}%). ` +
    'If the drop is intended, run `bitsmith baseline --update` and commit ip/baselines.json.'
  );
}
