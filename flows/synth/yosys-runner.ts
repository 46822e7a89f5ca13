import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runProcess } from '../../testbenches/sim/run-process.ts';
import { timeLimit } from '../../testbenches/sim/time-limit.ts';
import { requireTool } from '../tools.ts';
import { runYowaspThread, type Tree } from './yowasp-thread.ts';
import type { SynthEngine } from './types.ts';

export interface YosysRun {
  exitCode: number;
  /** Everything Yosys printed; also written to `<workDir>/yosys.log`. */
  log: string;
  logPath: string;
  seconds: number;
}

export interface YosysJob {
  workDir: string;
  /** Script file inside workDir. */
  script: string;
  /** Files inside workDir that the script reads (paths relative to workDir). */
  inputs: string[];
  /** Files the script writes (relative to workDir); the yowasp engine copies them out of its sandbox. */
  outputs: string[];
}

/** Runs a Yosys script with workDir as the current folder, in the engine chosen. */
export function runYosysScript(engine: SynthEngine, job: YosysJob): Promise<YosysRun> {
  return engine === 'native' ? runNative(job) : runYowasp(job);
}

async function runNative(job: YosysJob): Promise<YosysRun> {
  const yosys = await requireTool('yosys');
  const logPath = join(job.workDir, 'yosys.log');
  const result = await runProcess(yosys, ['-s', job.script], {
    cwd: job.workDir,
    logPath,
    env: withoutHome(),
  });
  return { exitCode: result.exitCode, log: result.output, logPath, seconds: result.seconds };
}

// Yosys rewrites ~/.yosys_history on every run, even from a script; without HOME it has no history file.
function withoutHome(): NodeJS.ProcessEnv {
  const { HOME: _home, ...env } = process.env;
  return env;
}

// @yowasp/yosys runs in a virtual file system: the inputs go in as a tree, written files come back as one.
async function runYowasp(job: YosysJob): Promise<YosysRun> {
  const tree: Tree = {};
  for (const file of [job.script, ...job.inputs])
    putFile(tree, file, await readFile(join(job.workDir, file)));
  const started = performance.now();
  const run = await runYowaspThread(['-s', job.script], tree, timeLimit('build'));
  const seconds = (performance.now() - started) / 1000;
  for (const file of job.outputs) {
    const content = getFile(run.files, file);
    if (content !== undefined) {
      await mkdir(dirname(join(job.workDir, file)), { recursive: true });
      await writeFile(join(job.workDir, file), content);
    }
  }
  const logPath = join(job.workDir, 'yosys.log');
  await writeFile(logPath, run.log);
  return { exitCode: run.exitCode, log: run.log, logPath, seconds };
}

function putFile(tree: Tree, path: string, content: Uint8Array): void {
  const parts = path.split('/');
  let folder = tree;
  for (const part of parts.slice(0, -1)) folder = (folder[part] ??= {}) as Tree;
  folder[parts[parts.length - 1]!] = content;
}

function getFile(tree: Tree | undefined, path: string): string | Uint8Array | undefined {
  let node: Tree | string | Uint8Array | undefined = tree;
  for (const part of path.split('/')) {
    if (node === undefined || typeof node === 'string' || node instanceof Uint8Array) return undefined;
    node = node[part];
  }
  return typeof node === 'string' || node instanceof Uint8Array ? node : undefined;
}
