import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { requireExecutable } from './executables.ts';
import { runProcess } from './run-process.ts';
import { makeScratchFolder } from './stale-folders.ts';

export interface LintResult {
  clean: boolean;
  /** Each warning or error with its source line and caret, as Verilator prints them. */
  messages: string[];
}

/** `verilator --lint-only -Wall`: a generated design must pass with no warning and nothing suppressed. */
export async function lintVerilog(files: string[], top: string): Promise<LintResult> {
  const verilator = await requireExecutable('verilator', 'verilator');
  const scratch = await makeScratchFolder('lint');
  try {
    const result = await runProcess(verilator, ['--lint-only', '-Wall', '--top-module', top, ...files], {
      cwd: scratch,
      logPath: join(scratch, 'lint.log'),
    });
    const messages = splitMessages(result.output);
    return { clean: result.exitCode === 0 && messages.length === 0, messages };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

// A message starts with %Warning or %Error; the indented lines after it (source, caret, hints) belong to it.
function splitMessages(output: string): string[] {
  const messages: string[] = [];
  for (const line of output.split('\n')) {
    if (/^%(Warning|Error)/.test(line)) messages.push(line);
    else if (messages.length > 0 && line.trim() !== '' && /^\s/.test(line))
      messages[messages.length - 1] += `\n${line}`;
  }
  return messages.filter((message) => !/^%Error: Exiting due to/.test(message));
}
