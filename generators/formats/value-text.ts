// Exact values as text: exact decimal and C99 "%a" hex-float, as ml_dtypes' code-point tables print them.

import { bitLength } from './bigint-bits.ts';
import type { ExactValue } from './value.ts';

function special(v: ExactValue): string | undefined {
  const minus = v.sign === 1 ? '-' : '';
  if (v.kind === 'nan') return `${minus}nan`;
  if (v.kind === 'inf') return `${minus}inf`;
  return undefined;
}

/** Exact decimal digits of sig · 2^exp as [digits, pointPosition from the right]. */
function decimalDigits(sig: bigint, exp: number): { digits: string; fractionDigits: number } {
  if (exp >= 0) return { digits: (sig << BigInt(exp)).toString(), fractionDigits: 0 };
  // sig / 2^k = sig · 5^k / 10^k
  return { digits: (sig * 5n ** BigInt(-exp)).toString(), fractionDigits: -exp };
}

/**
 * The exact decimal value: plain below 1e-4 switches to scientific ("6.103515625e-05"), as in the
 * conformance tables; "-0", "inf", "-nan" for the specials.
 */
export function toDecimalString(v: ExactValue): string {
  const s = special(v);
  if (s !== undefined) return s;
  if (v.kind !== 'finite') throw new Error('unreachable');
  const minus = v.sign === 1 ? '-' : '';
  if (v.sig === 0n) return `${minus}0`;
  const { digits, fractionDigits } = decimalDigits(v.sig, v.exp);
  const intLength = digits.length - fractionDigits;
  if (intLength >= 1) {
    const fraction = digits.slice(intLength).replace(/0+$/, '');
    return `${minus}${digits.slice(0, intLength)}${fraction ? `.${fraction}` : ''}`;
  }
  const padded = '0'.repeat(1 - intLength) + digits; // "0.000ddd" as a digit string with one integer digit
  const firstNonZero = padded.search(/[1-9]/);
  const decimalExponent = -firstNonZero; // value = d.ddd · 10^decimalExponent
  if (decimalExponent >= -4) return `${minus}0.${padded.slice(1).replace(/0+$/, '')}`;
  const significant = padded.slice(firstNonZero).replace(/0+$/, '');
  const mantissa = significant.length > 1 ? `${significant[0]}.${significant.slice(1)}` : significant;
  const expText = String(-decimalExponent).padStart(2, '0');
  return `${minus}${mantissa}e-${expText}`;
}

/** C99 "%a" form of the exact value: "0x1.8p-8", "-0x0p+0", "0x1p+127". */
export function toHexFloat(v: ExactValue): string {
  const s = special(v);
  if (s !== undefined) return s;
  if (v.kind !== 'finite') throw new Error('unreachable');
  const minus = v.sign === 1 ? '-' : '';
  if (v.sig === 0n) return `${minus}0x0p+0`;
  const length = bitLength(v.sig);
  const exponent = v.exp + length - 1;
  const fractionBits = length - 1;
  const nibbles = Math.ceil(fractionBits / 4);
  const fraction = (v.sig - (1n << BigInt(fractionBits))) << BigInt(nibbles * 4 - fractionBits);
  const fractionText = nibbles ? fraction.toString(16).padStart(nibbles, '0').replace(/0+$/, '') : '';
  return `${minus}0x1${fractionText ? `.${fractionText}` : ''}p${exponent >= 0 ? '+' : ''}${exponent}`;
}
