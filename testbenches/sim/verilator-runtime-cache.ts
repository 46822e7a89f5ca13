import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { removeStaleFolders } from './stale-folders.ts';

// Verilator's run-time library (verilated.cpp and friends) takes most of a testbench build and is the
// same for every design built with the same Verilator and flags, so its objects are kept in the user's
// own cache folder. Objects are linked into a program that runs, so the cache is trusted only when it
// is the user's alone, and only the objects whose content matches the hash recorded when they were saved.
const RUNTIME_OBJECT = /^verilated\w*\.o$/;
const MANIFEST = 'manifest.json';
const PARTIAL = 'partial-';

/** `$XDG_CACHE_HOME/bitsmith/verilator-runtime`, or `~/.cache/bitsmith/verilator-runtime`. */
export function runtimeCacheRoot(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  // The XDG base directory specification: a relative path is invalid and is ignored.
  const cache = xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  return join(cache, 'bitsmith', 'verilator-runtime');
}

/** A cache folder name for one Verilator version and set of build flags. */
export function runtimeCacheKey(verilatorVersion: string, flags: string[]): string {
  return createHash('sha256')
    .update(verilatorVersion)
    .update(JSON.stringify(flags))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Copies cached run-time objects into objDir: only those listed in the cache's manifest whose content
 * still has the recorded hash, and only from a cache folder that is the user's alone. Call it after
 * verilating and before make: make rebuilds objects older than the generated makefile, and the copies
 * are new. Anything not restored is compiled by make as usual.
 */
export async function restoreRuntimeObjects(objDir: string, key: string): Promise<void> {
  const folder = await privateFolder(key);
  if (folder === undefined) return;
  const manifest = await readManifest(folder);
  for (const [name, hash] of Object.entries(manifest)) {
    if (!RUNTIME_OBJECT.test(name)) continue;
    const bytes = await readFile(join(folder, name)).catch(() => undefined);
    // The bytes checked are the bytes written: nothing can swap the file in between.
    if (bytes !== undefined && sha256(bytes) === hash) await writeFile(join(objDir, name), bytes);
  }
}

/** Keeps the run-time objects of a successful build, each written via rename and recorded with its hash. */
export async function saveRuntimeObjects(objDir: string, key: string): Promise<void> {
  const folder = await privateFolder(key, { create: true });
  if (folder === undefined) return;
  removeStaleFolders(folder, PARTIAL);
  const manifest = await readManifest(folder);
  let added = false;
  for (const name of (await readdir(objDir)).filter((n) => RUNTIME_OBJECT.test(n))) {
    const bytes = await readFile(join(objDir, name));
    const hash = sha256(bytes);
    if (manifest[name] === hash) continue;
    await putFile(folder, name, bytes);
    manifest[name] = hash;
    added = true;
  }
  // Two builds saving at once may each write the manifest; an entry lost that way is only rebuilt later.
  if (added) await putFile(folder, MANIFEST, JSON.stringify(manifest, null, 2) + '\n');
}

// The cache folder for this key when it and the folders above it up to `bitsmith/` are directories
// (not links) owned by this user with no access for anyone else; otherwise undefined, and the build
// goes without the cache.
async function privateFolder(key: string, options: { create?: boolean } = {}): Promise<string | undefined> {
  const root = runtimeCacheRoot();
  const bitsmith = join(root, '..');
  const folder = join(root, key);
  if (options.create) await mkdir(folder, { recursive: true, mode: 0o700 }).catch(() => undefined);
  for (const path of [bitsmith, root, folder]) {
    const problem = await whyNotPrivate(path);
    if (problem === undefined) continue;
    if (problem !== 'missing') warnOnce(`not using the Verilator run-time cache: ${path} ${problem}`);
    return undefined;
  }
  return folder;
}

async function whyNotPrivate(path: string): Promise<string | undefined> {
  const stats = await lstat(path).catch(() => undefined);
  if (stats === undefined) return 'missing';
  if (!stats.isDirectory()) return 'is not a folder';
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) return `is owned by user ${stats.uid}, not by you (${uid})`;
  if ((stats.mode & 0o077) !== 0)
    return `has mode ${(stats.mode & 0o777).toString(8)}: others may write there (expected 700)`;
  return undefined;
}

const warned = new Set<string>();

function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.stderr.write(`bitsmith: ${message}\n`);
}

async function readManifest(folder: string): Promise<Record<string, string>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(folder, MANIFEST), 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

// Written under a partial name and renamed, so a reader sees the whole file or none.
async function putFile(folder: string, name: string, content: string | Buffer): Promise<void> {
  const partial = join(folder, `${PARTIAL}${process.pid}-${name}`);
  await writeFile(partial, content, { mode: 0o600 });
  await rename(partial, join(folder, name));
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
