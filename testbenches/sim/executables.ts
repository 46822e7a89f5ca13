import { access, constants } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

/** The full path of an executable found on PATH (or the path itself if absolute), or undefined. */
export async function findExecutable(name: string): Promise<string | undefined> {
  const candidates = isAbsolute(name)
    ? [name]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter((dir) => dir !== '')
        .map((dir) => join(dir, name));
  for (const candidate of candidates) {
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Like findExecutable, but a missing tool is an Error that says which Debian package provides it. */
export async function requireExecutable(name: string, debianPackage: string): Promise<string> {
  const path = await findExecutable(name);
  if (path === undefined) {
    throw new Error(
      `${name} was not found on PATH. Install it with \`apt-get install ${debianPackage}\` ` +
        `(Debian package ${debianPackage}).`,
    );
  }
  return path;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
