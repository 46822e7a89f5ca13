import type { Mismatch } from './types.ts';

/** `actual` of a mismatch whose output held X or Z bits (4-state simulators only). */
export const UNKNOWN_VALUE = -1n;

export interface ParsedRun {
  passed: number;
  failed: number;
  mismatches: Mismatch[];
  cycles: number;
}

// One line per reported failure; see templates/tb/testbench.v.hbs.
const MISMATCH = /^MISMATCH vector=(\d+) port=(\S+) expected=([0-9a-fA-FxXzZ]+) actual=([0-9a-fA-FxXzZ]+)/;
const LATENCY = /^LATENCY vector=(\d+) expected=(\d+) actual=(-?\d+)/;
const MISSING = /^MISSING vector=(\d+)/;
const EXTRA = /^EXTRA vector=(\d+)/;
const CYCLES = /^cycles=(\d+)/;
const SUMMARY = /^(\d+) passed, (\d+) failed$/;

/**
 * Reads a testbench's output. Latency violations become mismatches on port 'latency' (in cycles;
 * -1 means before the input), missing and extra outputs mismatches on port 'out_valid'.
 * Returns undefined when the summary line is absent (the simulation did not finish).
 */
export function parseTestbenchOutput(output: string): ParsedRun | undefined {
  const mismatches: Mismatch[] = [];
  let cycles = 0;
  let summary: [number, number] | undefined;
  for (const line of output.split('\n').map((text) => text.trim())) {
    let match: RegExpMatchArray | null;
    if ((match = line.match(MISMATCH))) {
      mismatches.push({
        index: Number(match[1]),
        port: match[2]!,
        expected: hex(match[3]!),
        actual: hex(match[4]!),
      });
    } else if ((match = line.match(LATENCY))) {
      mismatches.push({
        index: Number(match[1]),
        port: 'latency',
        expected: BigInt(match[2]!),
        actual: BigInt(match[3]!),
      });
    } else if ((match = line.match(MISSING))) {
      mismatches.push({ index: Number(match[1]), port: 'out_valid', expected: 1n, actual: 0n });
    } else if ((match = line.match(EXTRA))) {
      mismatches.push({ index: Number(match[1]), port: 'out_valid', expected: 0n, actual: 1n });
    } else if ((match = line.match(CYCLES))) {
      cycles = Number(match[1]);
    } else if ((match = line.match(SUMMARY))) {
      summary = [Number(match[1]), Number(match[2])];
    }
  }
  if (!summary) return undefined;
  return { passed: summary[0], failed: summary[1], mismatches, cycles };
}

function hex(digits: string): bigint {
  return /^[0-9a-fA-F]+$/.test(digits) ? BigInt(`0x${digits}`) : UNKNOWN_VALUE;
}
