import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { renderTemplate } from '../../generators/emit/templates.ts';
import { emitVerilog } from '../../generators/emit/verilog.ts';
import type { Module } from '../../generators/hdl/ir.ts';
import { runProcess, toolError } from '../../testbenches/sim/run-process.ts';
import type { FmaxResult } from '../ippack/results.ts';
import { nextpnrVersion, yosysVersion } from '../ippack/tool-versions.ts';
import { cellsFromStat } from '../synth/area-report.ts';
import type { SynthEngine } from '../synth/types.ts';
import { runYosysScript } from '../synth/yosys-runner.ts';
import { findTool, installHint } from '../tools.ts';
import { FMAX_DEVICES, FMAX_SEED, FMAX_TARGETS, type FmaxTarget } from './devices.ts';
import { FMAX_TOP, renderFmaxTop } from './fmax-top.ts';

export type { FmaxTarget } from './devices.ts';

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

/** What to say when the target's nextpnr is missing: Fmax is skipped, nothing else. */
export function missingNextpnrMessage(target: FmaxTarget = 'ice40'): string {
  const tool = FMAX_DEVICES[target].pnr;
  return `Fmax not measured: ${tool} is not installed (${installHint(tool)})`;
}

/**
 * Fmax of a unit on an FPGA: the unit wrapped with registered I/O (bitsmith_fmax_top), synthesized for
 * the device, placed and routed by nextpnr with a fixed seed; the figure is the achieved frequency of
 * the clock from nextpnr's --report JSON. Combinational units get a clock too: the wrapper's registers
 * around them. A design too large for the device is skipped with the resource and the count it needed.
 */
export async function measureFmax(options: FmaxOptions): Promise<FmaxOutcome> {
  const device = FMAX_DEVICES[options.target];
  if (device === undefined)
    throw new Error(`Fmax: target '${options.target}' is not allowed: use ${FMAX_TARGETS.join(', ')}`);
  const nextpnr = await findTool(device.pnr);
  if (nextpnr === undefined) return { skipped: missingNextpnrMessage(options.target) };
  const { workDir, module } = options;

  await mkdir(join(workDir, 'src'), { recursive: true });
  await Promise.all(['fmax.json', 'report.json'].map((f) => rm(join(workDir, f), { force: true })));
  const sources = options.rtlFiles.map((f) => `src/${basename(f)}`);
  await Promise.all(options.rtlFiles.map((f, i) => copyFile(f, join(workDir, sources[i]!))));
  await writeFile(join(workDir, 'src', `${FMAX_TOP}.v`), renderFmaxTop(module));
  sources.push(`src/${FMAX_TOP}.v`);
  await writeFile(
    join(workDir, 'fmax.ys'),
    renderTemplate('pnr/fmax.ys.hbs', {
      top: module.name,
      pnr: device.pnr,
      files: sources,
      synthCommand: fmaxSynthCommand(options.target),
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
  const luts = cells[device.lutCell] ?? 0;
  if (luts > device.luts) {
    return {
      skipped: `Fmax not measured: the wrapped unit needs ${luts} LUTs, more than the ${device.name}'s ${device.luts}`,
    };
  }

  const args = fmaxPnrArgs(options.target);
  await writeFile(join(workDir, 'nextpnr.sh'), `#!/bin/sh\nexec ${device.pnr} ${args.join(' ')}\n`);
  const logPath = join(workDir, 'nextpnr.log');
  const pnr = await runProcess(nextpnr, args, { cwd: workDir, logPath });
  if (pnr.exitCode !== 0) {
    const short = resourceShortfall(pnr.output);
    if (short !== undefined) {
      return {
        skipped: `Fmax not measured: placed on the ${device.name}, the wrapped unit needs ${short.needed} ${short.resource}, more than its ${short.available}`,
      };
    }
    throw toolError(`${device.pnr} (Fmax of ${module.name})`, pnr, logPath);
  }

  const reportPath = join(workDir, 'report.json');
  const report = parseNextpnrReport(await readFile(reportPath, 'utf8'), device.logicCell);
  return {
    fmax: {
      mhz: report.mhz,
      device: device.name,
      nextpnr: (await nextpnrVersion(device.pnr)) ?? 'unknown',
      yosys: (await yosysVersion(options.engine)) ?? 'unknown',
      seed: FMAX_SEED,
      logicCells: report.logicCells,
    },
    reportPath,
  };
}

/** measureFmax for a module not yet written out: its Verilog goes to `<workDir>/rtl/` first. */
export async function measureModuleFmax(options: Omit<FmaxOptions, 'rtlFiles'>): Promise<FmaxOutcome> {
  const rtl = join(options.workDir, 'rtl');
  await mkdir(rtl, { recursive: true });
  const rtlFiles = await Promise.all(
    emitVerilog(options.module).map(async (f) => {
      await writeFile(join(rtl, f.fileName), f.text);
      return join(rtl, f.fileName);
    }),
  );
  return measureFmax({ ...options, rtlFiles, workDir: join(options.workDir, 'pnr') });
}

/** The Yosys command that maps the Fmax wrapper for a target. */
export function fmaxSynthCommand(target: FmaxTarget): string {
  return `${FMAX_DEVICES[target].synth} -top ${FMAX_TOP} -json fmax.json`;
}

/** nextpnr's arguments for a target: device, fixed seed, the clock aimed at, the report. */
export function fmaxPnrArgs(target: FmaxTarget): string[] {
  const device = FMAX_DEVICES[target];
  return [
    ...device.deviceArgs,
    '--json',
    'fmax.json',
    '--report',
    'report.json',
    '--freq',
    String(device.aimMhz),
    '--seed',
    String(FMAX_SEED),
    // Missing the aimed-at clock is a measurement, not an error.
    '--timing-allow-fail',
  ];
}

/**
 * The resource a design ran out of, from nextpnr's output when it could not place it: a utilization
 * line whose use exceeds what the part has ("MULT18X18D:   200/   156   128%"), or iCE40's "Failed to
 * expand region ... of 8414 ICESTORM_LCs" (carries and flip-flops that do not pack with a LUT can
 * need more cells than the LUT count checked before placement).
 */
export function resourceShortfall(
  output: string,
): { resource: string; needed: number; available: number } | undefined {
  for (const match of output.matchAll(/^Info:\s+(\w+):\s+(\d+)\/\s*(\d+)\s+\d+%/gm)) {
    const [needed, available] = [Number(match[2]), Number(match[3])];
    if (needed > available) return { resource: match[1]!, needed, available };
  }
  const region = /Failed to expand region .* of (\d+) ICESTORM_LCs/.exec(output);
  if (region !== null) {
    return { resource: 'ICESTORM_LCs', needed: Number(region[1]), available: FMAX_DEVICES.ice40.luts };
  }
  return undefined;
}

interface NextpnrReport {
  fmax?: Record<string, { achieved?: number; constraint?: number }>;
  utilization?: Record<string, { used?: number; available?: number }>;
}

/** The achieved Fmax of the clock (MHz, two decimals) and the logic cells used, from nextpnr --report. */
export function parseNextpnrReport(
  text: string,
  logicCell = 'ICESTORM_LC',
): { mhz: number; logicCells: number } {
  const report = JSON.parse(text) as NextpnrReport;
  const clocks = Object.entries(report.fmax ?? {}).filter(([, v]) => typeof v.achieved === 'number');
  if (clocks.length === 0)
    throw new Error('nextpnr report has no achieved clock frequency (fmax section empty)');
  // One clock in the wrapper; if nextpnr lists several (e.g. a derived net), the slowest limits the unit.
  const mhz = Math.min(...clocks.map(([, v]) => v.achieved!));
  return {
    mhz: Math.round(mhz * 100) / 100,
    logicCells: report.utilization?.[logicCell]?.used ?? 0,
  };
}
