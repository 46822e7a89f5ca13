import type { Command } from 'commander';
import { parseSeconds, TIMEOUT_VARIABLE } from '../../testbenches/sim/time-limit.ts';

/**
 * Adds --timeout <seconds> to a command that runs external tools. Given, it is the limit of every tool
 * run (it sets BITSMITH_TIMEOUT for the run); otherwise each limit is scaled to the run's work.
 */
export function withTimeoutOption(command: Command): Command {
  return command
    .option(
      '--timeout <seconds>',
      `stop any external tool that runs longer (default: scaled to the work; also ${TIMEOUT_VARIABLE})`,
    )
    .hook('preAction', () => {
      const value = command.opts<{ timeout?: string }>().timeout;
      if (value !== undefined) process.env[TIMEOUT_VARIABLE] = String(parseSeconds(value, '--timeout'));
    });
}
