// `bitsmith explore --preset`: reproductions of published claims, each printed beside the figure this run
// measures (docs/explore.md#presets).

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exactMultiplier, lmulMultiplier, meanRelativeError } from '../../testbenches/accuracy.ts';
import type { Baselines } from '../ippack/baselines.ts';
import { readBaselines } from '../ippack/baselines.ts';
import { writeAtomically } from '../ippack/results.ts';
import { catalogCost, type ExploreRow, type ExploreTarget, type UnitCost } from './explore.ts';
import { paretoFront } from './pareto.ts';
import type { Claim } from './report.ts';

/** A preset that quantizes a tensor to a list of formats (the ordinary explore run). */
export interface FormatsPreset {
  kind: 'formats';
  name: string;
  description: string;
  formats: string;
  data: string;
  size: number;
  group: number;
  /** The target whose recorded area is reported unless --target is given. */
  target?: ExploreTarget;
  macIps?: Readonly<Record<string, string>>;
  claims: (rows: readonly ExploreRow[]) => Claim[];
}

/** The L-Mul preset: multipliers' mean relative error beside their recorded area (the sweep's question). */
export interface MultipliersPreset {
  kind: 'multipliers';
  name: string;
  description: string;
  size: number;
}

export type ExplorePreset = FormatsPreset | MultipliersPreset;

const dB = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} dB` : 'inf dB');
const signed = (v: number, unit: string) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}${unit}`;

function row(rows: readonly ExploreRow[], prefix: string): ExploreRow {
  const r = rows.find((x) => x.format === prefix || x.format.startsWith(`${prefix}:`));
  if (!r) throw new Error(`preset: format '${prefix}' is missing from the run`);
  return r;
}

function sf4Claims(rows: readonly ExploreRow[]): Claim[] {
  const [sf4, nf4, e2m1, int4] = ['sf4', 'nf4', 'e2m1fn', 'int4'].map((f) => row(rows, f));
  const range = row(rows, 'fp4_range');
  const prec = row(rows, 'fp4_prec2');
  return [
    {
      claim:
        'SF4 (Student Float, ν = 5) is more accurate than NF4 and E2M1 on Student-t weights (Dotzel et al., ICML 2024, arXiv 2405.03103).',
      measured: `SQNR on Student-t(5): SF4 ${dB(sf4!.sqnrDb)}, NF4 ${dB(nf4!.sqnrDb)}, E2M1 ${dB(e2m1!.sqnrDb)}, INT4 ${dB(int4!.sqnrDb)}; SF4 − NF4 ${signed(sf4!.sqnrDb - nf4!.sqnrDb, ' dB')}, SF4 − E2M1 ${signed(sf4!.sqnrDb - e2m1!.sqnrDb, ' dB')}.`,
    },
    {
      claim: 'E2M1 with a supernormal value gains +2.19% (model accuracy) at 1.22% more area (same paper).',
      measured: `SQNR over E2M1: +8 in the −0 code (fp4_range) ${signed(range.sqnrDb - e2m1!.sqnrDb, ' dB')}, +5 (fp4_prec2) ${signed(prec.sqnrDb - e2m1!.sqnrDb, ' dB')}; area not measured (the catalog has no supernormal E2M1 unit).`,
    },
  ];
}

function frontNames(rows: readonly ExploreRow[], cost: (r: ExploreRow) => number | undefined): string {
  const costed = rows.filter((r) => cost(r) !== undefined && Number.isFinite(r.sqnrDb));
  const front = paretoFront(costed.map((r) => ({ cost: cost(r)!, value: r.sqnrDb })));
  return front.map((i) => costed[i]!.format.split(':')[0]).join(', ');
}

function minifloatClaims(rows: readonly ExploreRow[]): Claim[] {
  const int8 = row(rows, 'int8').mac;
  const fp8 = row(rows, 'e4m3fn').mac;
  const int4 = row(rows, 'int4').mac;
  const fp4 = row(rows, 'e2m1fn').mac;
  const dsps = (c: UnitCost) => (c.dspsPerUnit > 0 ? ` + ${c.dspsPerUnit} DSP` : '');
  const more = (a: UnitCost | undefined, b: UnitCost | undefined) =>
    a && b
      ? `${signed((100 * a.lutsPerUnit) / b.lutsPerUnit - 100, '%')} LUTs (${a.lutsPerUnit}${dsps(a)} against ${b.lutsPerUnit}${dsps(b)})`
      : 'no recorded area';
  return [
    {
      claim:
        'INT is often Pareto-optimal against minifloats in FPGA post-training quantization (Aggarwal et al., FPL 2024, arXiv 2311.12359).',
      measured: `Pareto front of SQNR against bits per element: ${frontNames(rows, (r) => r.bitsPerElement)}; against MAC LUTs: ${frontNames(rows, (r) => r.mac?.lutsPerUnit)}.`,
    },
    {
      claim: 'FP8 MACs cost 50–180% more than INT8 MACs (same paper).',
      measured: `E4M3 MAC (exact, Kulisch accumulator, k = 32) against INT8 MAC (32-bit accumulator): ${more(fp8, int8)}; E2M1 against INT4: ${more(fp4, int4)}.`,
    },
  ];
}

function w4Claims(rows: readonly ExploreRow[]): Claim[] {
  const ranked = [...rows].sort((a, b) => b.sqnrDb - a.sqnrDb);
  return [
    {
      claim:
        'RaZeR (arXiv 2501.04052) and BitMoD (HPCA 2025, arXiv 2411.11745) lower the 4-bit quantization error below INT4 and FP4 at the same storage.',
      measured: `SQNR ranking: ${ranked.map((r) => `${r.format.split(':')[0]} ${dB(r.sqnrDb)}`).join(', ')}. GEMV LUTs per MAC: ${rows
        .filter((r) => r.gemv)
        .map((r) => `${r.format.split(':')[0]} ${r.gemv!.lutsPerUnit.toFixed(1)}`)
        .join(', ')}.`,
    },
  ];
}

export const PRESETS: readonly ExplorePreset[] = [
  {
    kind: 'formats',
    name: 'sf4',
    description: 'INT4, E2M1, NF4, SF4 (ν = 5) and E2M1 with supernormals on Student-t(5) weights',
    formats: 'int4,e2m1fn,nf4,sf4,fp4_range,fp4_prec2',
    data: 'student-t:5',
    size: 1 << 17,
    group: 128,
    claims: sf4Claims,
  },
  {
    kind: 'formats',
    name: 'minifloat-vs-int',
    description: "INT4–INT8 against E2M1, E3M2, E4M3 and E5M2 on Gaussian weights, with the exact MACs' area",
    formats: 'int4,int5,int6,int7,int8,e2m1fn,e3m2fn,e4m3fn,e5m2',
    data: 'gaussian',
    size: 1 << 17,
    group: 128,
    // iCE40 has no DSP blocks, so every MAC's multiplier is in its LUTs and the LUTs compare.
    target: 'ice40',
    macIps: {
      int4: 'mac_int4_s_acc16',
      int8: 'mac_int8_s_acc32',
      e2m1fn: 'mac_e2m1_kulisch32',
      e4m3fn: 'mac_e4m3fn_kulisch32',
    },
    claims: minifloatClaims,
  },
  {
    kind: 'multipliers',
    name: 'lmul',
    description:
      "L-Mul m = 2..7 against exact FP8/FP16/BF16 multipliers (the sweep's units), area from the baselines",
    size: 100_000,
  },
  {
    kind: 'formats',
    name: 'w4-formats',
    description:
      'INT4 g128, AWQ-style asymmetric INT4, NF4, MXFP4, NVFP4, RaZeR and BitMoD on Gaussian weights, with GEMV cost',
    formats: 'int4,int4_asym,nf4,mxfp4,nvfp4,razer,bitmod_fp4',
    data: 'gaussian',
    size: 1 << 20,
    group: 128,
    claims: w4Claims,
  },
];

export function presetByName(name: string): ExplorePreset {
  const p = PRESETS.find((x) => x.name === name);
  if (!p)
    throw new Error(`--preset '${name}' is not allowed: use one of ${PRESETS.map((x) => x.name).join(', ')}`);
  return p;
}

export interface MultiplierRow {
  unit: string;
  kind: 'exact' | 'lmul';
  /** The catalog IP whose recorded area is given, when the catalog has this multiplier. */
  ip?: string;
  luts?: number;
  /** Mean |approx − x·y| / |x·y| over standard-normal x, y (docs/lmul.md#error-statistics). */
  meanRelativeError: number;
}

const MULTIPLIERS = [
  ...['e4m3fn', 'e5m2', 'fp16', 'bf16'].map((f) => ({
    unit: `exact ${f}`,
    kind: 'exact' as const,
    ip: `fp_mul_${f}`,
    model: () => exactMultiplier(f),
  })),
  ...[2, 3, 4, 5, 6, 7].map((m) => ({
    unit: `L-Mul m=${m}`,
    kind: 'lmul' as const,
    ip: m === 3 || m === 4 ? `lmul_bf16_m${m}` : undefined,
    model: () => lmulMultiplier('bf16', m),
  })),
];

/** How many units the lmul preset measures (its progress total). */
export const MULTIPLIER_UNITS = MULTIPLIERS.length;

export interface MultipliersResult {
  name: string;
  target: ExploreTarget;
  samples: number;
  seed: number;
  rows: MultiplierRow[];
  claims: Claim[];
  csv: string;
  json: string;
}

/** The lmul preset: every multiplier's error on `samples` normal pairs, its area from the baselines. */
export function runMultipliersPreset(o: {
  samples: number;
  seed: number;
  target: ExploreTarget;
  outDir: string;
  baselines?: Baselines;
  onUnit?: (unit: string, index: number, total: number) => void;
}): MultipliersResult {
  const baselines = o.baselines ?? readBaselines();
  const rows = MULTIPLIERS.map((u, i): MultiplierRow => {
    o.onUnit?.(u.unit, i, MULTIPLIERS.length);
    const luts = u.ip ? catalogCost(u.ip, o.target, baselines)?.lutsPerUnit : undefined;
    return {
      unit: u.unit,
      kind: u.kind,
      ...(u.ip ? { ip: u.ip } : {}),
      ...(luts !== undefined ? { luts } : {}),
      meanRelativeError: meanRelativeError(u.model(), o.samples, o.seed),
    };
  });
  const by = (unit: string) => rows.find((r) => r.unit === unit)!;
  const lmul4 = by('L-Mul m=4');
  const lmul3 = by('L-Mul m=3');
  const e4m3 = by('exact e4m3fn');
  const e5m2 = by('exact e5m2');
  const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
  const claims: Claim[] = [
    {
      claim:
        'L-Mul with a 4-bit mantissa is about as precise as an FP8 E4M3 multiply, with a 3-bit mantissa better than E5M2, at a fraction of the cost (Luo and Sun, arXiv 2410.00907).',
      measured: `mean relative error: L-Mul m=4 ${pct(lmul4.meanRelativeError)} against E4M3 ${pct(e4m3.meanRelativeError)}; L-Mul m=3 ${pct(lmul3.meanRelativeError)} against E5M2 ${pct(e5m2.meanRelativeError)}; LUTs on ${o.target}: lmul_bf16_m4 ${lmul4.luts ?? '-'} against fp_mul_e4m3fn ${e4m3.luts ?? '-'} (catalog units: L-Mul on BF16 operands, the E4M3 multiplier with flags).`,
    },
  ];
  const dir = resolve(o.outDir, 'explore', 'lmul');
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, 'results.csv');
  const json = join(dir, 'results.json');
  writeAtomically(
    csv,
    [
      'unit,kind,ip,target,luts,mean_relative_error,samples,seed',
      ...rows.map((r) =>
        [
          r.unit,
          r.kind,
          r.ip ?? '',
          o.target,
          r.luts ?? '',
          r.meanRelativeError.toFixed(6),
          o.samples,
          o.seed,
        ].join(','),
      ),
    ].join('\n') + '\n',
  );
  writeAtomically(
    json,
    JSON.stringify(
      { name: 'lmul', target: o.target, samples: o.samples, seed: o.seed, claims, rows },
      null,
      2,
    ) + '\n',
  );
  return { name: 'lmul', target: o.target, samples: o.samples, seed: o.seed, rows, claims, csv, json };
}
