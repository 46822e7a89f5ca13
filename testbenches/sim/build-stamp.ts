import { createHash } from 'node:crypto';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const STAMP_FILE = 'bitsmith-build.sha256';

/**
 * True when `binary` in objDir was built with these arguments from sources with these contents, so a
 * rerun with the same testbench and design skips the slow C++ build.
 */
export async function isBuildCurrent(
  objDir: string,
  binary: string,
  args: string[],
  sources: string[],
): Promise<boolean> {
  try {
    await access(join(objDir, binary));
    const recorded = await readFile(join(objDir, STAMP_FILE), 'utf8');
    return recorded === (await buildDigest(args, sources));
  } catch {
    return false;
  }
}

export async function recordBuild(objDir: string, args: string[], sources: string[]): Promise<void> {
  await writeFile(join(objDir, STAMP_FILE), await buildDigest(args, sources));
}

async function buildDigest(args: string[], sources: string[]): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(args));
  for (const source of sources) hash.update(source).update(await readFile(source));
  return hash.digest('hex');
}
