import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { isBuildCurrent, recordBuild } from './build-stamp.ts';
import { requireExecutable } from './executables.ts';
import { runProcess, toolError } from './run-process.ts';

/** How the C-simulation is compiled: the flags the HLS C++ must pass without a single warning. */
export const CSIM_FLAGS = ['-std=c++17', '-O2', '-Wall', '-Wextra'];

/** Sources larger than this (in characters, all together) are compiled in parallel. */
const PARALLEL_FROM_CHARS = 60_000;

/** The C-simulation executable, in the run's folder. */
export const CSIM_BINARY = 'csim';

export interface CsimBuild {
  /** Seconds g++ took; 0 when the executable was already built from the same files. */
  seconds: number;
  binary: string;
}

/**
 * Writes `files` into `dir` and compiles the .cpp ones with g++ into `dir/csim` (each source on its own,
 * in parallel, then linked), unless it was built from the same files and flags before. A compile error,
 * or any warning, is an Error with the compiler's first lines and the path of the full log.
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
  const sources = files.filter((f) => f.fileName.endsWith('.cpp'));
  const started = performance.now();
  const compile = async (names: string[], args: string[], logPath: string) => {
    const result = await runProcess(compiler, [...CSIM_FLAGS, '-I.', ...args], { cwd: dir, logPath });
    if (result.exitCode !== 0) throw toolError(`g++ (C-simulation of ${what})`, result, logPath);
    if (/warning:/.test(result.output)) throw warned(what, result.output, logPath);
    return names;
  };
  const size = sources.reduce((total, f) => total + f.text.length, 0);
  const jobs = Math.min(sources.length, availableParallelism());
  if (size < PARALLEL_FROM_CHARS || jobs < 2) {
    // Small designs: one g++ run is quicker than several.
    const names = sources.map((f) => f.fileName);
    await compile(names, ['-o', CSIM_BINARY, ...names], join(dir, 'build.log'));
  } else {
    // Big designs: each source on its own, as many at once as there are cores, then one link.
    const queue = sources.map((f) => f.fileName);
    const worker = async (): Promise<void> => {
      for (let source = queue.shift(); source !== undefined; source = queue.shift())
        await compile([source], ['-c', source, '-o', `${source}.o`], join(dir, `build-${source}.log`));
    };
    await Promise.all(Array.from({ length: jobs }, () => worker()));
    const logPath = join(dir, 'build.log');
    const objects = sources.map((f) => `${f.fileName}.o`);
    const link = await runProcess(compiler, ['-o', CSIM_BINARY, ...objects], { cwd: dir, logPath });
    if (link.exitCode !== 0) throw toolError(`g++ (linking the C-simulation of ${what})`, link, logPath);
  }
  await recordBuild(dir, CSIM_FLAGS, paths);
  return { seconds: (performance.now() - started) / 1000, binary };
}

function warned(what: string, output: string, logPath: string): Error {
  const lines = output.trimEnd().split('\n');
  const first = Math.max(
    0,
    lines.findIndex((line) => line.includes('warning:')),
  );
  return new Error(
    `g++ (C-simulation of ${what}) warned; the generated C++ must compile with ${CSIM_FLAGS.join(' ')} ` +
      `without a warning:\n${lines.slice(Math.max(0, first - 2), first + 18).join('\n')}\nFull log: ${logPath}`,
  );
}
