import { describe, expect, it } from 'vitest';
import { formatByName, razerFormats } from '../formats/index.ts';
import { weightCodes } from './weight-codes.ts';

describe('weightCodes: every code an exact integer on one grid', () => {
  it('puts E2M1 on the 2^-1 grid: 0.5 is 1, 6 is 12, the -0 code 0', () => {
    const codes = weightCodes([formatByName('e2m1fn')], 4);
    expect(codes.lsbExp).toBe(-1);
    expect(codes.values[0]).toEqual([
      0n,
      1n,
      2n,
      3n,
      4n,
      6n,
      8n,
      12n,
      0n,
      -1n,
      -2n,
      -3n,
      -4n,
      -6n,
      -8n,
      -12n,
    ]);
    expect(codes.maxMagnitude).toBe(12n);
  });

  it('takes the grid over every format of a selector, and ignores a significand’s trailing zeros', () => {
    const razer = weightCodes(razerFormats('ocp', [5, 8, -5, -63.5]), 4);
    expect(razer.values.map((f) => f[8])).toEqual([10n, 16n, -10n, -127n]);
    expect(razer.maxMagnitude).toBe(127n);
    // SF4's 1.0 is a float32 constant: on SF4's grid (2^-26) it is 2^26, not 2^23 · 2^3.
    const sf4 = weightCodes([formatByName('sf4')], 4);
    expect(sf4.lsbExp).toBe(-26);
    expect(sf4.values[0]![15]).toBe(1n << 26n);
    expect(Number(sf4.values[0]![8]) / 2 ** 26).toBe(Math.fround(0.065513));
    expect(weightCodes([formatByName('int4')], 4).lsbExp).toBe(0);
  });

  it('refuses a format with a NaN or infinite code, naming it', () => {
    expect(() => weightCodes([formatByName('e4m3fn')], 8)).toThrow(
      /e4m3fn: code 127 is nan, not a weight value/,
    );
  });
});
