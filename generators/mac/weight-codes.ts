// A weight format's codes as exact integers on one grid, so that a MAC multiplies by an integer and sums
// exactly: value = integer · 2^lsbExp for every code of every format (one per value of a group's selector).
import { decode, type Format } from '../formats/index.ts';

export interface WeightCodes {
  /** Bits of a code. */
  bits: number;
  /** The grid: the largest power of two that divides every value. */
  lsbExp: number;
  /** values[f][code] in units of 2^lsbExp, f the group's selector (one entry without a selector). */
  values: bigint[][];
  /** The largest |value| over every format, in units of 2^lsbExp. */
  maxMagnitude: bigint;
}

export function weightCodes(formats: readonly Format[], bits: number): WeightCodes {
  const decoded = formats.map((f) =>
    Array.from({ length: 2 ** bits }, (_, code) => {
      const v = decode(f, code);
      if (v.kind !== 'finite') throw new Error(`${f.name}: code ${code} is ${v.kind}, not a weight value`);
      return v;
    }),
  );
  // Trailing zeros of a significand do not count: 1.0 held as float32 (2^23 · 2^−23) lies on the 2^0 grid.
  const lowestBit = (sig: bigint, exp: number) => {
    let e = exp;
    for (let s = sig; (s & 1n) === 0n; s >>= 1n) e++;
    return e;
  };
  const nonzero = decoded.flat().filter((v) => v.sig !== 0n);
  const lsbExp = nonzero.length === 0 ? 0 : Math.min(...nonzero.map((v) => lowestBit(v.sig, v.exp)));
  const values = decoded.map((codes) =>
    codes.map((v) => {
      const n = v.sig << BigInt(v.exp - lsbExp);
      return v.sign ? -n : n;
    }),
  );
  const abs = (v: bigint) => (v < 0n ? -v : v);
  const maxMagnitude = values.flat().reduce((max, v) => (abs(v) > max ? abs(v) : max), 0n);
  return { bits, lsbExp, values, maxMagnitude };
}
