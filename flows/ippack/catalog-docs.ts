import { readFileSync } from 'node:fs';
import { projectPath } from '../../generators/emit/paths.ts';
import { renderTemplate } from '../../generators/emit/templates.ts';
import type { CatalogEntry } from '../../ip/catalog.ts';
import { resolveTarget } from '../target.ts';
import { FMAX_DEVICES } from '../pnr/devices.ts';
import { FMAX_BASELINE_TARGETS, FMAX_TOLERANCE, type BaselineTarget, type Baselines } from './baselines.ts';
import { portRows } from './ports.ts';

/** The generated catalog documentation, checked in and compared in CI. */
export const CATALOG_DOCS_PATH = projectPath('ip', 'README.md');

const cell = (text: string) => text.replace(/\|/g, '\\|');

/**
 * ip/README.md from the catalog and the baselines: an overview table (latency, area, Fmax) and, per
 * IP, its parameters and ports. Depends on nothing else, so CI can check the file is up to date.
 */
export function renderCatalogDocs(
  entries: readonly CatalogEntry[],
  baselines: Baselines | undefined,
): string {
  const ips = entries.map((entry) => {
    const target = resolveTarget(entry.name);
    const m = target.module;
    const base = baselines?.ips[entry.name];
    const area = (t: BaselineTarget) => {
      const a = base?.area[t];
      return a === undefined ? { luts: '–', ffs: '–', carries: '–', dsps: '–' } : a;
    };
    return {
      name: entry.name,
      anchor: entry.name.toLowerCase().replace(/[^a-z0-9_-]/g, ''),
      description: cell(entry.description),
      generator: entry.generator,
      summary: target.generator.summary,
      module: m.name,
      latency:
        m.timing.kind === 'comb'
          ? '0 (comb.)'
          : m.timing.kind === 'sequential'
            ? 'streams'
            : `${m.timing.latency}${m.timing.ready ? ', valid/ready' : ''}`,
      ice40: area('ice40'),
      ecp5: area('ecp5'),
      xc7: area('xc7'),
      fmax: Object.fromEntries(
        FMAX_BASELINE_TARGETS.map((t) => {
          const mhz = base?.fmax?.[t];
          return [t.replace('-', ''), mhz === undefined ? '–' : mhz.toFixed(1)];
        }),
      ),
      params: Object.entries(target.params).map(([name, value]) => ({
        name,
        value: typeof value === 'string' ? value : JSON.stringify(value),
      })),
      ports: portRows(m)
        .filter((p) => !p.control)
        .map((p) => ({ ...p, doc: cell(p.doc) })),
      control: portRows(m)
        .filter((p) => p.control)
        .map((p) => p.name)
        .join(', '),
    };
  });
  return renderTemplate('ip/catalog.md.hbs', {
    count: ips.length,
    ips,
    baselines: baselines
      ? {
          yosys: baselines.yosys,
          engine: baselines.engine,
          tolerance: Math.round(baselines.tolerance * 100),
          fmaxTolerance: Math.round((baselines.fmaxTolerance ?? FMAX_TOLERANCE) * 100),
          fmax: FMAX_BASELINE_TARGETS.flatMap((t) => {
            const setup = baselines.fmax?.[t];
            const device = FMAX_DEVICES[t];
            return setup === undefined ? [] : [{ ...setup, family: device.family, pnr: device.pnr }];
          }),
        }
      : false,
  });
}

/** Whether the checked-in ip/README.md is what the catalog renders to now. */
export function catalogDocsUpToDate(expected: string, path = CATALOG_DOCS_PATH): boolean {
  try {
    return readFileSync(path, 'utf8') === expected;
  } catch {
    return false;
  }
}
