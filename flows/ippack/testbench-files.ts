import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { alignToUnit } from '../../testbenches/align-vectors.ts';
import { planFor } from '../../testbenches/plans/index.ts';
import { renderTestbench } from '../../testbenches/sim/testbench.ts';
import { writeVectorFile } from '../../testbenches/sim/vector-files.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { renderCocotbBench } from '../../testbenches/sim/cocotb-bench.ts';
import { renderCocotbStreamBench } from '../../testbenches/sim/cocotb-stream-bench.ts';
import type { UnitUnderTest } from '../../testbenches/sim/types.ts';
import { renderTemplate } from '../../generators/emit/templates.ts';
import type { Target } from '../target.ts';
import { renderStreamBench, type StreamBench } from '../../testbenches/sim/stream-run.ts';
import { streamingPlanFor } from '../../testbenches/streaming-plans.ts';

/** The seed of the packaged vectors and bubbles: the one `bitsmith verify` uses by default. */
export const PACKAGE_SEED = 1;

export interface PackagedTestbench {
  /** Paths relative to the package folder. */
  testbench: string;
  icarusTop: string;
  verilatorMain: string;
  verilatorShim: string;
  /** The cocotb bench in tb/cocotb/ (test module, runner, driver), when the unit has one. */
  cocotb?: string[];
  /** Files the testbench reads with $readmemh, copied into the simulation's working folder. */
  data: { path: string; copyto: string; what: string }[];
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
  const streaming = streamingPlanFor(target.generator.name);
  if (streaming !== undefined)
    return writeStreamTestbench(target, streaming.bench(target.params, target.module, PACKAGE_SEED), pkgDir);
  let plan;
  try {
    plan = planFor(target.generator.name);
  } catch {
    return undefined;
  }
  const unit = unitUnderTest(target.module, []);
  const vectors = alignToUnit(plan.vectors(target.params, { kind: 'default' }, PACKAGE_SEED), unit);
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
  const formatOf = (port: string) => plan.portFormat?.(port, target.params);
  const cocotb = await writeCocotbBench(target, pkgDir, unit, vectors.description, formatOf);
  return {
    cocotb,
    testbench: 'tb/tb.v',
    icarusTop: 'tb/tb_icarus.v',
    verilatorMain: 'tb/tb_main.cpp',
    verilatorShim: 'tb/verilator/Vtb.h',
    data: [
      {
        path: 'tb/stimulus.hex',
        copyto: 'stimulus.hex',
        what: `input vectors, ${vectors.stimulus.length} lines`,
      },
      { path: 'tb/expected.hex', copyto: 'expected.hex', what: 'expected outputs from the golden model' },
    ],
    vectors: vectors.stimulus.length,
    description: vectors.description,
  };
}

/** tb/cocotb/: the cocotb bench on the same vector files, run from that folder without bitsmith. */
async function writeCocotbBench(
  target: Target,
  pkgDir: string,
  unit: UnitUnderTest,
  description: string,
  formatOf: (port: string) => string | undefined,
): Promise<string[]> {
  const files = renderCocotbBench({
    ip: target.ip,
    unit,
    sources: await packagedSources(target, pkgDir),
    vectorsAbove: true,
    description,
    formatOf,
  });
  return writeCocotbFiles(pkgDir, files);
}

/** The package's RTL as seen from tb/cocotb/. */
async function packagedSources(target: Target, pkgDir: string): Promise<string[]> {
  const rtl = (await readFile(join(pkgDir, `${target.ip}.f`), 'utf8')).split('\n').filter((f) => f !== '');
  return rtl.map((f) => `../../${f}`);
}

async function writeCocotbFiles(pkgDir: string, files: Record<string, string>): Promise<string[]> {
  await mkdir(join(pkgDir, 'tb', 'cocotb'), { recursive: true });
  await Promise.all(
    Object.entries(files).map(([name, text]) => writeFile(join(pkgDir, 'tb', 'cocotb', name), text)),
  );
  return Object.keys(files).map((name) => `tb/cocotb/${name}`);
}

/**
 * A streaming core's job testbench (the one `bitsmith verify` runs): tb.v, jobs, stream beats, y; and
 * tb/cocotb/, the cocotbext-axi bench on the same files.
 */
async function writeStreamTestbench(
  target: Target,
  bench: StreamBench,
  pkgDir: string,
): Promise<PackagedTestbench> {
  const tb = join(pkgDir, 'tb');
  await mkdir(join(tb, 'verilator'), { recursive: true });
  const files = renderStreamBench(bench);
  await Promise.all([
    ...Object.entries(files).map(([name, text]) => writeFile(join(tb, name), text)),
    writeFile(join(tb, 'tb_icarus.v'), renderTemplate('tb/icarus-top.v.hbs', { top: bench.top })),
    writeFile(
      join(tb, 'tb_main.cpp'),
      renderTemplate('tb/verilator-main.cpp.hbs', { top: bench.top, vcd: false }),
    ),
    writeFile(join(tb, 'verilator', 'Vtb.h'), renderTemplate('fusesoc/Vtb.h.hbs', { top: bench.top })),
  ]);
  const cocotb = await writeCocotbFiles(
    pkgDir,
    renderCocotbStreamBench({
      ip: target.ip,
      bench,
      sources: await packagedSources(target, pkgDir),
      vectorsAbove: true,
    }),
  );
  return {
    cocotb,
    testbench: 'tb/tb.v',
    icarusTop: 'tb/tb_icarus.v',
    verilatorMain: 'tb/tb_main.cpp',
    verilatorShim: 'tb/verilator/Vtb.h',
    data: Object.keys(files)
      .filter((name) => name.endsWith('.hex'))
      .map((name) => ({
        path: `tb/${name}`,
        copyto: name,
        what:
          name === 'jobs.hex'
            ? `${bench.jobs.length} jobs: k_len, n_len, expected status, and how the bench drives each (stream order, a prompt job, calm or stalling streams)`
            : name === 'y.expected.hex'
              ? `${bench.y.length} y elements from the golden model`
              : `the ${name.replace('.hex', '')} stream's beats ({tlast, tdata})`,
      })),
    vectors: bench.y.length + bench.jobs.length,
    description: `${bench.jobs.length} jobs with ${bench.stallPercent}% stalls on every stream: ${bench.y.length} y elements and ${bench.jobs.length} job statuses`,
  };
}
