import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates a folder and its missing parents one level at a time, so that a place where no folder can
 * be made fails at once (Node's recursive mkdir loops forever under /proc).
 */
export function makeFolders(path: string): void {
  const missing: string[] = [];
  for (let p = resolve(path); !existsSync(p); p = dirname(p)) {
    missing.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const folder of missing) mkdirSync(folder);
}

/**
 * Puts the finished folder `staging` in the place of `dir`: the old folder is renamed aside, the new one
 * renamed in, and only then is the old one deleted, so `dir` always holds the old or the new whole.
 */
export function replaceFolder(staging: string, dir: string): void {
  const aside = `${dir}.old-${process.pid}`;
  rmSync(aside, { recursive: true, force: true });
  const hadOld = existsSync(dir);
  if (hadOld) renameSync(dir, aside);
  try {
    renameSync(staging, dir);
  } catch (error) {
    if (hadOld) renameSync(aside, dir);
    throw error;
  }
  try {
    rmSync(aside, { recursive: true, force: true });
  } catch {
    // The new folder is in place; what is left of the old one is removed by the next run (see stagingDir).
  }
}
