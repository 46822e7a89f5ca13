// The double rounder must decide exactly as the BigInt one; encodeNumber must equal encode.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode, encodeNumber } from './codec.ts';
import { exactMagnitude } from './exact-magnitude.ts';
import { formatBits, type Format } from './format.ts';
import { numberMagnitude } from './number-magnitude.ts';
import { NAN_MODES, OVERFLOW_MODES, type Policy } from './policy.ts';
import { PRESETS } from './presets.ts';
import type { MagnitudeRule } from './rounding.ts';
import { ROUNDING_MODES } from './rounding.ts';
import { type FiniteValue } from './value.ts';
import { fromNumber, toNumber } from './value-number.ts';

const RULES: MagnitudeRule[] = ['nearest-even', 'nearest-away', 'nearest-zero', 'toward-zero', 'away'];

describe('double rounder', () => {
  it('agrees with the exact rounder on log2, rounding and comparison', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 5e-324, max: 1e300, noNaN: true }),
        fc.integer({ min: -60, max: 60 }),
        fc.constantFrom(...RULES),
        (a, offset, rule) => {
          const exact = fromNumber(a) as FiniteValue;
          const reference = exactMagnitude(exact.sig, 1n, exact.exp);
          const fast = numberMagnitude(a);
          expect(fast.log2Floor).toBe(reference.log2Floor);
          const q = reference.log2Floor - 50 + offset; // results stay below 2^53
          expect(fast.roundAt(q, rule)).toEqual(reference.roundAt(q, rule));
          expect(fast.compareTo(3n, q)).toBe(reference.compareTo(3n, q));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

/** Every finite value of a small format, the midpoints between neighbours and values a hair off them. */
function probes(format: Format): number[] {
  const values = [
    ...new Set(Array.from({ length: 2 ** formatBits(format) }, (_, c) => toNumber(decode(format, c)))),
  ]
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const points = new Set<number>(values);
  for (let i = 1; i < values.length; i++) points.add((values[i - 1]! + values[i]!) / 2);
  const out: number[] = [];
  for (const p of points) out.push(p, p * (1 + 2 ** -40), p * (1 - 2 ** -40), p * 2.5, p / 1024);
  return [...out, 0, -0, Infinity, -Infinity, NaN, 1e300, -1e300, 5e-324, -5e-324];
}

const POLICIES: Policy[] = [
  ...ROUNDING_MODES.map((rounding) => ({ rounding })),
  ...OVERFLOW_MODES.map((overflow) => ({ overflow })),
  ...NAN_MODES.map((nan) => ({ nan })),
  { subnormals: 'flush', tininess: 'before' },
  { subnormals: 'flush', tininess: 'after', rounding: 'rup' },
  { tininess: 'before', rounding: 'rdown' },
  { infInput: 'nan' },
];

describe('encodeNumber', () => {
  const small = PRESETS.filter((f) => formatBits(f) <= 8);
  it.each(small.map((f) => [f.name, f] as const))(
    '%s: same code and flags as encode for every policy',
    (_, format) => {
      const inputs = probes(format);
      let checked = 0;
      for (const policy of POLICIES) {
        try {
          encode(format, fromNumber(1), policy);
        } catch {
          continue; // a policy this format cannot honour
        }
        for (const x of inputs) {
          const fast = encodeNumber(format, x, policy);
          const exact = encode(format, fromNumber(x), policy);
          if (fast.code !== exact.code || fast.flags !== exact.flags) {
            expect({ x, policy, fast }).toEqual({ x, policy, fast: exact });
          }
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(500);
    },
  );

  it('agrees with encode for fp16, bf16 and fp32 on random doubles', () => {
    const wide = ['fp16', 'bf16', 'fp32'].map((n) => PRESETS.find((f) => f.name === n)!);
    fc.assert(
      fc.property(
        fc.double(),
        fc.constantFrom(...wide),
        fc.constantFrom(...ROUNDING_MODES),
        (x, format, rounding) => {
          const policy = { rounding, tininess: 'after' } as const;
          expect(encodeNumber(format, x, policy)).toEqual(encode(format, fromNumber(x), policy));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
