import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderTemplate } from '../../generators/emit/templates.ts';
import { BITSMITH_VERSION } from '../../generators/emit/version.ts';
import { readBaselines, type Baselines, type FmaxBaselineTarget } from './baselines.ts';
import type { PackageContents } from './readme.ts';
import { readResults, writeAtomically, type AreaFigures, type IpResults } from './results.ts';

/** One catalog entry for the index: built (a package in outDir) or failed with a reason. */
export interface IndexEntry {
  ip: string;
  error?: string;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

interface IpJson {
  ip: string;
  generator: string;
  module: string;
  description: string;
  params: Record<string, unknown>;
  timing: { kind: 'comb' } | { kind: 'pipelined'; latency: number; ready: boolean };
  package?: PackageContents;
}

/**
 * `<outDir>/index.html`: every IP with its parameters, area, Fmax, conformance status and links to
 * its files. A static page (relative links, inline CSS, no script), so it opens from the disk.
 */
export function writeIndexPage(
  outDir: string,
  entries: readonly IndexEntry[],
  baselines = readBaselines(),
): string {
  const path = join(resolve(outDir), 'index.html');
  writeAtomically(path, renderIndexPage(outDir, entries, baselines));
  return path;
}

export function renderIndexPage(
  outDir: string,
  entries: readonly IndexEntry[],
  baselines: Baselines | undefined,
): string {
  const rows = entries.map((entry) => indexRow(resolve(outDir), entry, baselines));
  const failed = rows.filter((r) => r.statusClass === 'fail' || r.statusClass === 'error').length;
  return renderTemplate('ip/index.html.hbs', {
    version: BITSMITH_VERSION,
    count: rows.length,
    failed,
    baselineNote: baselines
      ? escapeHtml(
          `Area and Fmax not measured in this build come from ip/baselines.json (${baselines.yosys}, ${baselines.engine}), marked “baseline”.`,
        )
      : '',
    rows,
  });
}

function indexRow(outDir: string, entry: IndexEntry, baselines: Baselines | undefined) {
  const ip = escapeHtml(entry.ip);
  const dir = join(outDir, entry.ip);
  const ipJsonPath = join(dir, 'ip.json');
  if (entry.error !== undefined || !existsSync(ipJsonPath)) {
    return {
      id: ip,
      ip,
      error: escapeHtml(entry.error ?? 'not built'),
      statusClass: 'error',
      status: 'ERROR',
    };
  }
  const info = JSON.parse(readFileSync(ipJsonPath, 'utf8')) as IpJson;
  const results: IpResults = readResults(dir);
  const base = baselines?.ips[entry.ip];
  const href = (file: string) => escapeHtml(`${encodeURIComponent(entry.ip)}/${file}`);
  const area = (target: 'ice40' | 'xc7') => {
    const measured = results.area?.[target];
    const figures: AreaFigures | undefined = measured ?? base?.area[target];
    if (figures === undefined) return { text: '–', source: '' };
    const dsp = figures.dsps > 0 ? ` / ${figures.dsps} DSP` : '';
    return {
      text: escapeHtml(`${figures.luts} LUT / ${figures.ffs} FF${dsp}`),
      source: measured ? '' : 'baseline',
    };
  };
  const fmax = (t: FmaxBaselineTarget) => {
    const mhz = results.fmax?.[t]?.mhz ?? base?.fmax?.[t];
    return {
      text: mhz === undefined ? '–' : mhz.toFixed(1),
      source: results.fmax?.[t] !== undefined || mhz === undefined ? '' : 'baseline',
    };
  };
  const c = results.conformance;
  const status = c === undefined ? 'not run' : c.passed ? 'PASS' : 'FAIL';
  const contents = info.package;
  const link = (file: string, label: string) => ({ href: href(file), label: escapeHtml(label), file: false });
  const links = [
    link('README.md', 'README'),
    ...(contents?.rtlFiles ?? []).map((f) => ({ ...link(f, f), file: true })),
    ...(contents?.hlsFiles.length ? [link('hls/', 'HLS C++')] : []),
    link(`${entry.ip}.core`, 'FuseSoC core'),
    link(`${entry.ip}.f`, 'file list'),
    ...(contents?.tb ? [link(contents.tb.testbench, 'testbench')] : []),
    link('vendor/vivado.tcl', 'Vivado TCL'),
    link('vendor/quartus.tcl', 'Quartus TCL'),
    ...(contents?.schematic ? [link('doc/schematic.svg', 'schematic')] : []),
    ...(contents?.waveform ? [link('doc/handshake.svg', 'timing')] : []),
  ];
  return {
    id: ip,
    ip,
    description: escapeHtml(info.description),
    module: escapeHtml(info.module),
    generator: escapeHtml(info.generator),
    latency:
      info.timing.kind === 'comb' ? 'comb.' : `${info.timing.latency}${info.timing.ready ? ', rdy' : ''}`,
    params: Object.entries(info.params).map(([k, v]) =>
      escapeHtml(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`),
    ),
    ice40: area('ice40'),
    xc7: area('xc7'),
    fmaxIce40: fmax('ice40'),
    fmaxEcp5: fmax('ecp5'),
    statusClass: c === undefined ? 'none' : c.passed ? 'pass' : 'fail',
    status,
    statusDetail:
      c === undefined
        ? ''
        : escapeHtml(
            `${c.vectors} vectors; ${c.simulators.map((s) => `${s.name} ${s.passed}/${s.passed + s.failed}`).join(', ')}; lint ${c.lint}`,
          ),
    thumbnail: contents?.schematic ? href('doc/schematic.svg') : '',
    links,
    error: '',
  };
}
