import { open } from 'node:fs/promises';
import type { DataPort } from './types.ts';

/** Where one port sits in a packed vector word: a field of whole hex digits. */
export interface PortField {
  name: string;
  width: number;
  /** Bit range of the field's value inside the packed word. */
  msb: number;
  lsb: number;
}

/** All ports of one direction packed into one word per vector, the first port leftmost. */
export interface PackedLayout {
  fields: PortField[];
  bits: number;
  hexDigits: number;
}

// Each port is padded to whole hex digits so a line of the .hex file reads port by port.
export function packedLayout(ports: DataPort[]): PackedLayout {
  const hexDigits = ports.reduce((sum, port) => sum + digitsFor(port.width), 0);
  let top = hexDigits * 4;
  const fields = ports.map((port) => {
    const lsb = top - digitsFor(port.width) * 4;
    top = lsb;
    return { name: port.name, width: port.width, msb: lsb + port.width - 1, lsb };
  });
  return { fields, bits: hexDigits * 4, hexDigits };
}

const LINES_PER_WRITE = 1 << 16;

/** Writes one `$readmemh` line per vector. Values are checked against the port widths first. */
export async function writeVectorFile(
  path: string,
  ports: DataPort[],
  rows: bigint[][],
  what: 'stimulus' | 'expected',
): Promise<void> {
  rows.forEach((row, index) => checkRow(row, index, ports, what));
  const file = await open(path, 'w');
  try {
    for (let start = 0; start < rows.length; start += LINES_PER_WRITE) {
      const lines = rows.slice(start, start + LINES_PER_WRITE).map((row) => hexLine(row, ports));
      await file.write(lines.join('\n') + '\n');
    }
  } finally {
    await file.close();
  }
}

function hexLine(row: bigint[], ports: DataPort[]): string {
  let line = '';
  for (let p = 0; p < ports.length; p++)
    line += row[p]!.toString(16).padStart(digitsFor(ports[p]!.width), '0');
  return line;
}

function checkRow(row: bigint[], index: number, ports: DataPort[], what: string): void {
  if (!Array.isArray(row) || row.length !== ports.length) {
    throw new Error(
      `${what}[${index}] has ${Array.isArray(row) ? row.length : 'no'} values; ` +
        `expected ${ports.length} (${ports.map((port) => port.name).join(', ')})`,
    );
  }
  ports.forEach((port, p) => {
    const value = row[p];
    if (typeof value !== 'bigint' || value < 0n || value >> BigInt(port.width) !== 0n) {
      throw new Error(
        `${what}[${index}][${p}] (port ${port.name}, ${port.width} bits) = ${String(value)}: ` +
          `expected an unsigned bit pattern, a bigint from 0 to 2^${port.width}-1`,
      );
    }
  });
}

function digitsFor(width: number): number {
  return Math.ceil(width / 4);
}
