import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSimulator } from './fixtures/simulator-suite.ts';
import * as units from './fixtures/units.ts';
import { IcarusSimulator } from './icarus.ts';
import { VerilatorSimulator } from './verilator.ts';

describeSimulator(new VerilatorSimulator());

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
