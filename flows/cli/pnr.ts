import { join } from 'node:path';
import { recordResults, writePackage } from '../package.ts';
import { FMAX_DEVICES, fmaxTargetsOf, type FmaxTarget } from '../pnr/devices.ts';
import { measureFmax } from '../pnr/fmax.ts';
import type { FmaxResult } from '../ippack/results.ts';
import type { SynthEngine, SynthTarget } from '../synth/types.ts';
import type { Target } from '../target.ts';
import { TIMING_TARGETS, type TimingTarget } from '../../generators/timing/delay-model.ts';
import { estimateFmax } from '../../generators/timing/estimate.ts';

const isTimingTarget = (t: string): t is TimingTarget => (TIMING_TARGETS as readonly string[]).includes(t);
const signedPercent = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`;

export interface FmaxReport {
  target: FmaxTarget;
  fmax?: FmaxResult;
  reportPath?: string;
  skipped?: string;
  /** The delay model's estimate for the device (docs/timing.md), printed beside the measurement. */
  estimatedMhz?: number;
  /** The lines `bitsmith synth --pnr` prints. */
  text: string;
}

/**
 * `synth --pnr`: Fmax on every device the synthesis targets name (iCE40 HX8K when none does; ECP5 at
 * speed grades 6 and 8). A missing nextpnr skips only that device, with a message saying how to
 * install it; the area figures still stand.
 */
export async function runFmax(
  target: Target,
  synthTargets: SynthTarget[],
  options: { outDir: string; engine: SynthEngine },
): Promise<FmaxReport[]> {
  const fmaxTargets = synthTargets.flatMap(fmaxTargetsOf);
  const pkg = writePackage(target, options.outDir);
  const reports: FmaxReport[] = [];
  for (const t of fmaxTargets.length > 0 ? fmaxTargets : (['ice40'] as const)) {
    const device = FMAX_DEVICES[t];
    process.stderr.write(`${target.ip}: place and route on ${device.family} (${device.pnr})\n`);
    const outcome = await measureFmax({
      module: target.module,
      rtlFiles: pkg.rtlFiles,
      target: t,
      engine: options.engine,
      workDir: join(pkg.dir, 'pnr', t),
    });
    if ('fmax' in outcome) {
      const f = outcome.fmax;
      recordResults(target, pkg.dir, { fmax: { [t]: f } });
      const estimated = isTimingTarget(t) ? estimateFmax(target.module, t).mhz : undefined;
      const versus =
        estimated === undefined
          ? '  (the delay model has no estimate for this device)'
          : `  estimated ${estimated.toFixed(2)} MHz by the delay model (${signedPercent(estimated / f.mhz - 1)} against the measurement)`;
      reports.push({
        target: t,
        fmax: f,
        reportPath: outcome.reportPath,
        ...(estimated === undefined ? {} : { estimatedMhz: Number(estimated.toFixed(2)) }),
        text: `\nFmax ${target.ip} on ${device.family} (${f.device}): ${f.mhz.toFixed(2)} MHz, registered I/O, ${device.pnr} ${f.nextpnr} seed ${f.seed}\n${versus}\n  report: ${outcome.reportPath}\n`,
      });
    } else {
      process.stderr.write(`${target.ip}: ${outcome.skipped}\n`);
      recordResults(target, pkg.dir, { notes: { [`fmax ${t}`]: outcome.skipped } });
      reports.push({ target: t, skipped: outcome.skipped, text: `\n${outcome.skipped}\n` });
    }
  }
  return reports;
}
