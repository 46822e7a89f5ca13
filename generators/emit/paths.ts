import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A path inside the bitsmith checkout (templates, package.json), wherever the process runs from. */
export function projectPath(...parts: string[]): string {
  return join(root, ...parts);
}
