// Packing small codes into words (docs/w4a16.md#packing): 8 INT4 values per 32-bit word, in GPTQ's sequential
// order or AutoAWQ's interleaved order, and little-endian bit streams for MX blocks.

/** Slot i of a word holds logical value i. GPTQ/AutoGPTQ and the RaZeR GEMV kernel: 0..7 → 0x76543210. */
export const SEQUENTIAL_ORDER: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7];
/** AutoAWQ pack order: slot i holds logical value AWQ_ORDER[i]; 0..7 → 0x75316420. */
export const AWQ_ORDER: readonly number[] = [0, 2, 4, 6, 1, 3, 5, 7];
/** AutoAWQ unpack order: logical value j sits in slot AWQ_REVERSE_ORDER[j]. */
export const AWQ_REVERSE_ORDER: readonly number[] = [0, 4, 1, 5, 2, 6, 3, 7];

function checkFits(value: number, bits: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new Error(`value ${value} does not fit in ${bits} bits (allowed: 0 to ${2 ** bits - 1})`);
  }
}

/** One unsigned 32-bit word: slot i (bits [bits·i + bits-1 : bits·i]) holds values[order[i]]. */
export function packWord(
  values: readonly number[],
  bits: number,
  order: readonly number[] = SEQUENTIAL_ORDER,
): number {
  const slots = Math.floor(32 / bits);
  if (values.length !== slots || order.length !== slots) {
    throw new Error(
      `a 32-bit word holds ${slots} values of ${bits} bits; got ${values.length} values and an order of ${order.length}`,
    );
  }
  let word = 0;
  for (let slot = 0; slot < slots; slot++) {
    const value = values[order[slot]!]!;
    checkFits(value, bits);
    word += value * 2 ** (bits * slot);
  }
  return word;
}

/** Inverse of packWord. */
export function unpackWord(
  word: number,
  bits: number,
  order: readonly number[] = SEQUENTIAL_ORDER,
): number[] {
  const slots = Math.floor(32 / bits);
  const values = new Array<number>(slots);
  for (let slot = 0; slot < slots; slot++) {
    values[order[slot]!] = Math.floor(word / 2 ** (bits * slot)) % 2 ** bits;
  }
  return values;
}

/** Consecutive values into consecutive words. */
export function packWords(
  values: readonly number[],
  bits: number,
  order: readonly number[] = SEQUENTIAL_ORDER,
): number[] {
  const slots = Math.floor(32 / bits);
  if (values.length % slots !== 0)
    throw new Error(`${values.length} values do not fill whole words of ${slots}`);
  const words: number[] = [];
  for (let i = 0; i < values.length; i += slots)
    words.push(packWord(values.slice(i, i + slots), bits, order));
  return words;
}

export function unpackWords(
  words: readonly number[],
  bits: number,
  order: readonly number[] = SEQUENTIAL_ORDER,
): number[] {
  return words.flatMap((w) => unpackWord(w, bits, order));
}

/** GPTQ qweight[K/8][N] from q[K][N]: packed along K, word r of column n holds rows 8r..8r+7 in order. */
export function packGptqQweight(q: readonly (readonly number[])[]): number[][] {
  const rows = q.length;
  if (rows % 8 !== 0) throw new Error(`GPTQ packs 8 rows per word; K = ${rows} is not a multiple of 8`);
  const columns = q[0]?.length ?? 0;
  return Array.from({ length: rows / 8 }, (_, r) =>
    Array.from({ length: columns }, (_, n) =>
      packWord(
        Array.from({ length: 8 }, (_, i) => q[8 * r + i]![n]!),
        4,
      ),
    ),
  );
}

export function unpackGptqQweight(qweight: readonly (readonly number[])[]): number[][] {
  const columns = qweight[0]?.length ?? 0;
  return qweight.flatMap((wordRow) => {
    const unpacked = wordRow.map((w) => unpackWord(w, 4));
    return Array.from({ length: 8 }, (_, i) => Array.from({ length: columns }, (_, n) => unpacked[n]![i]!));
  });
}

/** AutoAWQ qweight[K][N/8] from q[K][N]: packed along N in AWQ_ORDER. */
export function packAwqQweight(q: readonly (readonly number[])[]): number[][] {
  return q.map((row) => packWords(row, 4, AWQ_ORDER));
}

export function unpackAwqQweight(qweight: readonly (readonly number[])[]): number[][] {
  return qweight.map((row) => unpackWords(row, 4, AWQ_ORDER));
}

/** GPTQ's legacy ("v1") checkpoints store zero points minus one, modulo 2^bits. */
export function gptqStoredZero(zero: number, bits = 4): number {
  return (zero - 1 + 2 ** bits) % 2 ** bits;
}

export function gptqZeroFromStored(stored: number, bits = 4): number {
  return (stored + 1) % 2 ** bits;
}

/** Codes of `bits` bits as a little-endian bit stream: code i starts at bit bits·i. */
export function packBits(codes: readonly number[], bits: number): Uint8Array {
  const bytes = new Uint8Array(Math.ceil((codes.length * bits) / 8));
  codes.forEach((code, i) => {
    checkFits(code, bits);
    for (let b = 0; b < bits; b++) {
      if (Math.floor(code / 2 ** b) % 2 === 1) {
        const position = i * bits + b;
        bytes[position >> 3]! |= 1 << (position & 7);
      }
    }
  });
  return bytes;
}

export function unpackBits(bytes: Uint8Array, bits: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => {
    let code = 0;
    for (let b = 0; b < bits; b++) {
      const position = i * bits + b;
      if ((bytes[position >> 3]! >> (position & 7)) & 1) code += 2 ** b;
    }
    return code;
  });
}
