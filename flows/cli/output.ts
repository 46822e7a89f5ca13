import { mkdtempSync, rmdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeFolders } from '../folders.ts';

/** Print a result: JSON for scripts (BigInt as hex strings), text for people. */
export function emit(json: boolean, data: unknown, text: () => string): void {
  if (json) {
    process.stdout.write(
      JSON.stringify(data, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v), 2) + '\n',
    );
  } else {
    process.stdout.write(text());
  }
}

/** Left-aligned columns with two spaces between them. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return (
    rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') +
    '\n'
  );
}

/**
 * The folder of --out, created if missing. An empty name, or a place where no folder can be made
 * (/proc, a file, a read-only file system), is refused with the option's value.
 */
export function outputFolder(out: string): string {
  if (out.trim() === '') {
    throw new Error(`--out '${out}' is not allowed: give a folder name (. is the current folder)`);
  }
  const dir = resolve(out);
  try {
    makeFolders(dir);
    rmdirSync(mkdtempSync(join(dir, '.bitsmith-probe-')));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`--out '${out}' is not allowed: bitsmith cannot create folders in ${dir} (${reason})`);
  }
  return dir;
}

// Verilator's generated makefile stops at a space or ':' in its folder's path, and Icarus' vvp reads
// source paths in double quotes; a newline breaks both.
const UNSAFE_FOR_SIMULATORS = /[\s\p{Cc}":]/u;

/** outputFolder, for runs that simulate: its path must also be one the simulators can build in. */
export function simulationFolder(out: string): string {
  const dir = resolve(out);
  const unsafe = UNSAFE_FOR_SIMULATORS.exec(dir);
  if (out.trim() !== '' && unsafe !== null) {
    throw new Error(
      `--out '${out}' is not allowed for simulation: its path ${JSON.stringify(dir)} holds ` +
        `${JSON.stringify(unsafe[0])}, and Verilator's make and Icarus' vvp cannot build in a path with ` +
        `whitespace, control characters, '"' or ':'; choose another folder`,
    );
  }
  return outputFolder(out);
}
