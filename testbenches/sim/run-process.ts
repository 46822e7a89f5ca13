import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { timeLimit, timeLimitError } from './time-limit.ts';

export interface ProcessResult {
  exitCode: number;
  /** stdout and stderr, interleaved as they arrived. */
  output: string;
  seconds: number;
}

export interface ProcessOptions {
  cwd: string;
  /** The whole output is written here (with the command line first) for the user to read later. */
  logPath: string;
  /** Seconds before the tool is stopped (default: a build step's, see timeLimit). */
  timeLimit?: number;
  /** The tool's environment (default: bitsmith's own). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs a command to completion; a non-zero exit is a result, not an exception. A run past its time
 * limit is stopped with its whole process group (make's compilers, a shell's children) and is an
 * Error that names the tool and the limit.
 */
export async function runProcess(
  command: string,
  args: string[],
  options: ProcessOptions,
): Promise<ProcessResult> {
  const limit = options.timeLimit ?? timeLimit('build');
  const run = await runLimited(command, args, options.cwd, limit, options.env);
  await writeFile(options.logPath, `$ ${[command, ...args].join(' ')}\n${run.output}`);
  if (run.timedOut) throw timedOut(command, limit, `Output so far: ${options.logPath}`);
  return { exitCode: run.exitCode, output: run.output, seconds: run.seconds };
}

/** What a tool prints for a short query such as --version; a failure or time-out is an Error. */
export async function queryTool(command: string, args: string[]): Promise<string> {
  const limit = timeLimit('query');
  const run = await runLimited(command, args, process.cwd(), limit);
  if (run.timedOut) throw timedOut(command, limit, `It was asked: ${[command, ...args].join(' ')}`);
  if (run.exitCode !== 0) {
    throw new Error(`${[command, ...args].join(' ')} failed (exit code ${run.exitCode}):\n${run.output}`);
  }
  return run.output;
}

function timedOut(command: string, limit: number, detail: string): Error {
  return timeLimitError(basename(command), limit, 'with its process group', detail);
}

async function runLimited(
  command: string,
  args: string[],
  cwd: string,
  limit: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProcessResult & { timedOut: boolean }> {
  const started = performance.now();
  const chunks: Buffer[] = [];
  let timedOut = false;
  const exitCode = await new Promise<number>((resolve, reject) => {
    // detached: the tool leads its own process group, so that a time-out can stop all of it.
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const group = child.pid;
    if (group !== undefined) runningGroups.add(group);
    stopGroupsOnExit();
    const timer = setTimeout(() => {
      timedOut = true;
      if (group !== undefined) killGroup(group);
      // A process outside the group may still hold the pipes; 'close' must not wait for it.
      child.stdout.destroy();
      child.stderr.destroy();
    }, limit * 1000);
    const done = () => {
      clearTimeout(timer);
      if (group !== undefined) runningGroups.delete(group);
    };
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error) => {
      done();
      reject(error);
    });
    child.on('close', (code, signal) => {
      done();
      resolve(code ?? (signal ? 128 : 1));
    });
  });
  const seconds = (performance.now() - started) / 1000;
  return { exitCode, output: Buffer.concat(chunks).toString('utf8'), seconds, timedOut };
}

const runningGroups = new Set<number>();
let exitHandlersInstalled = false;

function killGroup(group: number): void {
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // The group has already gone.
  }
}

// The tools run in their own process groups, so a Ctrl-C at the terminal no longer reaches them: pass
// it on, then end as the signal would have.
function stopGroupsOnExit(): void {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  process.on('exit', () => runningGroups.forEach(killGroup));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      runningGroups.forEach(killGroup);
      process.kill(process.pid, signal);
    });
  }
}

const ERROR_LINE = /%Error|error:|ERROR|syntax error/;

/** An Error for a failed tool run: its first lines from the first error on, and where the full log is. */
export function toolError(what: string, result: ProcessResult, logPath: string, lines = 20): Error {
  const all = result.output.trimEnd().split('\n');
  const firstError = Math.max(
    0,
    all.findIndex((line) => ERROR_LINE.test(line)),
  );
  const head = all.slice(firstError, firstError + lines).join('\n');
  return new Error(`${what} failed (exit code ${result.exitCode}):\n${head}\nFull log: ${logPath}`);
}
