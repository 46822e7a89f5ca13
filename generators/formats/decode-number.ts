// Fast decoding to doubles, for golden models on hot paths. Equivalent to toNumber(decode(format, code)),
// which is the exact value whenever the format's values are doubles (every preset): formats of 16 bits
// or fewer read a table built once from the exact decoder, fp32 reinterprets its bits.

import { decode } from './codec.ts';
import { formatBits, type Format } from './format.ts';
import { isExactDouble, toNumber } from './value-number.ts';

const TABLE_BITS = 16;
const tables = new WeakMap<Format, Float64Array | null>();

function buildTable(format: Format): Float64Array | null {
  const size = 2 ** formatBits(format);
  const table = new Float64Array(size);
  for (let code = 0; code < size; code++) {
    const value = decode(format, code);
    if (!isExactDouble(value)) return null;
    table[code] = toNumber(value);
  }
  return table;
}

/** code → value table of a format of 16 bits or fewer whose values are all doubles; undefined otherwise. */
export function decodeTable(format: Format): Float64Array | undefined {
  if (formatBits(format) > TABLE_BITS) return undefined;
  let table = tables.get(format);
  if (table === undefined) {
    table = buildTable(format);
    tables.set(format, table);
  }
  return table ?? undefined;
}

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);

function isBinary32(format: Format): boolean {
  return (
    format.kind === 'float' &&
    format.expBits === 8 &&
    format.mantBits === 23 &&
    format.bias === 127 &&
    format.signed &&
    format.subnormals &&
    format.specials === 'ieee'
  );
}

/** The value of a code as a double (NaN for NaN and unused codes; its sign is not kept). */
export function decodeNumber(format: Format, code: number): number {
  const table = decodeTable(format);
  if (table) {
    const x = table[code];
    if (x === undefined || !Number.isInteger(code))
      throw new Error(`code ${code} is not a code of ${format.name}`);
    return x;
  }
  if (isBinary32(format) && Number.isInteger(code) && code >= 0 && code <= 0xffffffff) {
    f32Bits[0] = code;
    return f32[0]!;
  }
  return toNumber(decode(format, code));
}
