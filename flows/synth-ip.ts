import { join } from 'node:path';
import { synthesize } from './synth/synthesize.ts';
import type { AreaReport, SynthEngine, SynthTarget } from './synth/types.ts';
import { areaResult } from './ippack/results.ts';
import { yosysVersion } from './ippack/tool-versions.ts';
import { withPackageLock } from './lock.ts';
import { packageDir, recordResults, writePackage } from './package.ts';
import type { Target } from './target.ts';

/** Generate an IP and synthesize it for one target; the Yosys files land in out/<ip>/synth/<target>/. */
export function synthTarget(target: Target, options: SynthOptions): Promise<AreaReport> {
  return withPackageLock(packageDir(options.outDir, target.ip), () => synthLocked(target, options));
}

interface SynthOptions {
  outDir: string;
  target: SynthTarget;
  engine: SynthEngine;
}

async function synthLocked(target: Target, options: SynthOptions): Promise<AreaReport> {
  const pkg = writePackage(target, options.outDir);
  const report = await synthesize({
    files: pkg.rtlFiles,
    top: target.module.name,
    target: options.target,
    engine: options.engine,
    workDir: join(pkg.dir, 'synth', options.target),
  });
  // The package's results.json (and README, for a full package) show the figures with their Yosys.
  const yosys = (await yosysVersion(options.engine)) ?? 'unknown';
  recordResults(target, pkg.dir, { area: { [options.target]: areaResult(report, options.engine, yosys) } });
  return report;
}
