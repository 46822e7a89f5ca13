import { join } from 'node:path';
import { recordResults, writePackage } from '../package.ts';
import { FMAX_DEVICES, fmaxTargetsOf, type FmaxTarget } from '../pnr/devices.ts';
import { measureFmax } from '../pnr/fmax.ts';
import type { FmaxResult } from '../ippack/results.ts';
import type { SynthEngine, SynthTarget } from '../synth/types.ts';
import type { Target } from '../target.ts';

export interface FmaxReport {
  target: FmaxTarget;
  fmax?: FmaxResult;
  reportPath?: string;
  skipped?: string;
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
      reports.push({
        target: t,
        fmax: f,
        reportPath: outcome.reportPath,
        text: `\nFmax ${target.ip} on ${device.family} (${f.device}): ${f.mhz.toFixed(2)} MHz, registered I/O, ${device.pnr} ${f.nextpnr} seed ${f.seed}\n  report: ${outcome.reportPath}\n`,
      });
    } else {
      process.stderr.write(`${target.ip}: ${outcome.skipped}\n`);
      recordResults(target, pkg.dir, { notes: { [`fmax ${t}`]: outcome.skipped } });
      reports.push({ target: t, skipped: outcome.skipped, text: `\n${outcome.skipped}\n` });
    }
  }
  return reports;
}
