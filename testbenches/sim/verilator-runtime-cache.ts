import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Verilator's run-time library (verilated.cpp and friends) takes most of a testbench build and is the
// same for every design built with the same Verilator and flags, so its objects are kept here.
const CACHE_ROOT = join(tmpdir(), 'bitsmith-verilator-runtime');
const RUNTIME_OBJECT = /^verilated\w*\.o$/;

/** A cache folder name for one Verilator version and set of build flags. */
export function runtimeCacheKey(verilatorVersion: string, flags: string[]): string {
  return createHash('sha256')
    .update(verilatorVersion)
    .update(JSON.stringify(flags))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Copies cached run-time objects into objDir. Call it after verilating and before make: make rebuilds
 * objects older than the generated makefile, and the copies are new.
 */
export async function restoreRuntimeObjects(objDir: string, key: string): Promise<void> {
  const cached = await runtimeObjects(join(CACHE_ROOT, key));
  await Promise.all(cached.map((name) => copyFile(join(CACHE_ROOT, key, name), join(objDir, name))));
}

/** Keeps the run-time objects of a successful build; written via rename, so concurrent builds are safe. */
export async function saveRuntimeObjects(objDir: string, key: string): Promise<void> {
  const folder = join(CACHE_ROOT, key);
  await mkdir(folder, { recursive: true });
  const present = new Set(await runtimeObjects(folder));
  for (const name of await runtimeObjects(objDir)) {
    if (present.has(name)) continue;
    const partial = join(folder, `${name}.${process.pid}.partial`);
    await copyFile(join(objDir, name), partial);
    await rename(partial, join(folder, name));
  }
}

async function runtimeObjects(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).filter((name) => RUNTIME_OBJECT.test(name));
  } catch {
    return [];
  }
}
