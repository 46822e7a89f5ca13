import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../generators/emit/paths.ts';
import { processIsAlive } from '../../testbenches/sim/stale-folders.ts';

// What a user meets at the command line: bad output folders, hung and killed tools, runs at once.

interface Run {
  pid: number;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  stderr: () => string;
}

function start(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const child = spawn('node', [projectPath('bin/bitsmith.js'), ...args], {
    cwd: options.cwd ?? projectPath('.'),
    env: { ...process.env, ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { pid: child.pid!, done, stderr: () => stderr };
}

const run = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  start(args, options).done;
const scratch = () => mkdtempSync(join(tmpdir(), 'bitsmith-hardening-'));
const ip = 'mul_int4_u_comb';

// A folder to put first on PATH, whose `vvp` runs `body` (a shell script) and writes its PID to vvp.pid.
function fakeVvp(body: string): { path: string; pidFile: string } {
  const dir = scratch();
  const pidFile = join(dir, 'vvp.pid');
  writeFileSync(join(dir, 'vvp'), `#!/bin/sh\necho $$ > '${pidFile}'\n${body}\n`);
  chmodSync(join(dir, 'vvp'), 0o755);
  return { path: `${dir}:${process.env.PATH}`, pidFile };
}

async function until(condition: () => boolean, seconds: number): Promise<void> {
  for (const end = Date.now() + seconds * 1000; !condition(); await sleep(50)) {
    if (Date.now() > end) throw new Error(`still waiting after ${seconds} s`);
  }
}

const results = (out: string) => JSON.parse(readFileSync(join(out, ip, 'results.json'), 'utf8'));

describe('output folders', () => {
  it("refuses --out '' instead of writing into the current folder", async () => {
    const cwd = scratch();
    const r = await run(['gen', ip, '--out', ''], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--out '' is not allowed: give a folder name/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it.skipIf(!existsSync('/proc/self'))(
    'refuses --out /proc at once instead of looping in mkdir',
    async () => {
      const started = Date.now();
      const r = await run(['gen', ip, '--out', '/proc']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/--out '\/proc' is not allowed: bitsmith cannot create folders in \/proc/);
      expect(Date.now() - started).toBeLessThan(60_000); // node starting on a busy machine; it used to loop forever
    },
  );

  it('refuses, for verify, a path that the simulators cannot build in, naming it', async () => {
    const root = scratch();
    for (const name of ['with space', 'double"quote', 'new\nline']) {
      const r = await run(['verify', ip, '--sim', 'icarus', '--out', join(root, name)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`--out '${join(root, name)}' is not allowed for simulation`);
      expect(r.stderr).toMatch(/Verilator's make and Icarus' vvp cannot build in a path with whitespace/);
    }
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('external tools', () => {
  it('leaves ~/.yosys_history alone', async () => {
    const home = scratch();
    const r = await run(['synth', ip, '--engine', 'native', '--out', scratch()], { env: { HOME: home } });
    expect(r.code).toBe(0);
    expect(readdirSync(home)).toEqual([]);
  });

  it('stops a hung simulator after --timeout, names it, and kills its process group', async () => {
    const out = scratch();
    const vvp = fakeVvp('sleep 60 & echo $! > "$(dirname "$0")/child.pid"; wait');
    const started = Date.now();
    const r = await run(['verify', ip, '--sim', 'icarus', '--timeout', '3', '--out', out], {
      env: { PATH: vvp.path },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/vvp timed out after 3 s and was stopped with its process group/);
    expect(Date.now() - started).toBeLessThan(30_000);
    const child = Number(readFileSync(join(vvp.pidFile, '..', 'child.pid'), 'utf8'));
    expect(processIsAlive(child)).toBe(false);
    expect(results(out).conformance).toBeUndefined();
  });

  it('refuses a bad --timeout by name', async () => {
    const r = await run(['verify', ip, '--timeout', 'soon']);
    expect(r.stderr).toMatch(/--timeout 'soon' is not allowed: use a number of seconds above 0/);
  });
});

describe('runs that are killed or run at once', () => {
  it('a verify killed with -9 leaves results that say a run was in progress, not PASS', async () => {
    const out = scratch();
    expect((await run(['verify', ip, '--sim', 'icarus', '--out', out])).code).toBe(0);
    expect(results(out).conformance.passed).toBe(true);

    const vvp = fakeVvp('sleep 60');
    const killed = start(['verify', ip, '--sim', 'icarus', '--out', out], { env: { PATH: vvp.path } });
    await until(() => existsSync(vvp.pidFile), 60);
    process.kill(killed.pid, 'SIGKILL');
    await killed.done;
    process.kill(Number(readFileSync(vvp.pidFile, 'utf8')), 'SIGKILL');

    const left = results(out);
    expect(left.conformance).toBeUndefined();
    expect(left.inProgress).toBe(`verify, process ${killed.pid}`);
    expect(existsSync(join(out, ip, 'verify', 'report.json'))).toBe(false);
    // The next run takes over the dead run's lock and writes whole results.
    expect((await run(['verify', ip, '--sim', 'icarus', '--out', out])).code).toBe(0);
    expect(results(out)).toMatchObject({ conformance: { passed: true } });
    expect(results(out).inProgress).toBeUndefined();
  });

  it('a second verify of the same package waits for the first, saying which process holds it', async () => {
    const out = scratch();
    const real = execFileSync('sh', ['-c', 'command -v vvp'], { encoding: 'utf8' }).trim();
    // The first run's simulator goes on only once the second run has said that it waits.
    const go = join(scratch(), 'go');
    const vvp = fakeVvp(`while [ ! -e '${go}' ]; do sleep 0.1; done\nexec '${real}' "$@"`);
    const first = start(['verify', ip, '--sim', 'icarus', '--out', out], { env: { PATH: vvp.path } });
    await until(() => existsSync(vvp.pidFile), 60);
    const second = start(['verify', ip, '--sim', 'icarus', '--out', out]);
    await until(() => second.stderr().includes('waiting'), 60);
    writeFileSync(go, '');
    const [a, b] = await Promise.all([first.done, second.done]);
    expect(b.stderr).toContain(`package ${ip} is being written by process ${first.pid}; waiting up to 600 s`);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stdout).toMatch(/result\s+PASS/);
    expect(b.stdout).toMatch(/result\s+PASS/);
  });
});
