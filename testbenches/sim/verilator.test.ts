import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSimulator } from './fixtures/simulator-suite.ts';
import * as units from './fixtures/units.ts';
import { IcarusSimulator } from './icarus.ts';
import { VerilatorSimulator } from './verilator.ts';

describeSimulator(new VerilatorSimulator());

describe('Verilator build', () => {
  it('compiles a short run unoptimized and as one file', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'bitsmith-verilator-build-'));
    try {
      const options = { workDir, seed: 1, bubbles: false, vcd: false };
      const result = await new VerilatorSimulator().run(
        units.mulPipe2,
        units.multiplierVectors(200),
        options,
      );
      expect(result).toMatchObject({ passed: 200, failed: 0 });
      const makeLog = await readFile(join(workDir, 'verilator', 'make.log'), 'utf8');
      // The make command line, then the model's one file compiled at the chosen level.
      expect(makeLog).toContain('OPT_FAST=-O0');
      expect(makeLog).toContain('VM_PARALLEL_BUILDS=0');
      expect(makeLog).toMatch(/ -O0 -c -o Vtb__ALL\.o /);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
});

describe('Verilator and Icarus', () => {
  it('see the same bubbles and backpressure for the same seed', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'bitsmith-same-seed-'));
    try {
      const options = { workDir, seed: 99, bubbles: true, vcd: false };
      const vectors = units.accumulatorVectors(500);
      const verilator = await new VerilatorSimulator().run(units.accumulator, vectors, options);
      const icarus = await new IcarusSimulator().run(units.accumulator, vectors, options);
      const otherSeed = await new IcarusSimulator().run(units.accumulator, vectors, {
        ...options,
        seed: 100,
      });
      expect(verilator).toMatchObject({ passed: 500, failed: 0 });
      expect(icarus).toMatchObject({ passed: 500, failed: 0 });
      expect(verilator.cycles).toBe(icarus.cycles);
      expect(otherSeed.cycles).not.toBe(icarus.cycles);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
