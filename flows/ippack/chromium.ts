import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { runProcess } from '../../testbenches/sim/run-process.ts';
import { findExecutable } from '../../testbenches/sim/executables.ts';
import { makeScratchFolder } from '../../testbenches/sim/stale-folders.ts';

/** Debian's headless-capable browser, used to check that the catalog index renders. */
export const CHROMIUM_PACKAGE = 'chromium';

export function missingChromiumMessage(): string {
  return `chromium is not installed (Debian package ${CHROMIUM_PACKAGE}: apt-get install ${CHROMIUM_PACKAGE})`;
}

export function findChromium(): Promise<string | undefined> {
  return findExecutable('chromium');
}

/** Common flags: no GPU, no sandbox (CI runs as root), a fresh profile, no first-run chatter. */
function baseFlags(profile: string, width: number, height: number): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--hide-scrollbars',
    '--no-first-run',
    '--disable-extensions',
    `--user-data-dir=${profile}`,
    `--window-size=${width},${height}`,
  ];
}

/** A PNG screenshot of a local page; `{ skipped }` naming the Debian package when chromium is missing. */
export async function screenshotPage(
  htmlPath: string,
  pngPath: string,
  size: { width: number; height: number } = { width: 1400, height: 1000 },
): Promise<{ png: string } | { skipped: string }> {
  const result = await runChromium(htmlPath, [`--screenshot=${pngPath}`], size);
  return 'skipped' in result ? result : { png: pngPath };
}

/** The page's DOM after parsing and layout, as Chromium serializes it. */
export async function dumpDom(htmlPath: string): Promise<{ dom: string } | { skipped: string }> {
  const result = await runChromium(htmlPath, ['--dump-dom'], { width: 1400, height: 1000 });
  return 'skipped' in result ? result : { dom: result.output };
}

async function runChromium(
  htmlPath: string,
  args: string[],
  size: { width: number; height: number },
): Promise<{ output: string } | { skipped: string }> {
  const chromium = await findChromium();
  if (chromium === undefined) return { skipped: missingChromiumMessage() };
  const profile = await makeScratchFolder('chromium');
  try {
    const url = pathToFileURL(htmlPath).href;
    const run = await runProcess(chromium, [...baseFlags(profile, size.width, size.height), ...args, url], {
      cwd: profile,
      logPath: join(profile, 'chromium.log'),
    });
    if (run.exitCode !== 0) throw new Error(`chromium ${args.join(' ')} failed:\n${run.output.slice(-2000)}`);
    return { output: run.output };
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
