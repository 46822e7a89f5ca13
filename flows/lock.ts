import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { basename, dirname } from 'node:path';
import { processIsAlive, removeStaleFolders } from '../testbenches/sim/stale-folders.ts';
import { makeFolders } from './folders.ts';

export const LOCK_WAIT_VARIABLE = 'BITSMITH_LOCK_WAIT';
const DEFAULT_WAIT_SECONDS = 600;
const POLL_MS = 200;

// Lock files this process holds, with how many nested flows hold each (build runs verify runs gen).
const held = new Map<string, number>();

/**
 * Runs `work` holding the lock of the package folder `pkgDir`: the file `<pkgDir>.lock` beside it,
 * which holds the holder's process id. A lock left by a process that has ended is taken over. A live
 * holder is waited for, with a message, for BITSMITH_LOCK_WAIT seconds (default 600); then the run fails
 * with "package X is being written by process N".
 */
export async function withPackageLock<T>(pkgDir: string, work: () => Promise<T>): Promise<T> {
  const lock = `${pkgDir}.lock`;
  const depth = held.get(lock) ?? 0;
  if (depth === 0) await acquire(lock, basename(pkgDir));
  held.set(lock, depth + 1);
  try {
    return await work();
  } finally {
    if (depth > 0) held.set(lock, depth);
    else {
      held.delete(lock);
      release(lock);
    }
  }
}

async function acquire(lock: string, pkg: string): Promise<void> {
  const waitSeconds = lockWaitSeconds();
  const deadline = Date.now() + waitSeconds * 1000;
  let told = false;
  for (;;) {
    const holder = tryCreate(lock);
    if (holder === undefined) return;
    if (!processIsAlive(holder)) {
      removeIfHeldBy(lock, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `package ${pkg} is being written by process ${holder} (lock file ${lock}); ` +
          `waited ${waitSeconds} s (${LOCK_WAIT_VARIABLE} sets how long)`,
      );
    }
    if (!told) {
      process.stderr.write(
        `bitsmith: package ${pkg} is being written by process ${holder}; waiting up to ${waitSeconds} s\n`,
      );
      told = true;
    }
    await sleep(POLL_MS);
  }
}

// Creates the lock with this process's id, or returns the id of the process holding it. The id is
// written to a file of our own first and linked in, so the lock never exists half written.
function tryCreate(lock: string): number | undefined {
  makeFolders(dirname(lock));
  removeStaleFolders(dirname(lock), `${basename(lock)}.`);
  const mine = `${lock}.${process.pid}`;
  writeFileSync(mine, `${process.pid}\n`);
  try {
    linkSync(mine, lock);
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(mine, { force: true });
  }
  return holderOf(lock);
}

// The process id in the lock; 0 when the lock has just gone (or holds no id), which counts as ended.
function holderOf(lock: string): number {
  try {
    return Number(readFileSync(lock, 'utf8').trim()) || 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

// Reads the lock again just before removing it, so that a lock another process has taken over in the
// meantime is left alone.
function removeIfHeldBy(lock: string, holder: number): void {
  if (holderOf(lock) !== holder) return;
  try {
    unlinkSync(lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function release(lock: string): void {
  removeIfHeldBy(lock, process.pid);
}

function lockWaitSeconds(): number {
  const text = process.env[LOCK_WAIT_VARIABLE];
  if (text === undefined || text === '') return DEFAULT_WAIT_SECONDS;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !Number.isFinite(seconds)) {
    throw new Error(`${LOCK_WAIT_VARIABLE} '${text}' is not allowed: use a number of seconds (0 or more)`);
  }
  return seconds;
}
