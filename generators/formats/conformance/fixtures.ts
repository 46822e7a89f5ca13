// Reads the gzip-compressed external vector files carried in testbenches/vectors/external/.

import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const EXTERNAL = new URL('../../../testbenches/vectors/external/', import.meta.url);

/** Lines of a vector file (without the trailing empty line). */
/** Whether a carried vector file is here (the npm package leaves some of the largest sets out). */
export function hasVectorFile(relativePath: string): boolean {
  return existsSync(new URL(`${relativePath}.gz`, EXTERNAL));
}

export function readVectorLines(relativePath: string): string[] {
  const text = gunzipSync(readFileSync(new URL(`${relativePath}.gz`, EXTERNAL))).toString('utf8');
  return text.split('\n').filter((line) => line.length > 0);
}

/** Rows of a CSV vector file as records keyed by its header. */
export function readCsv(relativePath: string): Record<string, string>[] {
  const [header, ...rows] = readVectorLines(relativePath);
  const columns = header!.split(',');
  return rows.map((row) => {
    const cells = row.split(',');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

export function parseHex(text: string): number {
  if (!/^[0-9A-Fa-f]+$/.test(text)) throw new Error(`not a hex number: '${text}'`);
  return parseInt(text, 16);
}

export function hex(code: number, digits: number): string {
  return code.toString(16).toUpperCase().padStart(digits, '0');
}
