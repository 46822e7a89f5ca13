import { existsSync, readFileSync } from 'node:fs';
import { projectPath } from '../../generators/emit/paths.ts';
import type { SynthEngine, SynthTarget } from '../synth/types.ts';
import { AREA_RESOURCES, type AreaFigures, type AreaResource } from './results.ts';

/** The checked-in baseline file. */
export const BASELINES_PATH = projectPath('ip', 'baselines.json');

/** The targets every catalog IP has a baseline for (the README's area table shows the same two). */
export const BASELINE_TARGETS = ['ice40', 'xc7'] as const satisfies readonly SynthTarget[];
export type BaselineTarget = (typeof BASELINE_TARGETS)[number];

/** An IP may grow by this fraction of its baseline in any resource before the area test fails. */
export const AREA_TOLERANCE = 0.05;

export interface BaselineEntry {
  area: Partial<Record<BaselineTarget, AreaFigures>>;
  /** Achieved Fmax on the Fmax device, MHz; recorded for the docs, not guarded. */
  fmaxMhz?: number;
  /** Per target, the synthesis fingerprint the area was measured under (see synthesis-key.ts). */
  keys?: Partial<Record<BaselineTarget, string>>;
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
  fmax?: { device: string; nextpnr: string; seed: number };
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
        const keys = Object.fromEntries(
          BASELINE_TARGETS.filter((t) => e.keys?.[t] !== undefined).map((t) => [t, e.keys![t]]),
        );
        return [
          ip,
          {
            area,
            ...(e.fmaxMhz === undefined ? {} : { fmaxMhz: e.fmaxMhz }),
            ...(Object.keys(keys).length === 0 ? {} : { keys }),
          },
        ];
      }),
  );
  const ordered = {
    engine: b.engine,
    yosys: b.yosys,
    tolerance: b.tolerance,
    ...(b.fmax === undefined ? {} : { fmax: b.fmax }),
    ips,
  };
  return JSON.stringify(ordered, null, 2) + '\n';
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
