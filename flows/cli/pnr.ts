import { recordResults, writePackage } from '../package.ts';
import { measureFmax, type FmaxTarget } from '../pnr/fmax.ts';
import type { FmaxResult } from '../ippack/results.ts';
import type { SynthEngine, SynthTarget } from '../synth/types.ts';
import type { Target } from '../target.ts';
import { join } from 'node:path';

export interface FmaxReport {
  target: FmaxTarget;
  fmax?: FmaxResult;
  reportPath?: string;
  skipped?: string;
  /** The lines `bitsmith synth --pnr` prints. */
  text: string;
}

/**
 * `synth --pnr`: Fmax on every iCE40 target asked for (ice40 when none was). A missing nextpnr-ice40
 * skips only this part, with a message naming the Debian package; the area figures still stand.
 */
export async function runFmax(
  target: Target,
  synthTargets: SynthTarget[],
  options: { outDir: string; engine: SynthEngine },
): Promise<FmaxReport[]> {
  const iceTargets = synthTargets.filter((t): t is FmaxTarget => t === 'ice40' || t === 'ice40-dsp');
  const pkg = writePackage(target, options.outDir);
  const reports: FmaxReport[] = [];
  for (const t of iceTargets.length > 0 ? iceTargets : (['ice40'] as const)) {
    process.stderr.write(`${target.ip}: place and route ${t} (nextpnr-ice40)\n`);
    const outcome = await measureFmax({
      module: target.module,
      rtlFiles: pkg.rtlFiles,
      target: t,
      engine: options.engine,
      workDir: join(pkg.dir, 'pnr', t),
    });
    if ('fmax' in outcome) {
      const f = outcome.fmax;
      if (t === 'ice40') recordResults(target, pkg.dir, { fmax: f });
      reports.push({
        target: t,
        fmax: f,
        reportPath: outcome.reportPath,
        text: `\nFmax ${target.ip} on ${t} (${f.device}): ${f.mhz.toFixed(2)} MHz, registered I/O, nextpnr-ice40 ${f.nextpnr} seed ${f.seed}\n  report: ${outcome.reportPath}\n`,
      });
    } else {
      process.stderr.write(`${target.ip}: ${outcome.skipped}\n`);
      if (t === 'ice40') recordResults(target, pkg.dir, { notes: { fmax: outcome.skipped } });
      reports.push({ target: t, skipped: outcome.skipped, text: `\n${outcome.skipped}\n` });
    }
  }
  return reports;
}
