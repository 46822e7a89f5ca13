// `bitsmith explore` (docs/explore.md): accuracy of weight formats on synthetic or the user's tensors,
// beside the hardware cost the baselines record for the catalog's matching dequantizer and MAC/GEMV IPs.

import { existsSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { CATALOG, type CatalogEntry } from '../../ip/catalog.ts';
import { readBaselines, type Baselines } from '../ippack/baselines.ts';
import { writeAtomically } from '../ippack/results.ts';
import { describeDistribution, parseDistribution, sample, DISTRIBUTIONS, type Distribution } from './data.ts';
import { accuracy, type Accuracy } from './metrics.ts';
import { readNpy } from './npy.ts';
import { bitsPerElement, quantizeDequantize, type WeightFormat } from './quantize.ts';

export const EXPLORE_TARGETS = ['ice40', 'ecp5', 'xc7'] as const;
export type ExploreTarget = (typeof EXPLORE_TARGETS)[number];

export type DataSource =
  | { kind: 'synthetic'; distribution: Distribution; size: number; seed: number }
  | { kind: 'npy'; paths: string[] };

/** --data: a distribution spec, or .npy files (comma-separated; their elements are concatenated). */
export function parseDataSource(spec: string, size: number, seed: number): DataSource {
  const distribution = parseDistribution(spec);
  if (distribution) return { kind: 'synthetic', distribution, size, seed };
  const paths = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (paths.length > 0 && paths.every((p) => p.endsWith('.npy') || existsSync(p)))
    return { kind: 'npy', paths };
  throw new Error(
    `--data '${spec}' is not allowed: give a distribution (${DISTRIBUTIONS.join(', ')}) or .npy files`,
  );
}

export function describeData(d: DataSource): string {
  return d.kind === 'synthetic'
    ? `${describeDistribution(d.distribution)}, ${d.size} samples, seed ${d.seed}`
    : d.paths.join(', ');
}

/** The default run name: the distribution and seed, or the first file's name. */
export function defaultRunName(d: DataSource): string {
  const raw =
    d.kind === 'synthetic'
      ? `${describeDistribution(d.distribution)}-n${d.size}-s${d.seed}`
      : basename(d.paths[0]!, '.npy');
  return raw.replace(/[^A-Za-z0-9._-]+/g, '_');
}

export function loadData(d: DataSource): Float64Array {
  if (d.kind === 'synthetic') return sample(d.distribution, d.size, d.seed);
  const arrays = d.paths.map((p) => {
    const a = readNpy(p).data;
    const bad = a.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${p}: element ${bad} is ${a[bad]}; explore needs finite values`);
    return a;
  });
  const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** A catalog IP's recorded cost, per lane (dequantizer) or per MAC (mixed_mac, gemv). */
export interface UnitCost {
  ip: string;
  lutsPerUnit: number;
  dspsPerUnit: number;
  /** MHz on the target, when the baselines record it. */
  fmaxMhz?: number;
}

export interface ExploreRow extends Accuracy {
  format: string;
  kind: WeightFormat['kind'];
  group: number;
  bitsPerElement: number;
  dequant?: UnitCost;
  /** A mixed_mac IP: one MAC. */
  mac?: UnitCost;
  /** A GEMV core, per MAC (rows × lanes). */
  gemv?: UnitCost;
  seconds: number;
}

export interface ExploreResult {
  name: string;
  data: string;
  elements: number;
  target: ExploreTarget;
  rows: ExploreRow[];
  notes: string[];
  csv: string;
  json: string;
}

/** The catalog's name of a weight format and what else must match (group size, scale format). */
function catalogWeight(w: WeightFormat): { names: string[]; scale?: string; zeroPoint: boolean } {
  switch (w.kind) {
    case 'scalar':
      return { names: [w.format.name], scale: w.scaleName, zeroPoint: false };
    case 'mx':
      return { names: [w.name], zeroPoint: false };
    case 'nvfp4':
      return { names: ['nvfp4'], zeroPoint: false };
    case 'int-asym':
      return { names: [`uint${w.bits}`], scale: 'fp16', zeroPoint: true };
    case 'select':
      // RaZeR's two code layouts hold the same values.
      return {
        names: w.name.startsWith('razer') ? ['razer', 'razer_kernel', 'razer_ocp'] : [w.name.split(':')[0]!],
        zeroPoint: false,
      };
  }
}

function matches(entry: CatalogEntry, w: WeightFormat): boolean {
  const p = entry.params;
  const weight = (entry.generator === 'dequant' ? p.format : p.weight) as string | undefined;
  const want = catalogWeight(w);
  if (!weight || !want.names.includes(weight)) return false;
  const group = (p.groupSize ?? p.group) as number | undefined;
  if (group !== undefined && w.kind !== 'mx' && w.kind !== 'nvfp4' && group !== w.group) return false;
  if (want.scale !== undefined && ((p.scale as string | undefined) ?? 'fp16') !== want.scale) return false;
  // An unsigned integer weight is the asymmetric format (zero point) in every catalog MAC and GEMV.
  if (entry.generator === 'dequant' && want.zeroPoint !== (p.zeroPoint !== undefined)) return false;
  return true;
}

function unitCost(entry: CatalogEntry, baselines: Baselines, target: ExploreTarget): UnitCost | undefined {
  const recorded = baselines.ips[entry.name];
  const area = recorded?.area[target];
  if (!area) return undefined;
  const p = entry.params;
  const units =
    entry.generator === 'gemv' ? Number(p.rows ?? 1) * Number(p.lanes ?? 1) : Number(p.lanes ?? 1);
  const fmax = target === 'xc7' ? undefined : recorded.fmax?.[target];
  return {
    ip: entry.name,
    lutsPerUnit: area.luts / units,
    dspsPerUnit: area.dsps / units,
    ...(fmax !== undefined ? { fmaxMhz: fmax } : {}),
  };
}

/** The recorded cost of the first matching dequantizer, mixed_mac and gemv IP. */
export function hardwareCost(
  w: WeightFormat,
  target: ExploreTarget,
  baselines: Baselines | undefined,
): { dequant?: UnitCost; mac?: UnitCost; gemv?: UnitCost } {
  if (!baselines) return {};
  const cost = (generator: string) =>
    CATALOG.filter((e) => e.generator === generator && matches(e, w))
      .map((e) => unitCost(e, baselines, target))
      .find((c) => c !== undefined);
  const dequant = cost('dequant');
  const mac = cost('mixed_mac');
  const gemv = cost('gemv');
  return { ...(dequant ? { dequant } : {}), ...(mac ? { mac } : {}), ...(gemv ? { gemv } : {}) };
}

export interface ExploreOptions {
  formats: WeightFormat[];
  data: DataSource;
  name: string;
  outDir: string;
  target: ExploreTarget;
  baselines?: Baselines;
  onFormat?: (format: string, index: number, total: number) => void;
}

const COST_NOTE =
  'Hardware cost columns come from ip/baselines.json for a catalog IP of the same weight format, group size and scale (dequantizer: per lane; mixed_mac: one MAC; gemv: per MAC of its rows × lanes); blank where the catalog has no such IP (this slice synthesizes nothing).';

export function runExplore(o: ExploreOptions): ExploreResult {
  const x = loadData(o.data);
  if (x.length === 0) throw new Error(`--data '${describeData(o.data)}': the tensor is empty`);
  const baselines = o.baselines ?? readBaselines();
  const rows: ExploreRow[] = o.formats.map((w, i) => {
    o.onFormat?.(w.name, i, o.formats.length);
    const start = performance.now();
    const a = accuracy(x, quantizeDequantize(w, x));
    return {
      format: w.name,
      kind: w.kind,
      group: w.group,
      bitsPerElement: bitsPerElement(w),
      ...a,
      ...hardwareCost(w, o.target, baselines),
      seconds: (performance.now() - start) / 1000,
    };
  });
  const notes = [COST_NOTE];
  if (rows.some((r) => r.kind === 'nvfp4'))
    notes.push("NVFP4's bits per element leave out its one FP32 tensor scale (32 bits per tensor).");
  const dir = resolve(o.outDir, 'explore', o.name);
  mkdirSync(dir, { recursive: true });
  const csvPath = join(dir, 'results.csv');
  const jsonPath = join(dir, 'results.json');
  const data = describeData(o.data);
  writeAtomically(csvPath, toCsv(rows, o.target));
  writeAtomically(
    jsonPath,
    JSON.stringify(
      { name: o.name, data, elements: x.length, target: o.target, notes, rows },
      jsonNumbers,
      2,
    ) + '\n',
  );
  return {
    name: o.name,
    data,
    elements: x.length,
    target: o.target,
    rows,
    notes,
    csv: csvPath,
    json: jsonPath,
  };
}

/** JSON has no Infinity: an exact quantization's SQNR is written as the string "inf". */
function jsonNumbers(_key: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v)
    ? Number.isNaN(v)
      ? 'nan'
      : v > 0
        ? 'inf'
        : '-inf'
    : v;
}

export const CSV_HEADER = [
  'format',
  'kind',
  'group',
  'bits_per_element',
  'mse',
  'sqnr_db',
  'max_error',
  'kl',
  'target',
  'dequant_ip',
  'dequant_luts_per_lane',
  'dequant_dsps_per_lane',
  'dequant_fmax_mhz',
  'mac_ip',
  'mac_luts_per_mac',
  'mac_dsps_per_mac',
  'mac_fmax_mhz',
  'gemv_ip',
  'gemv_luts_per_mac',
  'gemv_dsps_per_mac',
  'gemv_fmax_mhz',
];

const g = (v: number) =>
  Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : v > 0 ? 'inf' : String(v);
const opt = (v: number | undefined, digits = 1) =>
  v === undefined ? '' : Number(v.toFixed(digits)).toString();

function toCsv(rows: ExploreRow[], target: ExploreTarget): string {
  const lines = rows.map((r) =>
    [
      r.format,
      r.kind,
      r.group,
      r.bitsPerElement,
      g(r.mse),
      Number.isFinite(r.sqnrDb) ? r.sqnrDb.toFixed(3) : 'inf',
      g(r.maxError),
      g(r.kl),
      target,
      r.dequant?.ip ?? '',
      opt(r.dequant?.lutsPerUnit),
      opt(r.dequant?.dspsPerUnit, 3),
      opt(r.dequant?.fmaxMhz, 2),
      r.mac?.ip ?? '',
      opt(r.mac?.lutsPerUnit),
      opt(r.mac?.dspsPerUnit, 3),
      opt(r.mac?.fmaxMhz, 2),
      r.gemv?.ip ?? '',
      opt(r.gemv?.lutsPerUnit),
      opt(r.gemv?.dspsPerUnit, 3),
      opt(r.gemv?.fmaxMhz, 2),
    ].join(','),
  );
  return [CSV_HEADER.join(','), ...lines].join('\n') + '\n';
}
