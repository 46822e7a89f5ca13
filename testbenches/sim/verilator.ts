import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isBuildCurrent, recordBuild } from './build-stamp.ts';
import { findExecutable, requireExecutable } from './executables.ts';
import { runProcess, toolError } from './run-process.ts';
import { collectResult, prepareRun } from './simulation-run.ts';
import type { SimOptions, SimResult, Simulator, UnitUnderTest, VectorSet } from './types.ts';

const OBJ_DIR = 'obj_dir';
const BINARY = 'Vtb';

/** Verilator: builds tb + the design + a C++ clock harness into one executable, then runs it. */
export class VerilatorSimulator implements Simulator {
  readonly name = 'verilator';
  readonly debianPackage = 'verilator';

  async available(): Promise<boolean> {
    return (await findExecutable('verilator')) !== undefined;
  }

  async run(unit: UnitUnderTest, vectors: VectorSet, options: SimOptions): Promise<SimResult> {
    const verilator = await requireExecutable('verilator', this.debianPackage);
    const prepared = await prepareRun(this.name, unit, vectors, options);
    const { dir } = prepared;
    await writeFile(join(dir, 'tb_main.cpp'), prepared.files.verilatorMain);

    const args = verilatorArgs(unit.files, options.vcd);
    const sources = [join(dir, 'tb.v'), join(dir, 'tb_main.cpp'), ...unit.files];
    let buildSeconds = 0;
    if (!(await isBuildCurrent(join(dir, OBJ_DIR), BINARY, args, sources))) {
      const buildLog = join(dir, 'build.log');
      const build = await runProcess(verilator, args, { cwd: dir, logPath: buildLog });
      if (build.exitCode !== 0)
        throw toolError(`verilator (building ${unit.top} and its testbench)`, build, buildLog);
      await recordBuild(join(dir, OBJ_DIR), args, sources);
      buildSeconds = build.seconds;
    }

    const simLog = join(dir, 'sim.log');
    const sim = await runProcess(join(dir, OBJ_DIR, BINARY), [], { cwd: dir, logPath: simLog });
    if (sim.exitCode !== 0) throw toolError(`the Verilator model of ${unit.top}`, sim, simLog);
    return collectResult(this.name, prepared, sim.output, simLog, { buildSeconds, runSeconds: sim.seconds });
  }
}

function verilatorArgs(designFiles: string[], vcd: boolean): string[] {
  return [
    '--cc',
    '--exe',
    '--build',
    '-j',
    '2',
    '--top-module',
    'tb',
    '--Mdir',
    OBJ_DIR,
    '-o',
    BINARY,
    '--no-timing',
    '-O3',
    // The testbench is built, not linted: lintVerilog holds the design to -Wall separately.
    '-Wno-fatal',
    // Modules without `timescale may sit beside modules with one.
    '--timescale',
    '1ns/1ps',
    '-CFLAGS',
    '-DVL_USER_FINISH',
    // Fast code (the per-cycle eval) optimized, run-once code compiled quickly.
    '-MAKEFLAGS',
    'OPT_FAST=-O2 OPT_SLOW=-O0 OPT_GLOBAL=-O1',
    ...(vcd ? ['--trace'] : []),
    'tb.v',
    'tb_main.cpp',
    ...designFiles,
  ];
}
