import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { planFor } from '../../testbenches/plans/index.ts';
import { renderTestbench } from '../../testbenches/sim/testbench.ts';
import { writeVectorFile } from '../../testbenches/sim/vector-files.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { renderTemplate } from '../../generators/emit/templates.ts';
import type { Target } from '../target.ts';

/** The seed of the packaged vectors and bubbles: the one `bitsmith verify` uses by default. */
export const PACKAGE_SEED = 1;

export interface PackagedTestbench {
  /** Paths relative to the package folder. */
  testbench: string;
  icarusTop: string;
  verilatorMain: string;
  verilatorShim: string;
  stimulus: string;
  expected: string;
  vectors: number;
  description: string;
}

/**
 * Writes the unit's self-checking testbench into `<pkgDir>/tb/`: the same testbench, clock wrapper,
 * Verilator harness and vector files that `bitsmith verify` runs (default vectors, seed 1), so the
 * package can be simulated on its own (FuseSoC sim target, or iverilog/verilator by hand).
 * Returns undefined when the generator has no verification plan.
 */
export async function writeTestbench(target: Target, pkgDir: string): Promise<PackagedTestbench | undefined> {
  let plan;
  try {
    plan = planFor(target.generator.name);
  } catch {
    return undefined;
  }
  const vectors = plan.vectors(target.params, { kind: 'default' }, PACKAGE_SEED);
  const unit = unitUnderTest(target.module, []);
  const files = renderTestbench(unit, {
    vectorCount: vectors.stimulus.length,
    seed: PACKAGE_SEED,
    bubbles: true,
    vcd: false,
    maxMismatches: 10,
  });
  const tb = join(pkgDir, 'tb');
  await mkdir(join(tb, 'verilator'), { recursive: true });
  const shim = renderTemplate('fusesoc/Vtb.h.hbs', { top: target.module.name });
  await Promise.all([
    writeFile(join(tb, 'tb.v'), files.testbench),
    writeFile(join(tb, 'tb_icarus.v'), files.icarusTop),
    writeFile(join(tb, 'tb_main.cpp'), files.verilatorMain),
    writeFile(join(tb, 'verilator', 'Vtb.h'), shim),
    writeVectorFile(join(tb, 'stimulus.hex'), unit.inputs, vectors.stimulus, 'stimulus'),
    writeVectorFile(join(tb, 'expected.hex'), unit.outputs, vectors.expected, 'expected'),
  ]);
  return {
    testbench: 'tb/tb.v',
    icarusTop: 'tb/tb_icarus.v',
    verilatorMain: 'tb/tb_main.cpp',
    verilatorShim: 'tb/verilator/Vtb.h',
    stimulus: 'tb/stimulus.hex',
    expected: 'tb/expected.hex',
    vectors: vectors.stimulus.length,
    description: vectors.description,
  };
}
