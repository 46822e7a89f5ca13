import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeScratchFolder, processIsAlive } from './stale-folders.ts';

describe('scratch folders in the temporary folder', () => {
  it('are named by their run, and those of ended runs (killed with -9) go at the next run', async () => {
    const ended = spawnSync('true').pid!;
    expect(processIsAlive(ended)).toBe(false);
    const left = join(tmpdir(), `bitsmith-lint-${ended}-abc123`);
    const live = join(tmpdir(), `bitsmith-lint-${process.ppid}-abc123`);
    const foreign = join(tmpdir(), 'bitsmith-lint-tests-abc123'); // not named by a process: kept
    for (const folder of [left, live, foreign]) mkdirSync(join(folder, 'obj'), { recursive: true });

    const scratch = await makeScratchFolder('lint');
    expect(basename(scratch)).toMatch(new RegExp(`^bitsmith-lint-${process.pid}-\\w{6}$`));
    expect(existsSync(left)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(foreign)).toBe(true);
    for (const folder of [scratch, live, foreign]) rmSync(folder, { recursive: true });
  });
});
