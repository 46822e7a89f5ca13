// Multiplier-free GEMV against multiplying GEMV at equal P·S: gemv with 'dsp' multipliers and with
// 'luts' (shift and add), lut_gemv (T-MAC table lookups: g = 2, g = 4, g = 4 mirrored, g = 2 with int8
// tables, g = 2 one plane per cycle) and bitserial_gemv (one Booth digit per cycle; the serial cores make P·S/T MACs per
// cycle), for uint1..uint4 weights with a zero point and int8 (per-token scale) or fp16 activations.
// Each core (rows 4, lanes 8, group 128, maxK = maxN = 4096, fp32 out, every latency 0) goes through
// `bitsmith synth`'s flow (synthTarget, engine native: Yosys 0.23) on ECP5 and xc7, and one
// stall-free job (K = 1024, N = 64) through Icarus for its utilization. Figures: LUTs, FFs, DSPs, block
// RAMs (ECP5 DP16KD; xc7 36 Kb tiles, a RAMB18E1 counting half), MACs/cycle = P·S × utilization, and
// MACs/cycle per 1,000 LUTs; the verdict names the best of the cores whose chunk multiplies nothing (all
// but gemv 'dsp'; every core's group close takes a few DSPs of its own).
// Writes out/mpgemm/mpgemm.{csv,json,svg}; the synthesized packages land in out/mpgemm/units/.
// `npm run bench -- mpgemm` runs only this. Environment:
//   BITSMITH_MPGEMM_WIDE=1   also rows 16, lanes 8 (128 MACs/cycle: more rows share each table).
//   BITSMITH_MPGEMM_FMAX=1   also the chunk kernel's Fmax on the ECP5-85 at speed 6 (chunkLatency 5,
//                            wrapped with registered I/O as `npm run bench -- gemv` does).
//   BITSMITH_MPGEMM_ONLY=... a subset, words separated by commas: weight bits (1..4), activations
//                            (int8, fp16), targets (ecp5, xc7), designs (dsp, luts, g2, g4, g4m, g2t8, g2s, bits); each
//                            kind not named is taken whole, e.g. BITSMITH_MPGEMM_ONLY=1,2,int8,ecp5.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { outputFolder, table } from '../flows/cli/output.ts';
import { writeAtomically } from '../flows/ippack/results.ts';
import { synthTarget } from '../flows/synth-ip.ts';
import type { AreaReport } from '../flows/synth/types.ts';
import { resolveTarget } from '../flows/target.ts';
import { chunkPasses, gemvParts, type GemvParams } from '../generators/gemv/gemv.ts';
import { gemvCoreOf } from '../generators/mpgemm/gemv-core.ts';
import { kernelFmax, utilization } from './gemv-measure.ts';
import { lineSvg } from './line-plot.ts';

interface Design {
  key: string;
  label: string;
  generator: 'gemv' | 'lut_gemv' | 'bitserial_gemv';
  /** True when the chunk's products are multiplications (DSP blocks where the target has them). */
  multiplies: boolean;
  /** The design's parameters at this weight width; undefined where it has no such core. */
  params: (wBits: number) => Record<string, unknown> | undefined;
}

const DESIGNS: Design[] = [
  {
    key: 'dsp',
    label: "gemv 'dsp' (multiply)",
    generator: 'gemv',
    multiplies: true,
    params: (b) => ({ weight: `uint${b}`, multipliers: 'dsp' }),
  },
  {
    key: 'luts',
    label: "gemv 'luts' (shift-add)",
    generator: 'gemv',
    multiplies: false,
    params: (b) => ({ weight: `uint${b}`, multipliers: 'luts' }),
  },
  ...[
    { key: 'g2', g: 2, mirror: false },
    { key: 'g4', g: 4, mirror: false },
    { key: 'g4m', g: 4, mirror: true },
  ].map(({ key, g, mirror }): Design => ({
    key,
    label: `lut_gemv g=${g}${mirror ? ' mirror' : ''}`,
    generator: 'lut_gemv',
    multiplies: false,
    params: (b) => ({ wBits: b, weightCoding: 'uint', g, mirror }),
  })),
  {
    key: 'g2t8',
    label: 'lut_gemv g=2 int8 tables',
    generator: 'lut_gemv',
    multiplies: false,
    params: (b) => ({ wBits: b, weightCoding: 'uint', g: 2, tableFormat: 'int8' }),
  },
  {
    key: 'g2s',
    label: 'lut_gemv g=2 serial',
    generator: 'lut_gemv',
    multiplies: false,
    // One plane per cycle: a 1-bit weight has one plane, its parallel core is the same.
    params: (b) => (b < 2 ? undefined : { wBits: b, weightCoding: 'uint', g: 2, serial: true }),
  },
  {
    key: 'bits',
    label: 'bitserial_gemv (Booth)',
    generator: 'bitserial_gemv',
    multiplies: false,
    params: (b) => ({ weight: `uint${b}` }),
  },
];

const WEIGHT_BITS = [1, 2, 3, 4];
const ACTIVATIONS: { name: string; params: Record<string, unknown> }[] = [
  { name: 'int8', params: { activation: 'int8', activationScale: 'token' } },
  { name: 'fp16', params: { activation: 'fp16' } },
];
const TARGETS = ['ecp5', 'xc7'] as const;
type Target = (typeof TARGETS)[number];
const SHAPES = [
  { rows: 4, lanes: 8 },
  { rows: 16, lanes: 8 },
];
// Yosys area needs only the logic: no pipeline stage anywhere.
const COMMON = {
  group: 128,
  maxK: 4096,
  maxN: 4096,
  outFormat: 'fp32',
  chunkLatency: 0,
  scaleLatency: 0,
  sumLatency: 0,
  convertLatency: 0,
};
const FMAX_CHUNK_LATENCY = 5;

interface Area {
  luts: number;
  ffs: number;
  dsps: number;
  /** Block RAMs: ECP5 DP16KD; xc7 36 Kb tiles (a RAMB18E1 is half a tile). */
  brams: number;
  seconds: number;
  cells: Record<string, number>;
}

interface Result {
  rows: number;
  lanes: number;
  activation: string;
  wBits: number;
  design: string;
  label: string;
  multiplies: boolean;
  generator: string;
  module: string;
  params: Record<string, unknown>;
  /** P·S: MACs per cycle at full utilization. */
  peak: number;
  utilization?: number;
  /** Cycles of the stall-free job (K × N). */
  cycles?: number;
  k?: number;
  n?: number;
  /** P·S × utilization. */
  macsPerCycle?: number;
  area: Partial<Record<Target, Area>>;
  /** MACs/cycle per 1,000 LUTs. */
  perKlut: Partial<Record<Target, number>>;
  /** The chunk kernel's Fmax on the ECP5-85 at speed 6 in MHz, or why it was not measured. */
  chunkFmax?: number | string;
  errors: string[];
}

/** The subset asked for in BITSMITH_MPGEMM_ONLY: each kind of word narrows its own list. */
function subset() {
  const words = (process.env.BITSMITH_MPGEMM_ONLY ?? '')
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w !== '');
  const known = [
    ...WEIGHT_BITS.map(String),
    ...ACTIVATIONS.map((a) => a.name),
    ...TARGETS,
    ...DESIGNS.map((d) => d.key),
  ];
  const unknown = words.filter((w) => !known.includes(w));
  if (unknown.length > 0)
    throw new Error(`BITSMITH_MPGEMM_ONLY: unknown ${unknown.join(', ')}; use ${known.join(', ')}`);
  const pick = <T>(items: readonly T[], name: (item: T) => string): T[] => {
    const named = items.filter((item) => words.includes(name(item)));
    return named.length > 0 ? named : [...items];
  };
  return {
    words,
    wBits: pick(WEIGHT_BITS, String),
    activations: pick(ACTIVATIONS, (a) => a.name),
    targets: pick(TARGETS, (t) => t),
    designs: pick(DESIGNS, (d) => d.key),
    shapes: process.env.BITSMITH_MPGEMM_WIDE === '1' ? SHAPES : SHAPES.slice(0, 1),
  };
}

function areaOf(report: AreaReport): Area {
  const cell = (name: string) => report.cells[name] ?? 0;
  const brams =
    report.target === 'ecp5' ? cell('DP16KD') + cell('PDPW16KD') : cell('RAMB36E1') + cell('RAMB18E1') / 2;
  return {
    luts: report.luts,
    ffs: report.ffs,
    dsps: report.dsps,
    brams,
    seconds: report.seconds,
    cells: report.cells,
  };
}

/** The gemv core's parameters behind a resolved target (lut_gemv's and bitserial_gemv's turned into gemv's). */
function coreParams(design: Design, params: Record<string, unknown>): GemvParams {
  return gemvCoreOf(design.generator, params)!;
}

const message = (error: unknown) => (error instanceof Error ? error.message.split('\n')[0]! : String(error));

export async function benchMpgemm(): Promise<void> {
  const only = subset();
  const outDir = join(outputFolder('out'), 'mpgemm');
  const unitsDir = join(outDir, 'units');
  mkdirSync(unitsDir, { recursive: true });
  const fmax = process.env.BITSMITH_MPGEMM_FMAX === '1';
  const results: Result[] = [];
  const total =
    only.shapes.length *
    only.activations.length *
    only.wBits.length *
    only.designs.length *
    (only.targets.length + (fmax ? 1 : 0));
  let done = 0;
  const progress = (line: string) => console.log(`  [${++done}/${total}] ${line}`);
  if (only.words.length > 0) console.log(`  subset: ${only.words.join(', ')}`);

  for (const shape of only.shapes) {
    for (const activation of only.activations) {
      for (const wBits of only.wBits) {
        for (const design of only.designs) {
          const own = design.params(wBits);
          if (own === undefined) {
            for (let i = 0; i < only.targets.length + (fmax ? 1 : 0); i++)
              progress(`${design.label} has no ${wBits}-bit core`);
            continue;
          }
          const target = resolveTarget(design.generator, {
            ...COMMON,
            ...shape,
            ...activation.params,
            ...own,
          });
          const core = coreParams(design, target.params);
          const result: Result = {
            ...shape,
            activation: activation.name,
            wBits,
            design: design.key,
            label: design.label,
            multiplies: design.multiplies,
            generator: design.generator,
            module: target.module.name,
            params: target.params,
            // A bit-serial core's peak: P·S MACs per chunk of passes.
            peak: (shape.rows * shape.lanes) / chunkPasses(core),
            area: {},
            perKlut: {},
            errors: [],
          };
          results.push(result);
          try {
            const use = await utilization(core, join(unitsDir, target.ip, 'utilization'));
            Object.assign(result, {
              utilization: use.value,
              cycles: use.cycles,
              k: use.k,
              n: use.n,
              macsPerCycle: result.peak * use.value,
            });
            console.log(
              `  ${target.ip}: utilization ${(100 * use.value).toFixed(1)}%, ${use.cycles} cycles (K = ${use.k}, N = ${use.n})`,
            );
          } catch (error) {
            result.errors.push(`utilization: ${message(error)}`);
            console.log(`  ${target.ip}: utilization not measured (${message(error)})`);
          }
          for (const t of only.targets) {
            try {
              const area = areaOf(
                await synthTarget(target, { outDir: unitsDir, target: t, engine: 'native' }),
              );
              result.area[t] = area;
              if (result.macsPerCycle !== undefined && area.luts > 0)
                result.perKlut[t] = (1000 * result.macsPerCycle) / area.luts;
              progress(
                `${target.ip} ${t}: ${area.luts} LUTs, ${area.ffs} FFs, ${area.dsps} DSPs, ${area.brams} BRAMs ` +
                  `(${area.seconds.toFixed(0)} s)`,
              );
            } catch (error) {
              result.errors.push(`${t}: ${message(error)}`);
              progress(`${target.ip} ${t}: not synthesized (${message(error)})`);
            }
          }
          if (fmax) {
            const piped = resolveTarget(design.generator, {
              ...target.params,
              chunkLatency: FMAX_CHUNK_LATENCY,
            });
            const chunk = gemvParts(coreParams(design, piped.params)).chunk;
            try {
              result.chunkFmax = await kernelFmax(chunk, 'ecp5', join(unitsDir, target.ip, 'chunk-fmax'));
            } catch (error) {
              result.chunkFmax = message(error);
            }
            progress(
              `${chunk.name} ecp5 Fmax: ${typeof result.chunkFmax === 'number' ? `${result.chunkFmax.toFixed(1)} MHz` : result.chunkFmax}`,
            );
          }
          writeResults(outDir, results, only.words);
        }
      }
    }
  }

  for (const shape of only.shapes)
    for (const activation of only.activations) {
      const mine = results.filter(
        (r) => r.rows === shape.rows && r.lanes === shape.lanes && r.activation === activation.name,
      );
      console.log(
        `\n${activation.name} activations, rows ${shape.rows} × lanes ${shape.lanes} = ${shape.rows * shape.lanes} MACs/cycle peak:`,
      );
      process.stdout.write(resultTable(mine, fmax));
      for (const wBits of only.wBits) console.log(verdict(mine.filter((r) => r.wBits === wBits)));
    }
  console.log(`\n  ${['csv', 'json', 'svg'].map((ext) => join(outDir, `mpgemm.${ext}`)).join(', ')}`);
}

const figure = (value: number | undefined, digits = 0) => (value === undefined ? '—' : value.toFixed(digits));

function resultTable(results: Result[], fmax: boolean): string {
  return table([
    [
      'B',
      'DESIGN',
      'ECP5 LUT4',
      'FF',
      'DSP',
      'BRAM',
      'XC7 LUT',
      'FF',
      'DSP48',
      'BRAM',
      'MACS/CYC',
      '/KLUT ECP5',
      '/KLUT XC7',
      'CYCLES',
      ...(fmax ? ['CHUNK MHZ'] : []),
    ],
    ...results.map((r) => [
      String(r.wBits),
      r.label,
      figure(r.area.ecp5?.luts),
      figure(r.area.ecp5?.ffs),
      figure(r.area.ecp5?.dsps),
      figure(r.area.ecp5?.brams),
      figure(r.area.xc7?.luts),
      figure(r.area.xc7?.ffs),
      figure(r.area.xc7?.dsps),
      figure(r.area.xc7?.brams, 1),
      figure(r.macsPerCycle, 2),
      figure(r.perKlut.ecp5, 2),
      figure(r.perKlut.xc7, 2),
      figure(r.cycles),
      ...(fmax ? [typeof r.chunkFmax === 'number' ? r.chunkFmax.toFixed(1) : '—'] : []),
    ]),
  ]);
}

/** The core whose chunk multiplies nothing with the most MACs/cycle per 1,000 ECP5 LUTs, against gemv's. */
function verdict(results: Result[]): string {
  const first = results[0];
  if (first === undefined) return '';
  const where = `B = ${first.wBits}, ${first.activation}`;
  const measured = results.filter((r) => r.perKlut.ecp5 !== undefined);
  const best = measured.filter((r) => !r.multiplies).sort((a, b) => b.perKlut.ecp5! - a.perKlut.ecp5!)[0];
  if (best === undefined) return `  ${where}: no multiplier-free core measured on ECP5`;
  const dsp = measured.find((r) => r.design === 'dsp');
  const against = (key: string) => {
    if (best.design === key) return `it is gemv '${key}'`;
    const other = measured.find((r) => r.design === key);
    return other === undefined
      ? `gemv '${key}' not measured`
      : `${(best.perKlut.ecp5! / other.perKlut.ecp5!).toFixed(2)}× gemv '${key}'`;
  };
  const dsps = dsp?.area.ecp5 === undefined ? '' : ` (${dsp.area.ecp5.dsps} DSPs)`;
  return (
    `  ${where}: ${best.label} has the most MACs/cycle per 1,000 ECP5 LUTs of the multiplier-free cores, ` +
    `${best.perKlut.ecp5!.toFixed(2)}: ${against('dsp')}${dsps}, ${against('luts')}`
  );
}

function writeResults(outDir: string, results: Result[], subsetWords: string[]): void {
  const header = [
    'rows',
    'lanes',
    'activation',
    'wBits',
    'design',
    'module',
    'peak_macs_per_cycle',
    'utilization',
    'cycles',
    'k',
    'n',
    'macs_per_cycle',
    'ecp5_lut4',
    'ecp5_ff',
    'ecp5_dsp',
    'ecp5_bram',
    'xc7_lut',
    'xc7_ff',
    'xc7_dsp',
    'xc7_bram',
    'macs_per_cycle_per_klut_ecp5',
    'macs_per_cycle_per_klut_xc7',
    'chunk_fmax_ecp5_mhz',
  ];
  const cell = (v: number | string | undefined) => (v === undefined ? '' : String(v));
  const lines = results.map((r) =>
    [
      r.rows,
      r.lanes,
      r.activation,
      r.wBits,
      r.design,
      r.module,
      r.peak,
      r.utilization,
      r.cycles,
      r.k,
      r.n,
      r.macsPerCycle,
      r.area.ecp5?.luts,
      r.area.ecp5?.ffs,
      r.area.ecp5?.dsps,
      r.area.ecp5?.brams,
      r.area.xc7?.luts,
      r.area.xc7?.ffs,
      r.area.xc7?.dsps,
      r.area.xc7?.brams,
      r.perKlut.ecp5,
      r.perKlut.xc7,
      typeof r.chunkFmax === 'number' ? r.chunkFmax : undefined,
    ]
      .map(cell)
      .join(','),
  );
  writeAtomically(join(outDir, 'mpgemm.csv'), [header.join(','), ...lines].join('\n') + '\n');
  writeAtomically(
    join(outDir, 'mpgemm.json'),
    JSON.stringify({ subset: subsetWords, results }, null, 2) + '\n',
  );
  const shapes = [...new Set(results.map((r) => `${r.rows}x${r.lanes}`))];
  const activations = [...new Set(results.map((r) => r.activation))];
  writeAtomically(
    join(outDir, 'mpgemm.svg'),
    lineSvg({
      title: 'MACs/cycle per 1,000 ECP5 LUTs (Yosys, whole core)',
      xLabel: 'weight bits B (uint, zero point)',
      yLabel: 'MACs/cycle per 1,000 LUT4',
      panels: shapes.flatMap((shape) =>
        activations.map((activation) => {
          const mine = results.filter((r) => `${r.rows}x${r.lanes}` === shape && r.activation === activation);
          return {
            title: `${activation} activations, P×S = ${shape.replace('x', ' × ')}`,
            series: DESIGNS.filter((d) => mine.some((r) => r.design === d.key)).map((d) => ({
              label: d.label,
              points: mine
                .filter((r) => r.design === d.key && r.perKlut.ecp5 !== undefined)
                .map((r) => ({ x: r.wBits, y: r.perKlut.ecp5! })),
            })),
          };
        }),
      ),
    }),
  );
}
