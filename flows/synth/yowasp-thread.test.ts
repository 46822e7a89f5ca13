import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TIMEOUT_VARIABLE } from '../../testbenches/sim/time-limit.ts';
import { runYosysScript } from './yosys-runner.ts';

const saved = process.env[TIMEOUT_VARIABLE];
afterEach(() => {
  if (saved === undefined) delete process.env[TIMEOUT_VARIABLE];
  else process.env[TIMEOUT_VARIABLE] = saved;
});

// A 24-bit multiplier: `map` takes synth_ice40 a long while to map it (tens of seconds), `read` only reads it.
function job(kind: 'map' | 'read') {
  const workDir = mkdtempSync(join(tmpdir(), 'bitsmith-yowasp-test-'));
  writeFileSync(
    join(workDir, 'mul.v'),
    'module mul(input [23:0] a, b, output [47:0] p); assign p = a * b; endmodule\n',
  );
  const steps = kind === 'map' ? 'synth_ice40 -top mul' : 'hierarchy -top mul';
  writeFileSync(join(workDir, 'run.ys'), `read_verilog mul.v\n${steps}\nstat\nwrite_json out.json\n`);
  return { workDir, script: 'run.ys', inputs: ['mul.v'], outputs: ['out.json'] };
}

describe('Yosys from npm (yowasp) on its own thread', () => {
  it('runs a script and gives back the files it wrote', async () => {
    const j = job('read');
    const run = await runYosysScript('yowasp', j);
    expect(run.exitCode).toBe(0);
    expect(run.log).toMatch(/Number of cells/);
    expect(JSON.parse(readFileSync(join(j.workDir, 'out.json'), 'utf8')).modules.mul).toBeDefined();
  });

  it('is stopped at its time limit although WebAssembly never yields, and the next run still works', async () => {
    process.env[TIMEOUT_VARIABLE] = '0.3';
    const started = performance.now();
    await expect(runYosysScript('yowasp', job('map'))).rejects.toThrow(
      /^yosys \(yowasp\) timed out after 0\.3 s and was stopped with its thread/,
    );
    expect(performance.now() - started).toBeLessThan(3000);
    delete process.env[TIMEOUT_VARIABLE];
    expect((await runYosysScript('yowasp', job('read'))).exitCode).toBe(0);
  });
});
