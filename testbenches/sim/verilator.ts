import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isBuildCurrent, recordBuild } from './build-stamp.ts';
import { findExecutable, requireExecutable } from './executables.ts';
import { queryTool, runProcess, toolError } from './run-process.ts';
import { collectResult, prepareRun } from './simulation-run.ts';
import { timeLimit } from './time-limit.ts';
import type { SimOptions, SimResult, Simulator, UnitUnderTest, VectorSet } from './types.ts';
import { restoreRuntimeObjects, runtimeCacheKey, saveRuntimeObjects } from './verilator-runtime-cache.ts';

export const OBJ_DIR = 'obj_dir';
export const BINARY = 'Vtb';

/** Verilator: builds bitsmith_tb + the design + a C++ clock harness into one executable, then runs it. */
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

    const flags = verilateFlags(options.vcd);
    const sources = [join(dir, 'tb.v'), join(dir, 'tb_main.cpp'), ...unit.files];
    let buildSeconds = 0;
    if (!(await isBuildCurrent(join(dir, OBJ_DIR), BINARY, [...flags, ...MAKE_FLAGS], sources))) {
      buildSeconds = await buildVerilatorModel(verilator, dir, flags, unit);
      await recordBuild(join(dir, OBJ_DIR), [...flags, ...MAKE_FLAGS], sources);
    }

    const simLog = join(dir, 'sim.log');
    const sim = await runProcess(join(dir, OBJ_DIR, BINARY), [], {
      cwd: dir,
      logPath: simLog,
      timeLimit: timeLimit({ simulate: vectors.stimulus.length }),
    });
    if (sim.exitCode !== 0) throw toolError(`the Verilator model of ${unit.top}`, sim, simLog);
    return collectResult(this.name, prepared, sim.output, simLog, { buildSeconds, runSeconds: sim.seconds });
  }
}

/** Verilates, then compiles with make; returns the seconds both took. */
export async function buildVerilatorModel(
  verilator: string,
  dir: string,
  flags: string[],
  unit: Pick<UnitUnderTest, 'top' | 'files'>,
): Promise<number> {
  const make = await requireExecutable('make', 'make');
  const compiler = await requireExecutable('g++', 'g++');
  const verilateLog = join(dir, 'verilate.log');
  const verilate = await runProcess(verilator, [...flags, 'tb.v', 'tb_main.cpp', ...unit.files], {
    cwd: dir,
    logPath: verilateLog,
  });
  if (verilate.exitCode !== 0)
    throw toolError(`verilator (${unit.top} and its testbench)`, verilate, verilateLog);

  const objDir = join(dir, OBJ_DIR);
  const cacheKey = runtimeCacheKey(await toolVersions(verilator, compiler), [...flags, ...MAKE_FLAGS]);
  await restoreRuntimeObjects(objDir, cacheKey);
  const makeLog = join(dir, 'make.log');
  const compile = await runProcess(make, ['-C', OBJ_DIR, '-f', `${BINARY}.mk`, '-j', '2', ...MAKE_FLAGS], {
    cwd: dir,
    logPath: makeLog,
  });
  if (compile.exitCode !== 0)
    throw toolError(`make (C++ build of the Verilator model of ${unit.top})`, compile, makeLog);
  await saveRuntimeObjects(objDir, cacheKey);
  return verilate.seconds + compile.seconds;
}

export function verilateFlags(vcd: boolean): string[] {
  return [
    '--cc',
    '--exe',
    '--top-module',
    'bitsmith_tb',
    // The C++ class is Vtb (Vtb.h, Vtb.mk) whatever the top module is called.
    '--prefix',
    BINARY,
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
    // The harness defines vl_finish, so that the testbench's summary stays the last line.
    '-CFLAGS',
    '-DVL_USER_FINISH',
    ...(vcd ? ['--trace'] : []),
  ];
}

// The per-cycle code optimized; run-once code and the run-time library compiled quickly.
export const MAKE_FLAGS = ['OPT_FAST=-O2', 'OPT_SLOW=-O0', 'OPT_GLOBAL=-O1'];

let versions: Promise<string> | undefined;

// The cached run-time objects are only valid for the Verilator and g++ that built them.
function toolVersions(verilator: string, compiler: string): Promise<string> {
  versions ??= Promise.all([queryTool(verilator, ['--version']), queryTool(compiler, ['--version'])]).then(
    (outputs) => outputs.map((output) => output.trim()).join('\n'),
  );
  return versions;
}
