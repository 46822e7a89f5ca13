// `bitsmith explore` (docs/explore.md): accuracy of weight formats on synthetic or the user's tensors,
// beside the hardware cost the baselines record for the catalog's matching dequantizer and MAC/GEMV IPs.

import { existsSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { CATALOG, type CatalogEntry } from '../../ip/catalog.ts';
import { readBaselines, type Baselines } from '../ippack/baselines.ts';
import { writeAtomically } from '../ippack/results.ts';
import { describeDistribution, parseDistribution, sample, DISTRIBUTIONS, type Distribution } from './data.ts';
import { accuracy, type Accuracy } from './metrics.ts';
import { dotRelativeError, roundActivations } from './dot.ts';
import { formatByName, type Format } from '../../generators/formats/index.ts';
import { readNpy } from './npy.ts';
import { CLIP_RATIOS, bitsPerElement, quantizeDequantize, type WeightFormat } from './quantize.ts';
import { BITS_PLOT, COST_PLOT, explorePlots, indexHtml, type Claim } from './report.ts';

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
  /** MHz on the target: recorded in the baselines, or for a synthesized unit the delay model's estimate. */
  fmaxMhz?: number;
  /** fmaxMhz is the delay model's estimate (a synthesized unit: no place and route). */
  fmaxEstimated?: true;
}

export interface ExploreRow extends Accuracy {
  format: string;
  kind: WeightFormat['kind'];
  group: number;
  bitsPerElement: number;
  /** ‖Ŵ·x̂ − W·x‖ / ‖W·x‖ over the tensor's rows, with --activation. */
  dotRelativeError?: number;
  /** The clip search chose this format's scales (scalar formats under --clip-search). */
  clipSearch: boolean;
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
  claims: Claim[];
  csv: string;
  json: string;
  plots: string[];
  index: string;
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
    entry.generator === 'gemv' || entry.generator === 'lut_gemv'
      ? Number(p.rows ?? 1) * Number(p.lanes ?? 1)
      : Number(p.lanes ?? 1);
  const fmax = target === 'xc7' ? undefined : recorded.fmax?.[target];
  return {
    ip: entry.name,
    lutsPerUnit: area.luts / units,
    dspsPerUnit: area.dsps / units,
    ...(fmax !== undefined ? { fmaxMhz: fmax } : {}),
  };
}

/** The recorded cost of the catalog IP `name` on `target`, per lane or MAC; undefined without figures. */
export function catalogCost(
  name: string,
  target: ExploreTarget,
  baselines: Baselines | undefined,
): UnitCost | undefined {
  const entry = CATALOG.find((e) => e.name === name);
  if (!entry) throw new Error(`catalog IP '${name}' does not exist`);
  return baselines ? unitCost(entry, baselines, target) : undefined;
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
  /** Search the clipping ratio per group (scalar formats; the others keep their own rule). */
  clipSearch?: boolean;
  /**
   * The MAC cost of a format taken from a named catalog IP (element format name → IP), where no
   * mixed_mac IP matches: the exact INT and minifloat MACs of the minifloat-vs-int preset.
   */
  macIps?: Readonly<Record<string, string>>;
  /**
   * Dot products with activations of this format: K = length, the activations N(0, 1) of the run's seed
   * + 1, each row summed as a GEMV core sums it into `outFormat` (default fp32).
   */
  activation?: { name: string; format: Format; length: number; outFormat?: Format };
  /**
   * Costs synthesized for formats without catalog figures (weight format name → cost): a dequantizer's
   * per lane, a mixed_mac's and a GEMV core's per MAC.
   */
  synthesized?: {
    dequant: ReadonlyMap<string, UnitCost>;
    mac: ReadonlyMap<string, UnitCost>;
    gemv?: ReadonlyMap<string, UnitCost>;
  };
  /** Notes on the synthesized costs (Yosys version, formats without a unit). */
  synthNotes?: readonly string[];
  /** Claims to print beside the figures measured from the rows (the presets'). */
  claims?: (rows: readonly ExploreRow[]) => Claim[];
  onFormat?: (format: string, index: number, total: number) => void;
}

const COST_NOTE =
  'Hardware cost columns come from ip/baselines.json for a catalog IP of the same weight format, group size and scale (dequantizer: per lane; mixed_mac: one MAC; gemv: per MAC of its rows × lanes); blank where the catalog has no such IP (nothing is synthesized without --synth).';

export function runExplore(o: ExploreOptions): ExploreResult {
  const x = loadData(o.data);
  if (x.length === 0) throw new Error(`--data '${describeData(o.data)}': the tensor is empty`);
  const baselines = o.baselines ?? readBaselines();
  const activation = o.activation && activationSample(o.activation, o.data, x.length);
  const dotOut = o.activation?.outFormat ?? formatByName('fp32');
  const rows: ExploreRow[] = o.formats.map((w, i) => {
    o.onFormat?.(w.name, i, o.formats.length);
    const start = performance.now();
    const clipSearch = (o.clipSearch ?? false) && w.kind === 'scalar';
    const xq = quantizeDequantize(w, x, clipSearch ? { clipRatios: CLIP_RATIOS } : {});
    const a = accuracy(x, xq);
    const dot = activation
      ? dotRelativeError(x, xq, activation.x, activation.xq, { group: w.group, outFormat: dotOut })
      : undefined;
    const cost = hardwareCost(w, o.target, baselines);
    const macIp = w.kind === 'scalar' ? o.macIps?.[w.format.name] : undefined;
    const mac =
      cost.mac ??
      (macIp ? catalogCost(macIp, o.target, baselines) : undefined) ??
      o.synthesized?.mac.get(w.name);
    const dequant = cost.dequant ?? o.synthesized?.dequant.get(w.name);
    const gemv = cost.gemv ?? o.synthesized?.gemv?.get(w.name);
    return {
      format: w.name,
      kind: w.kind,
      group: w.group,
      bitsPerElement: bitsPerElement(w),
      clipSearch,
      ...a,
      ...(dot !== undefined ? { dotRelativeError: dot } : {}),
      ...cost,
      ...(mac ? { mac } : {}),
      ...(dequant ? { dequant } : {}),
      ...(gemv ? { gemv } : {}),
      seconds: (performance.now() - start) / 1000,
    };
  });
  const notes = [
    o.synthesized ? COST_NOTE.replace(' (nothing is synthesized without --synth)', '') : COST_NOTE,
  ];
  notes.push(...(o.synthNotes ?? []));
  if (o.macIps)
    notes.push(
      `MAC cost of ${Object.entries(o.macIps)
        .map(([f, ip]) => `${f} from ${ip}`)
        .join(', ')} (one MAC each, its own accumulator).`,
    );
  if (activation)
    notes.push(
      `Dot products: the tensor as ${Math.floor(x.length / activation.x.length)} rows of ${activation.x.length} weights against ${activation.x.length} N(0, 1) activations (seed ${activation.seed}) rounded to ${o.activation!.name}; dot_rel_error = ‖Ŵ·x̂ − W·x‖ / ‖W·x‖, W·x summed in fp64, Ŵ·x̂ as a GEMV core sums it: each group's products exactly, the group sums into an fp32 sum with one rounding each, the row rounded once to ${dotOut.name}.`,
    );
  if (o.clipSearch)
    notes.push(
      `Clip search: per group of a scalar format, the clipping ratio of least squared error among ${CLIP_RATIOS.join(', ')}; MX, NVFP4, asymmetric INT and per-group codebook choice keep their own rule.`,
    );
  const claims = o.claims?.(rows) ?? [];
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
      {
        name: o.name,
        data,
        elements: x.length,
        target: o.target,
        ...(o.activation ? { activation: { format: o.activation.name, length: o.activation.length } } : {}),
        notes,
        claims,
        rows,
      },
      jsonNumbers,
      2,
    ) + '\n',
  );
  const plots = explorePlots(rows, { data, target: o.target });
  const plotPaths = [join(dir, COST_PLOT), join(dir, BITS_PLOT)];
  writeAtomically(plotPaths[0]!, plots.cost);
  writeAtomically(plotPaths[1]!, plots.bits);
  const indexPath = join(dir, 'index.html');
  writeAtomically(
    indexPath,
    indexHtml({ name: o.name, data, elements: x.length, target: o.target, rows, notes, claims }),
  );
  return {
    name: o.name,
    data,
    elements: x.length,
    target: o.target,
    rows,
    notes,
    claims,
    csv: csvPath,
    json: jsonPath,
    plots: plotPaths,
    index: indexPath,
  };
}

function activationSample(
  a: NonNullable<ExploreOptions['activation']>,
  data: DataSource,
  elements: number,
): { x: Float64Array; xq: Float64Array; seed: number } {
  if (a.length > elements)
    throw new Error(
      `--dot-length ${a.length} is not allowed: the tensor has ${elements} elements; use at most ${elements}`,
    );
  const seed = (data.kind === 'synthetic' ? data.seed : 0) + 1;
  const x = sample({ kind: 'gaussian' }, a.length, seed);
  return { x, xq: roundActivations(a.format, x), seed };
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
  'clip_search',
  'dot_rel_error',
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
      r.clipSearch ? 1 : 0,
      r.dotRelativeError === undefined ? '' : g(r.dotRelativeError),
    ].join(','),
  );
  return [CSV_HEADER.join(','), ...lines].join('\n') + '\n';
}
