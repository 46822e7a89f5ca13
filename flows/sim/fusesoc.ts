// Runs a package's FuseSoC core (<ip>.core, templates/fusesoc/core.hbs) with the fusesoc of the
// project's .venv (requirements.txt): the `sim` target (the vector or job testbench, Icarus by
// default) and the `lint` target (verilator --lint-only -Wall).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTestbenchOutput } from '../../testbenches/sim/parse-output.ts';
import { runProcess } from '../../testbenches/sim/run-process.ts';
import { timeLimit } from '../../testbenches/sim/time-limit.ts';
import { coreVlnv } from '../ippack/collateral.ts';
import { VENV_DIR } from '../tools.ts';

/** The fusesoc executable in .venv; a missing one is an Error that names the setup command. */
export function requireFusesoc(venvDir: string = VENV_DIR): string {
  const path = join(venvDir, 'bin', 'fusesoc');
  if (existsSync(path)) return path;
  throw new Error(
    `fusesoc (from requirements.txt) is not installed in ${venvDir}: run ./setup.sh --no-build ` +
      `(or: python3 -m venv .venv && .venv/bin/pip install -r requirements.txt)`,
  );
}

export interface FusesocRun {
  exitCode: number;
  /** The testbench's "N passed, N failed" (sim target), if it printed one. */
  passed?: number;
  failed?: number;
  output: string;
  seconds: number;
  logPath: string;
}

/**
 * `fusesoc --cores-root <pkgDir> run --build-root <buildRoot> --target <target> [--tool <tool>] <vlnv>`,
 * as a user runs the package's core; the output is kept in `<buildRoot>/fusesoc-<target>[-tool].log`.
 */
export async function runFusesoc(
  pkgDir: string,
  ip: string,
  target: 'sim' | 'lint',
  buildRoot: string,
  tool?: 'icarus' | 'verilator',
): Promise<FusesocRun> {
  const fusesoc = requireFusesoc();
  await mkdir(buildRoot, { recursive: true });
  const logPath = join(buildRoot, `fusesoc-${target}${tool === undefined ? '' : `-${tool}`}.log`);
  const args = ['--cores-root', pkgDir, 'run', '--build-root', buildRoot, '--target', target];
  if (tool !== undefined) args.push('--tool', tool);
  const run = await runProcess(fusesoc, [...args, coreVlnv(ip)], {
    cwd: buildRoot,
    logPath,
    timeLimit: timeLimit('build'),
  });
  const summary = parseTestbenchOutput(run.output);
  return {
    exitCode: run.exitCode,
    passed: summary?.passed,
    failed: summary?.failed,
    output: run.output,
    seconds: run.seconds,
    logPath,
  };
}
