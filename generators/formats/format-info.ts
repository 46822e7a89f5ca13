// Summary figures of a scalar format, for listings and for checking against ml_dtypes' finfo.

import { decode } from './codec.ts';
import { codebookTable } from './codebook-codec.ts';
import { floatLayout } from './float-layout.ts';
import { formatBits, type Format } from './format.ts';
import { intRange } from './int-codec.ts';
import { finite, type ExactValue } from './value.ts';

export interface FormatInfo {
  readonly bits: number;
  readonly max: ExactValue;
  /** Most negative finite value (the smallest value of an unsigned format). */
  readonly lowest: ExactValue;
  /** Smallest positive value. */
  readonly smallestPositive: ExactValue;
  /** Floats: smallest positive normal, and 2^-mantBits. */
  readonly minNormal?: ExactValue;
  readonly epsilon?: ExactValue;
  readonly maxCode: number;
  readonly hasInf: boolean;
  readonly hasNaN: boolean;
}

export function formatInfo(format: Format): FormatInfo {
  const bits = formatBits(format);
  if (format.kind === 'int') {
    const { min, max } = intRange(format);
    const scale = (n: number) => finite(n < 0 ? 1 : 0, BigInt(Math.abs(n)), -format.fracBits);
    return {
      bits,
      max: scale(max),
      lowest: scale(min),
      smallestPositive: scale(1),
      maxCode: max,
      hasInf: false,
      hasNaN: false,
    };
  }
  if (format.kind === 'codebook') {
    const { entries } = codebookTable(format);
    const last = entries[entries.length - 1]!;
    const positive = entries.find((e) => e.value.sig !== 0n && e.value.sign === 0);
    return {
      bits,
      max: last.value,
      lowest: entries[0]!.value,
      smallestPositive: positive?.value ?? last.value,
      maxCode: last.code,
      hasInf: false,
      hasNaN: false,
    };
  }
  const layout = floatLayout(format);
  const max = decode(format, layout.maxCode);
  const smallestPositive = decode(format, layout.minPositiveCode);
  return {
    bits,
    max,
    lowest: layout.signWeight ? decode(format, layout.signWeight + layout.maxCode) : smallestPositive,
    smallestPositive,
    minNormal: finite(0, 1n, layout.emin),
    epsilon: finite(0, 1n, -layout.mantBits),
    maxCode: layout.maxCode,
    hasInf: layout.hasInf,
    hasNaN: layout.hasNaN,
  };
}
