// Conversion between any two scalar formats: decode exactly, encode once with the target's policy.

import { decode, encode, encodeNumber } from './codec.ts';
import { decodeTable } from './decode-number.ts';
import type { Encoded } from './flags.ts';
import type { Format } from './format.ts';
import type { Policy } from './policy.ts';

/**
 * The code of `to` for a code of `from`, rounded once by the policy. Non-NaN codes of small formats take
 * the double path (exact values, exact rounder); NaN codes take the exact path, which keeps their sign
 * and quietness.
 */
export function convert(from: Format, to: Format, code: number, policy?: Policy): Encoded {
  const x = decodeTable(from)?.[code];
  if (x !== undefined && !Number.isNaN(x) && Number.isInteger(code)) return encodeNumber(to, x, policy);
  return encode(to, decode(from, code), policy);
}
