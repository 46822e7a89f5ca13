import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';

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
}

/** Runs a command to completion; a non-zero exit is a result, not an exception. */
export async function runProcess(
  command: string,
  args: string[],
  options: ProcessOptions,
): Promise<ProcessResult> {
  const started = performance.now();
  const chunks: Buffer[] = [];
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const seconds = (performance.now() - started) / 1000;
  const output = Buffer.concat(chunks).toString('utf8');
  await writeFile(options.logPath, `$ ${[command, ...args].join(' ')}\n${output}`);
  return { exitCode, output, seconds };
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
