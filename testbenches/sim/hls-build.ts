import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isBuildCurrent, recordBuild } from './build-stamp.ts';
import { requireExecutable } from './executables.ts';
import { runProcess, toolError } from './run-process.ts';

/** How the C-simulation is compiled: the flags the HLS C++ must pass without a single warning. */
export const CSIM_FLAGS = ['-std=c++17', '-O2', '-Wall', '-Wextra'];

/** The C-simulation executable, in the run's folder. */
export const CSIM_BINARY = 'csim';

export interface CsimBuild {
  /** Seconds g++ took; 0 when the executable was already built from the same files. */
  seconds: number;
  binary: string;
}

/**
 * Writes `files` into `dir` and compiles the .cpp ones with g++ into `dir/csim`, unless it was built from
 * the same files and flags before. A compile error, or any warning, is an Error with the compiler's
 * first lines and the path of the full log.
 */
export async function buildCsim(
  dir: string,
  files: { fileName: string; text: string }[],
  what: string,
): Promise<CsimBuild> {
  const compiler = await requireExecutable('g++', 'g++');
  await Promise.all(files.map((f) => writeFile(join(dir, f.fileName), f.text)));
  const binary = join(dir, CSIM_BINARY);
  const paths = files.map((f) => join(dir, f.fileName)).sort();
  if (await isBuildCurrent(dir, CSIM_BINARY, CSIM_FLAGS, paths)) return { seconds: 0, binary };
  const sources = files.map((f) => f.fileName).filter((name) => name.endsWith('.cpp'));
  const logPath = join(dir, 'build.log');
  const build = await runProcess(compiler, [...CSIM_FLAGS, '-I.', '-o', CSIM_BINARY, ...sources], {
    cwd: dir,
    logPath,
  });
  if (build.exitCode !== 0) throw toolError(`g++ (C-simulation of ${what})`, build, logPath);
  if (/warning:/.test(build.output)) {
    const lines = build.output.trimEnd().split('\n');
    const first = Math.max(
      0,
      lines.findIndex((line) => line.includes('warning:')),
    );
    throw new Error(
      `g++ (C-simulation of ${what}) warned; the generated C++ must compile with ${CSIM_FLAGS.join(' ')} ` +
        `without a warning:\n${lines.slice(Math.max(0, first - 2), first + 18).join('\n')}\nFull log: ${logPath}`,
    );
  }
  await recordBuild(dir, CSIM_FLAGS, paths);
  return { seconds: build.seconds, binary };
}
