import { describe, expect, it } from 'vitest';
import { makeFlags, modelOptimization, SHARED_MAKE_FLAGS } from './verilator.ts';

describe('modelOptimization', () => {
  it('compiles short runs unoptimized, long ones at -O1 and only multi-million runs at -O2', () => {
    // A catalog dequantizer's 20,000 vectors, an exhaustive 8-bit multiplier, a GEMV stream.
    for (const steps of [0, 560, 20_000, 65_536, 299_999]) expect(modelOptimization(steps)).toBe('-O0');
    // The catalog's one-million-vector random runs.
    for (const steps of [300_000, 1_000_000, 4_999_999]) expect(modelOptimization(steps)).toBe('-O1');
    for (const steps of [5_000_000, 50_000_000]) expect(modelOptimization(steps)).toBe('-O2');
  });
});

describe('makeFlags', () => {
  it('passes the chosen level as OPT_FAST and builds the model as one file', () => {
    expect(makeFlags(20_000)).toContain('OPT_FAST=-O0');
    expect(makeFlags(1_000_000)).toContain('OPT_FAST=-O1');
    expect(makeFlags(20_000_000)).toContain('OPT_FAST=-O2');
    expect(makeFlags(20_000).filter((f) => f.startsWith('OPT_FAST='))).toHaveLength(1);
    expect(makeFlags(20_000)).toContain('VM_PARALLEL_BUILDS=0');
  });

  // The run-time library's cache is keyed by SHARED_MAKE_FLAGS: a flag outside them would be missing
  // from the key, and OPT_FAST inside them would split the cache per level.
  it('adds only OPT_FAST to the flags that key the run-time cache', () => {
    for (const steps of [20_000, 1_000_000, 20_000_000]) {
      expect(makeFlags(steps).filter((f) => !f.startsWith('OPT_FAST='))).toEqual(SHARED_MAKE_FLAGS);
    }
    expect(SHARED_MAKE_FLAGS).toContain('OPT_GLOBAL=-O1');
  });
});
