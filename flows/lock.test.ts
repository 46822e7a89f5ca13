import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOCK_WAIT_VARIABLE, withPackageLock } from './lock.ts';

const saved = process.env[LOCK_WAIT_VARIABLE];
afterEach(() => {
  if (saved === undefined) delete process.env[LOCK_WAIT_VARIABLE];
  else process.env[LOCK_WAIT_VARIABLE] = saved;
  vi.restoreAllMocks();
});

const pkgDir = () => join(mkdtempSync(join(tmpdir(), 'bitsmith-lock-test-')), 'mul_int4_u_comb');

// A process that lives for `seconds`, and the promise of its end.
function holder(seconds: number) {
  const child = spawn('sleep', [String(seconds)], { stdio: 'ignore' });
  const ended = new Promise((resolve) => child.on('exit', resolve));
  return { pid: child.pid!, ended, stop: () => child.kill() };
}

describe('package lock', () => {
  it('holds <package>.lock with this process id while the work runs, and removes it after', async () => {
    const dir = pkgDir();
    const seen = await withPackageLock(dir, async () => readFileSync(`${dir}.lock`, 'utf8'));
    expect(seen).toBe(`${process.pid}\n`);
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it('is taken again by nested flows of the same process (build runs gen, then verify)', async () => {
    const dir = pkgDir();
    const inner = await withPackageLock(dir, () => withPackageLock(dir, async () => 'nested'));
    expect(inner).toBe('nested');
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it('fails naming the package and the live process that holds it, once the wait is over', async () => {
    const dir = pkgDir();
    const other = holder(30);
    writeFileSync(`${dir}.lock`, `${other.pid}\n`);
    process.env[LOCK_WAIT_VARIABLE] = '0';
    const work = vi.fn(async () => 'ran');
    await expect(withPackageLock(dir, work)).rejects.toThrow(
      `package mul_int4_u_comb is being written by process ${other.pid}`,
    );
    expect(work).not.toHaveBeenCalled();
    expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(`${other.pid}\n`);
    other.stop();
  });

  it('waits for a live holder, saying so, and goes on when it has ended', async () => {
    const dir = pkgDir();
    const other = holder(1);
    writeFileSync(`${dir}.lock`, `${other.pid}\n`);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await withPackageLock(dir, async () => 'ran')).toBe('ran');
    expect(String(stderr.mock.calls[0]?.[0])).toMatch(
      `package mul_int4_u_comb is being written by process ${other.pid}; waiting up to 600 s`,
    );
  });

  it('takes over the lock of a process that has ended (killed with -9)', async () => {
    const dir = pkgDir();
    const gone = holder(0);
    await gone.ended;
    writeFileSync(`${dir}.lock`, `${gone.pid}\n`);
    expect(await withPackageLock(dir, async () => readFileSync(`${dir}.lock`, 'utf8'))).toBe(
      `${process.pid}\n`,
    );
  });
});
