import 'reflect-metadata';
import { container } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { ICARUS_SIMULATOR, registerSimulators, simulatorsFor } from './container.ts';
import type { Simulator } from './types.ts';

describe('simulator container', () => {
  it('resolves each simulator by name, and every one for all', () => {
    const child = container.createChildContainer();
    expect(simulatorsFor('icarus', child).map((simulator) => simulator.name)).toEqual(['icarus']);
    expect(simulatorsFor('verilator', child).map((simulator) => simulator.debianPackage)).toEqual([
      'verilator',
    ]);
    expect(simulatorsFor('hls', child).map((simulator) => simulator.debianPackage)).toEqual(['g++']);
    expect(simulatorsFor('all', child).map((simulator) => simulator.name)).toEqual([
      'icarus',
      'verilator',
      'hls',
    ]);
  });

  it('keeps a simulator registered before it', () => {
    const child = container.createChildContainer();
    const fake = { name: 'fake' } as Simulator;
    child.register(ICARUS_SIMULATOR, { useValue: fake });
    registerSimulators(child);
    expect(simulatorsFor('icarus', child)).toEqual([fake]);
  });

  it('rejects an unknown name', () => {
    expect(() => simulatorsFor('modelsim' as 'icarus')).toThrow(
      'expected one of icarus, verilator, hls, all',
    );
  });
});
