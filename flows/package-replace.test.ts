import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writePackage } from './package.ts';
import { resolveTarget } from './target.ts';

// A folder holding `stuck/` cannot be removed whole: its other entries go, then the removal fails, as
// it does for a user on a package with a read-only sub-folder.
const stuck = vi.hoisted(() => ({ on: false }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const rmSync: typeof real.rmSync = (path, options) => {
    const folder = String(path);
    if (stuck.on && real.existsSync(join(folder, 'stuck'))) {
      for (const name of real.readdirSync(folder)) {
        if (name !== 'stuck') real.rmSync(join(folder, name), { recursive: true, force: true });
      }
      throw Object.assign(new Error(`EACCES: permission denied, rmdir '${folder}/stuck'`), {
        code: 'EACCES',
      });
    }
    real.rmSync(path, options);
  };
  return { ...real, rmSync, default: { ...real, rmSync } };
});

afterEach(() => {
  stuck.on = false;
});

const ip = 'mul_int4_u_comb';
const narrow = resolveTarget(ip);
const wider = { ...resolveTarget(ip, { aWidth: 5 }), ip };
const scratch = () => mkdtempSync(join(tmpdir(), 'bitsmith-replace-test-'));

// The id of a process that has ended.
function endedPid(): number {
  return spawnSync('true').pid!;
}

describe('package replacement', () => {
  it('leaves the new package whole when the old one cannot be removed', () => {
    const out = scratch();
    const pkg = writePackage(narrow, out);
    mkdirSync(join(pkg.dir, 'stuck'));
    writeFileSync(join(pkg.dir, 'stuck', 'notes.txt'), 'read-only\n');
    stuck.on = true;
    writePackage(wider, out);
    expect(readdirSync(join(pkg.dir, 'rtl'))).toEqual([`${wider.module.name}.v`]);
    expect(JSON.parse(readFileSync(join(pkg.dir, 'ip.json'), 'utf8')).module).toBe(wider.module.name);
    expect(readFileSync(join(pkg.dir, `${ip}.f`), 'utf8')).toBe(`rtl/${wider.module.name}.v\n`);
  });

  it('removes the staging and set-aside folders of runs that were killed, and keeps those of live runs', () => {
    const out = scratch();
    const dead = endedPid();
    const live = process.ppid;
    for (const name of [`${ip}.tmp-${dead}`, `${ip}.old-${dead}`, `${ip}.tmp-${live}`, 'other.tmp-1']) {
      mkdirSync(join(out, name, 'rtl'), { recursive: true });
    }
    writePackage(narrow, out);
    expect(readdirSync(out).sort()).toEqual([ip, `${ip}.tmp-${live}`, 'other.tmp-1'].sort());
  });

  it.skipIf(!existsSync('/proc/self'))(
    'fails at once, naming the folder, where no folder can be made (/proc)',
    () => {
      const started = performance.now();
      expect(() => writePackage(narrow, '/proc')).toThrow(/mkdir '\/proc\/mul_int4_u_comb\.tmp-\d+'/);
      expect(performance.now() - started).toBeLessThan(2000);
    },
  );
});
