import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { renderTemplate } from '../../generators/emit/templates.ts';
import type { Module } from '../../generators/hdl/ir.ts';
import { runProcess, toolError } from '../../testbenches/sim/run-process.ts';
import type { FmaxResult } from '../ippack/results.ts';
import { nextpnrVersion, yosysVersion } from '../ippack/tool-versions.ts';
import { cellsFromStat } from '../synth/area-report.ts';
import type { SynthEngine } from '../synth/types.ts';
import { runYosysScript } from '../synth/yosys-runner.ts';
import { debianPackageOf, findTool } from '../tools.ts';
import { FMAX_DEVICES, FMAX_SEED, FMAX_TARGET_MHZ } from './devices.ts';
import { FMAX_TOP, renderFmaxTop } from './fmax-top.ts';

export type FmaxTarget = 'ice40' | 'ice40-dsp';

export interface FmaxOptions {
  module: Module;
  /** The unit's Verilog files. */
  rtlFiles: string[];
  target: FmaxTarget;
  engine: SynthEngine;
  /** Receives the wrapper, the Yosys and nextpnr scripts, logs and reports; created if missing. */
  workDir: string;
}

export type FmaxOutcome = { fmax: FmaxResult; reportPath: string } | { skipped: string };

/** What to say when nextpnr-ice40 is missing: Fmax is skipped, nothing else. */
export function missingNextpnrMessage(): string {
  const pkg = debianPackageOf('nextpnr-ice40');
  return `Fmax not measured: nextpnr-ice40 is not installed (Debian package ${pkg}: apt-get install ${pkg})`;
}

/**
 * Fmax of a unit on an iCE40: the unit wrapped with registered I/O (bitsmith_fmax_top), synthesized
 * with synth_ice40, placed and routed by nextpnr-ice40 with a fixed seed; the figure is the achieved
 * frequency of the clock from nextpnr's --report JSON. Combinational units get a clock too: the
 * wrapper's registers around them.
 */
export async function measureFmax(options: FmaxOptions): Promise<FmaxOutcome> {
  const nextpnr = await findTool('nextpnr-ice40');
  if (nextpnr === undefined) return { skipped: missingNextpnrMessage() };
  const device = FMAX_DEVICES[options.target];
  if (device === undefined)
    throw new Error(`Fmax: target '${options.target}' is not allowed: use ice40 or ice40-dsp`);
  const { workDir, module } = options;

  await mkdir(join(workDir, 'src'), { recursive: true });
  await Promise.all(['fmax.json', 'report.json'].map((f) => rm(join(workDir, f), { force: true })));
  const sources = options.rtlFiles.map((f) => `src/${basename(f)}`);
  await Promise.all(options.rtlFiles.map((f, i) => copyFile(f, join(workDir, sources[i]!))));
  await writeFile(join(workDir, 'src', `${FMAX_TOP}.v`), renderFmaxTop(module));
  sources.push(`src/${FMAX_TOP}.v`);
  const synthCommand = `synth_ice40${options.target === 'ice40-dsp' ? ' -dsp' : ''} -top ${FMAX_TOP} -json fmax.json`;
  await writeFile(
    join(workDir, 'fmax.ys'),
    renderTemplate('pnr/fmax.ys.hbs', {
      top: module.name,
      files: sources,
      synthCommand,
      statFile: 'stat.json',
    }),
  );
  const synth = await runYosysScript(options.engine, {
    workDir,
    script: 'fmax.ys',
    inputs: sources,
    outputs: ['fmax.json', 'stat.json'],
  });
  if (synth.exitCode !== 0) {
    throw new Error(`Yosys failed on the Fmax wrapper of ${module.name}; log: ${synth.logPath}`);
  }
  const cells = cellsFromStat(await readFile(join(workDir, 'stat.json'), 'utf8'));
  const luts = cells.SB_LUT4 ?? 0;
  if (luts > device.luts) {
    return {
      skipped: `Fmax not measured: the wrapped unit needs ${luts} LUTs, more than the ${device.name}'s ${device.luts}`,
    };
  }

  const args = [
    device.flag,
    '--package',
    device.package,
    '--json',
    'fmax.json',
    '--asc',
    'fmax.asc',
    '--report',
    'report.json',
    '--freq',
    String(FMAX_TARGET_MHZ),
    '--seed',
    String(FMAX_SEED),
    // Missing the target clock is a measurement, not an error.
    '--timing-allow-fail',
  ];
  await writeFile(join(workDir, 'nextpnr.sh'), `#!/bin/sh\nexec nextpnr-ice40 ${args.join(' ')}\n`);
  const logPath = join(workDir, 'nextpnr.log');
  const pnr = await runProcess(nextpnr, args, { cwd: workDir, logPath });
  const needed = pnr.exitCode === 0 ? undefined : logicCellsThatDidNotFit(pnr.output);
  if (needed !== undefined) {
    return {
      skipped: `Fmax not measured: packed, the wrapped unit needs ${needed} logic cells, more than the ${device.name}'s ${device.luts}`,
    };
  }
  if (pnr.exitCode !== 0) throw toolError(`nextpnr-ice40 (Fmax of ${module.name})`, pnr, logPath);

  const reportPath = join(workDir, 'report.json');
  const report = parseNextpnrReport(await readFile(reportPath, 'utf8'));
  return {
    fmax: {
      mhz: report.mhz,
      device: device.name,
      nextpnr: (await nextpnrVersion()) ?? 'unknown',
      yosys: (await yosysVersion(options.engine)) ?? 'unknown',
      seed: FMAX_SEED,
      logicCells: report.logicCells,
    },
    reportPath,
  };
}

/**
 * The logic cells a design needed when nextpnr could not place it for lack of them. The LUT count
 * checked before placement can pass while carries and flip-flops that do not pack with a LUT need
 * more cells than the part has; nextpnr then says e.g. "Failed to expand region ... of 8414 ICESTORM_LCs".
 */
export function logicCellsThatDidNotFit(output: string): number | undefined {
  const match = /Failed to expand region .* of (\d+) ICESTORM_LCs/.exec(output);
  return match === null ? undefined : Number(match[1]);
}

interface NextpnrReport {
  fmax?: Record<string, { achieved?: number; constraint?: number }>;
  utilization?: Record<string, { used?: number; available?: number }>;
}

/** The achieved Fmax of the clock (MHz, two decimals) and the logic cells used, from nextpnr --report. */
export function parseNextpnrReport(text: string): { mhz: number; logicCells: number } {
  const report = JSON.parse(text) as NextpnrReport;
  const clocks = Object.entries(report.fmax ?? {}).filter(([, v]) => typeof v.achieved === 'number');
  if (clocks.length === 0)
    throw new Error('nextpnr report has no achieved clock frequency (fmax section empty)');
  // One clock in the wrapper; if nextpnr lists several (e.g. a derived net), the slowest limits the unit.
  const mhz = Math.min(...clocks.map(([, v]) => v.achieved!));
  return {
    mhz: Math.round(mhz * 100) / 100,
    logicCells: report.utilization?.ICESTORM_LC?.used ?? 0,
  };
}
