// How long an external tool may run before bitsmith stops it. The defaults are generous: a hung tool,
// not a slow machine, should reach them. --timeout or BITSMITH_TIMEOUT sets one limit for every run.

/** What a tool run does: answer a query (--version), build (compile, synthesize, place), or simulate N vectors or cycles. */
export type ToolWork = 'query' | 'build' | { simulate: number };

export const TIMEOUT_VARIABLE = 'BITSMITH_TIMEOUT';

const QUERY_SECONDS = 60;
const BUILD_SECONDS = 1800;
const SIMULATION_SECONDS = 300;
// Icarus runs a large core at a few thousand vectors or cycles a second; this allows ten times less.
const SECONDS_PER_STEP = 0.002;
// Node's timers hold at most 2^31 - 1 ms (about 24.8 days).
const MAX_SECONDS = 2_000_000;

/** Seconds a tool may run for this work: the user's limit when one is set, else scaled to the work. */
export function timeLimit(work: ToolWork): number {
  const set = process.env[TIMEOUT_VARIABLE];
  if (set !== undefined && set !== '') return parseSeconds(set, TIMEOUT_VARIABLE);
  if (work === 'query') return QUERY_SECONDS;
  if (work === 'build') return BUILD_SECONDS;
  return Math.min(MAX_SECONDS, Math.ceil(SIMULATION_SECONDS + SECONDS_PER_STEP * work.simulate));
}

/** The error for a run past its limit: the tool, the limit, how it was stopped, and how to raise the limit. */
export function timeLimitError(tool: string, seconds: number, stoppedWith: string, detail: string): Error {
  return new Error(
    `${tool} timed out after ${seconds} s and was stopped ${stoppedWith} ` +
      `(raise the limit with --timeout <seconds> or ${TIMEOUT_VARIABLE}).${detail ? ` ${detail}` : ''}`,
  );
}

/** A time limit given by the user; an Error names `what` (the option or variable), the value and what is allowed. */
export function parseSeconds(text: string, what: string): number {
  const seconds = Number(text);
  if (!/^\d*\.?\d+$/.test(text.trim()) || !(seconds > 0) || seconds > MAX_SECONDS) {
    throw new Error(
      `${what} '${text}' is not allowed: use a number of seconds above 0 and at most ${MAX_SECONDS}`,
    );
  }
  return seconds;
}
