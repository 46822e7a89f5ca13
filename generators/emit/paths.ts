import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's root: the nearest folder above this file with a package.json (the checkout, or the
 * installed package when this file runs compiled from its dist/ folder). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`bitsmith: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

const root = packageRoot();

/** A path inside the bitsmith package (templates, package.json), wherever the process runs from. */
export function projectPath(...parts: string[]): string {
  return join(root, ...parts);
}
