import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runProcess } from '../../testbenches/sim/run-process.ts';
import { requireTool } from '../tools.ts';
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

type Tree = { [name: string]: Tree | string | Uint8Array };

// @yowasp/yosys runs in a virtual file system: the inputs go in as a tree, written files come back as one.
async function runYowasp(job: YosysJob): Promise<YosysRun> {
  const { runYosys } = await import('@yowasp/yosys');
  const tree: Tree = {};
  for (const file of [job.script, ...job.inputs])
    putFile(tree, file, await readFile(join(job.workDir, file)));
  let log = '';
  const decoder = new TextDecoder();
  const collect = (bytes: Uint8Array | null) => {
    if (bytes) log += decoder.decode(bytes, { stream: true });
  };
  const started = performance.now();
  let exitCode = 0;
  let written: Tree = {};
  try {
    written = ((await runYosys(['-s', job.script], tree, { stdout: collect, stderr: collect })) ??
      {}) as Tree;
  } catch (error) {
    if (!isExit(error)) throw error;
    exitCode = error.code;
    written = error.files as Tree;
  }
  const seconds = (performance.now() - started) / 1000;
  for (const file of job.outputs) {
    const content = getFile(written, file);
    if (content !== undefined) {
      await mkdir(dirname(join(job.workDir, file)), { recursive: true });
      await writeFile(join(job.workDir, file), content);
    }
  }
  const logPath = join(job.workDir, 'yosys.log');
  await writeFile(logPath, log);
  return { exitCode, log, logPath, seconds };
}

function isExit(error: unknown): error is { code: number; files: unknown } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'number';
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
