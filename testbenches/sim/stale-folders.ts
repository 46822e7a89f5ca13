import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Folders and files that a run names after its process id (`<prefix><pid>` or `<prefix><pid>-...`)
// are its own; a run killed with -9 leaves them behind, and the next run removes them.

/** True while a process with this id runs (EPERM: it runs, and belongs to another user). */
export function processIsAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

// A process that has ended but that its parent has not yet reaped still answers signals (Linux only).
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] === 'Z';
  } catch {
    return false;
  }
}

/**
 * Removes the entries of `parent` named `<prefix><pid>` or `<prefix><pid>-<anything>` whose process
 * has ended. Entries of live processes, names without a process id, and entries that cannot be removed
 * (another user's) are left alone.
 */
export function removeStaleFolders(parent: string, prefix: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const owner = /^(\d+)(-|$)/.exec(name.slice(prefix.length));
    if (owner === null || processIsAlive(Number(owner[1]))) continue;
    try {
      rmSync(join(parent, name), { recursive: true, force: true });
    } catch {
      // Not ours to remove.
    }
  }
}

/**
 * A new folder `bitsmith-<kind>-<pid>-XXXXXX` in the temporary folder, after removing the ones of
 * this kind that ended runs left behind.
 */
export function makeScratchFolder(kind: string): Promise<string> {
  const prefix = `bitsmith-${kind}-`;
  removeStaleFolders(tmpdir(), prefix);
  return mkdtemp(join(tmpdir(), `${prefix}${process.pid}-`));
}
