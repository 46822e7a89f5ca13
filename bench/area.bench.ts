// Area targets: LUTs of the units where Yosys's generic mapping loses most to a careful hand design,
// against the target of each, on a 7-series without DSP blocks (synth_xilinx -nodsp) with the Yosys the
// baselines use (Debian's 0.23, engine 'native'), through the same synthesis flow as `bitsmith synth`.
// The W4A16 GEMV catalog core's LUTs and DSPs per MAC come from ip/baselines.json (xc7 with DSPs; a
// whole core takes minutes to synthesize). `npm run bench -- area` runs only this.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readBaselines } from '../flows/ippack/baselines.ts';
import { yosysVersion } from '../flows/ippack/tool-versions.ts';
import { synthesize } from '../flows/synth/synthesize.ts';
import type { SynthTarget } from '../flows/synth/types.ts';
import { resolveTarget } from '../flows/target.ts';
import { emitVerilog } from '../generators/emit/verilog.ts';
import { MULTIPLIERS } from '../generators/arith/multiplier.ts';
import { CATALOG } from '../ip/catalog.ts';

interface AreaUnit {
  label: string;
  /** Catalog IP or generator, with parameter overrides (as `bitsmith synth <name> --set ...`). */
  name: string;
  set?: Record<string, unknown>;
  /** At most this many LUTs (per lane with `perLane`). */
  target: number;
  /** The figure when the target was set (issue #21), for the before/after comparison. */
  before?: number;
  /** Report LUTs per lane of a unit with this many lanes. */
  perLane?: number;
}

const UNSIGNED = { aSigned: false, bSigned: false, latency: 0 };

/** An INT8×INT8 row per multiplier besides auto and its choice without DSP blocks (the row above). */
function multiplierRows(kind: string, set: Record<string, unknown>, target: number): AreaUnit[] {
  return MULTIPLIERS.filter((m) => m !== 'auto' && m !== NO_DSP).map((multiplier) => ({
    label: `  ${kind}, multiplier=${multiplier}`,
    name: 'int_mul',
    set: { ...set, latency: 0, multiplier },
    target,
  }));
}

/**
 * What int_mul's auto multiplier becomes on a target without DSP blocks, as a clock request judged on
 * iCE40 resolves it (the bench's xc7 -nodsp has none either).
 */
const NO_DSP = (resolveTarget('int_mul', { fmax: 1, target: 'ice40' }).params as { multiplier: string })
  .multiplier;

const FP8_MUL = { aFormat: 'e4m3fn', bFormat: 'e4m3fn', outFormat: 'e4m3fn', latency: 0 };

export const AREA_UNITS: AreaUnit[] = [
  {
    label: 'MXFP4→FP16 one lane FTZ',
    name: 'dequant',
    set: { format: 'mxfp4', outFormat: 'fp16', lanes: 1, latency: 0, outputSubnormals: 'flush' },
    target: 40,
    before: 108,
  },
  {
    label: `INT8×INT8 signed (auto, no DSP: ${NO_DSP})`,
    name: 'int_mul',
    set: { latency: 0, multiplier: NO_DSP },
    target: 100,
    before: 166,
  },
  ...multiplierRows('signed', { aSigned: true, bSigned: true }, 100),
  {
    label: `INT8×INT8 unsigned (auto, no DSP: ${NO_DSP})`,
    name: 'int_mul',
    set: { ...UNSIGNED, multiplier: NO_DSP },
    target: 90,
    before: 114,
  },
  ...multiplierRows('unsigned', UNSIGNED, 90),
  { label: 'FP8 E4M3 with subnormals', name: 'fp_mul', set: FP8_MUL, target: 64, before: 80 },
  {
    label: 'FP8 E4M3 flush-to-zero',
    name: 'fp_mul',
    set: { ...FP8_MUL, inputSubnormals: 'flush', outputSubnormals: 'flush' },
    target: 49,
    before: 49,
  },
  {
    label: 'dot32 E4M3 → fp32 (per lane)',
    name: 'dot',
    set: { aFormat: 'e4m3fn', bFormat: 'e4m3fn', lanes: 32, sum: 'exact', outFormat: 'fp32', latency: 0 },
    target: 160,
    before: 254,
    perLane: 32,
  },
  {
    label: 'FP32 → E4M3 satfinite (per lane)',
    name: 'cvt_fp32_e4m3fn_x8',
    set: { latency: 0 },
    target: 40,
    before: 52.6,
    perLane: 8,
  },
];

const SYNTH_TARGET: SynthTarget = 'xc7-nodsp';
const ENGINE = 'native';

/** LUTs of one unit on xc7 -nodsp, or another target (per lane for a multi-lane unit). */
export async function measureLuts(
  unit: Pick<AreaUnit, 'name' | 'set' | 'perLane'>,
  dir: string,
  target: SynthTarget = SYNTH_TARGET,
): Promise<number> {
  const { module } = resolveTarget(unit.name, unit.set ?? {});
  mkdirSync(join(dir, 'rtl'), { recursive: true });
  const files = emitVerilog(module).map((f) => {
    const path = join(dir, 'rtl', f.fileName);
    writeFileSync(path, f.text);
    return path;
  });
  const report = await synthesize({
    files,
    top: module.name,
    target,
    engine: ENGINE,
    workDir: join(dir, 'synth'),
  });
  return report.luts / (unit.perLane ?? 1);
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells
    .map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!)))
    .join('  ');
}

const round = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

export async function benchArea(): Promise<void> {
  const root = join(tmpdir(), `bitsmith-bench-area-${process.pid}`);
  console.log(
    `area: ${SYNTH_TARGET} (synth_xilinx -family xc7 -nodsp), ${(await yosysVersion(ENGINE)) ?? 'Yosys (version unknown)'}, LUTs`,
  );
  const widths = [36, 8, 8, 8, 5];
  // issue: the figure when the target was set; today: measured now.
  console.log(row(['unit', 'target', 'issue', 'today', ''], widths));
  for (const [i, unit] of AREA_UNITS.entries()) {
    const luts = await measureLuts(unit, join(root, String(i)));
    const verdict = luts <= unit.target ? 'met' : 'over';
    console.log(row([unit.label, `≤ ${unit.target}`, unit.before ?? '', round(luts), verdict], widths));
  }
  printGemvPerMac();
}

/** LUTs and DSPs per MAC of the W4A16 GEMV catalog core, from its xc7 baseline (P×S MACs per cycle). */
function printGemvPerMac(): void {
  const name = 'gemv_w4a16_g128_p4s8';
  const entry = CATALOG.find((e) => e.name === name);
  const area = readBaselines()?.ips[name]?.area.xc7;
  if (entry === undefined || area === undefined) {
    console.log(`${name}: no xc7 baseline in ip/baselines.json`);
    return;
  }
  const { rows, lanes } = resolveTarget(name).params as { rows: number; lanes: number };
  const macs = rows * lanes;
  console.log(
    `${name} (xc7 with DSPs, from ip/baselines.json): ${macs} MACs, ${area.luts} LUTs, ${area.dsps} DSPs: ` +
      `${(area.luts / macs).toFixed(1)} LUTs per MAC, ${(area.dsps / macs).toFixed(3)} DSPs per MAC (target ≤ 0.25)`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchArea();
