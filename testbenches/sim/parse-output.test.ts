import { describe, expect, it } from 'vitest';
import { parseTestbenchOutput, UNKNOWN_VALUE } from './parse-output.ts';

describe('parseTestbenchOutput', () => {
  it('reads every kind of report line and the summary', () => {
    const output = [
      'MISMATCH vector=3 port=p expected=00ff actual=0x1z',
      'MISMATCH vector=4 port=q expected=1A actual=1b',
      'LATENCY vector=5 expected=2 actual=3: the output came 3 cycles after its input was accepted',
      'LATENCY vector=6 expected=2 actual=-1: the output came before its input was accepted',
      'EXTRA vector=10: an output came after the last expected vector',
      'MISSING vector=9: the expected output never came',
      'cycles=42',
      '5 passed, 6 failed',
    ].join('\n');
    expect(parseTestbenchOutput(output)).toEqual({
      passed: 5,
      failed: 6,
      cycles: 42,
      mismatches: [
        { index: 3, port: 'p', expected: 0xffn, actual: UNKNOWN_VALUE },
        { index: 4, port: 'q', expected: 0x1an, actual: 0x1bn },
        { index: 5, port: 'latency', expected: 2n, actual: 3n },
        { index: 6, port: 'latency', expected: 2n, actual: -1n },
        { index: 10, port: 'out_valid', expected: 0n, actual: 1n },
        { index: 9, port: 'out_valid', expected: 1n, actual: 0n },
      ],
    });
  });

  it('returns undefined when the run did not reach its summary', () => {
    expect(parseTestbenchOutput('MISMATCH vector=3 port=p expected=1 actual=2\n')).toBeUndefined();
  });
});
