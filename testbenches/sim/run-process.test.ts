import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from './run-process.ts';
import { processIsAlive } from './stale-folders.ts';

describe('runProcess time limit', () => {
  it('stops a tool past its limit with its whole process group, naming the tool and the limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bitsmith-run-test-'));
    const logPath = join(dir, 'hang.log');
    const started = performance.now();
    // The shell starts a child that would outlive a kill of the shell alone.
    const run = runProcess('sh', ['-c', 'sleep 60 & echo $! > child.pid; wait'], {
      cwd: dir,
      logPath,
      timeLimit: 1,
    });
    await expect(run).rejects.toThrow(/^sh timed out after 1 s and was stopped with its process group/);
    expect(performance.now() - started).toBeLessThan(5000);
    const child = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processIsAlive(child)).toBe(false);
    expect(readFileSync(logPath, 'utf8')).toMatch(/^\$ sh -c sleep 60/);
  });

  it('leaves a tool within its limit alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bitsmith-run-test-'));
    const result = await runProcess('sh', ['-c', 'echo done; exit 3'], {
      cwd: dir,
      logPath: join(dir, 'ok.log'),
      timeLimit: 5,
    });
    expect(result).toMatchObject({ exitCode: 3, output: 'done\n' });
  });
});
