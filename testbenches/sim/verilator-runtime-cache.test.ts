import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  restoreRuntimeObjects,
  runtimeCacheKey,
  runtimeCacheRoot,
  saveRuntimeObjects,
} from './verilator-runtime-cache.ts';

const key = runtimeCacheKey('Verilator 5.006', ['--cc']);
const built = Buffer.from('object code of verilated.o, as g++ wrote it');
const foreign = Buffer.from('object code someone else planted');

let cacheHome: string;
let savedXdg: string | undefined;

// A build folder holding the given objects.
function objDir(objects: Record<string, Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'bitsmith-cache-test-obj-'));
  for (const [name, bytes] of Object.entries(objects)) writeFileSync(join(dir, name), bytes);
  return dir;
}

beforeEach(() => {
  savedXdg = process.env.XDG_CACHE_HOME;
  cacheHome = mkdtempSync(join(tmpdir(), 'bitsmith-cache-test-home-'));
  process.env.XDG_CACHE_HOME = cacheHome;
});

afterEach(() => {
  if (savedXdg === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = savedXdg;
  vi.restoreAllMocks();
});

describe('Verilator run-time cache', () => {
  it('lives in the user cache folder, created private (mode 700), and gives back what was saved', async () => {
    await saveRuntimeObjects(objDir({ 'verilated.o': built, 'Vtb.o': built }), key);
    expect(runtimeCacheRoot()).toBe(join(cacheHome, 'bitsmith', 'verilator-runtime'));
    for (const folder of [join(cacheHome, 'bitsmith'), runtimeCacheRoot(), join(runtimeCacheRoot(), key)]) {
      expect(statSync(folder).mode & 0o777).toBe(0o700);
    }
    const target = objDir();
    await restoreRuntimeObjects(target, key);
    // Only the run-time library is kept; the design's own objects (Vtb.o) are not.
    expect(readdirSync(target)).toEqual(['verilated.o']);
    expect(await readFile(join(target, 'verilated.o'))).toEqual(built);
  });

  it('never takes an object from the shared temporary folder (the old, predictable place)', async () => {
    const planted = join(tmpdir(), 'bitsmith-verilator-runtime', key);
    mkdirSync(planted, { recursive: true });
    writeFileSync(join(planted, 'verilated.o'), foreign);
    const target = objDir();
    await restoreRuntimeObjects(target, key);
    rmSync(planted, { recursive: true });
    expect(readdirSync(target)).toEqual([]);
  });

  it('ignores an object planted in the cache, or one changed after it was saved', async () => {
    await saveRuntimeObjects(objDir({ 'verilated.o': built }), key);
    const folder = join(runtimeCacheRoot(), key);
    writeFileSync(join(folder, 'verilated_threads.o'), foreign); // not in the manifest
    writeFileSync(join(folder, 'verilated.o'), foreign); // its hash no longer matches
    const target = objDir();
    await restoreRuntimeObjects(target, key);
    expect(readdirSync(target)).toEqual([]);
  });

  it('is not used when others may write to it, and says why', async () => {
    await saveRuntimeObjects(objDir({ 'verilated.o': built }), key);
    chmodSync(join(runtimeCacheRoot(), key), 0o777);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const target = objDir();
    await restoreRuntimeObjects(target, key);
    expect(readdirSync(target)).toEqual([]);
    expect(String(stderr.mock.calls[0]?.[0])).toMatch(
      /not using the Verilator run-time cache: .* has mode 777/,
    );
  });

  it.skipIf(process.getuid?.() !== 0)('is not used when another user owns it', async () => {
    await saveRuntimeObjects(objDir({ 'verilated.o': built }), key);
    chownSync(join(cacheHome, 'bitsmith'), 4242, 4242);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const target = objDir();
    await restoreRuntimeObjects(target, key);
    expect(readdirSync(target)).toEqual([]);
  });
});
