import { describe, expect, it } from 'vitest';
import { describeSimulator } from './fixtures/simulator-suite.ts';
import * as units from './fixtures/units.ts';
import { IcarusSimulator } from './icarus.ts';

describeSimulator(new IcarusSimulator());

describe('IcarusSimulator without the tool', () => {
  it('names the Debian package to install', async () => {
    const path = process.env.PATH;
    process.env.PATH = '';
    try {
      const simulator = new IcarusSimulator();
      expect(await simulator.available()).toBe(false);
      await expect(
        simulator.run(units.adderComb, units.adderVectors(1), {
          workDir: '/nonexistent',
          seed: 1,
          bubbles: false,
          vcd: false,
        }),
      ).rejects.toThrow(/apt-get install iverilog/);
    } finally {
      process.env.PATH = path;
    }
  });
});
