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
    const steps = vectors.stimulus.length;
    const buildArgs = [...flags, ...makeFlags(steps)];
    const sources = [join(dir, 'tb.v'), join(dir, 'tb_main.cpp'), ...unit.files];
    let buildSeconds = 0;
    if (!(await isBuildCurrent(join(dir, OBJ_DIR), BINARY, buildArgs, sources))) {
      buildSeconds = await buildVerilatorModel(verilator, dir, flags, unit, steps);
      await recordBuild(join(dir, OBJ_DIR), buildArgs, sources);
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

/** Verilates, then compiles with make for a run of `steps` vectors or stream beats; returns the seconds both took. */
export async function buildVerilatorModel(
  verilator: string,
  dir: string,
  flags: string[],
  unit: Pick<UnitUnderTest, 'top' | 'files'>,
  steps: number,
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
  const cacheKey = runtimeCacheKey(await toolVersions(verilator, compiler), [...flags, ...SHARED_MAKE_FLAGS]);
  await restoreRuntimeObjects(objDir, cacheKey);
  const makeLog = join(dir, 'make.log');
  const makeArgs = ['-C', OBJ_DIR, '-f', `${BINARY}.mk`, '-j', '2', ...makeFlags(steps)];
  const compile = await runProcess(make, makeArgs, { cwd: dir, logPath: makeLog });
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

// The model is compiled as one file (Vtb__ALL.cpp, with OPT_FAST, so OPT_SLOW goes unused): every
// file g++ compiles parses verilated.h again, about 0.7 s of CPU, and a large design split into ten
// files spent more on that than on its own code. verilated.mk compiles the run-time library with
// OPT_GLOBAL alone, so its cached objects depend on these flags and not on OPT_FAST.
export const SHARED_MAKE_FLAGS = ['OPT_GLOBAL=-O1', 'VM_PARALLEL_BUILDS=0'];

/** The make variables for a model that will run `steps` vectors or stream beats. */
export function makeFlags(steps: number): string[] {
  return [`OPT_FAST=${modelOptimization(steps)}`, ...SHARED_MAKE_FLAGS];
}

// Measured on catalog units (CPU, build + run): -O0 compiles a model 0.3-2.4 s faster than -O2 but
// runs 0.5-1.3 µs a cycle slower than -O1 (about 1.5 cycles a vector with bubbles), so it pays up
// to about 300,000 vectors. -O1 runs within 0.1 µs a cycle of -O2 and compiles 0.2-1.8 s faster:
// -O2 pays only past a few million vectors.
const FAST_BUILD_BELOW = 300_000;
const FAST_RUN_FROM = 5_000_000;

/** g++ optimization of the model's code: the level that spends the least CPU on build and run together. */
export function modelOptimization(steps: number): '-O0' | '-O1' | '-O2' {
  if (steps < FAST_BUILD_BELOW) return '-O0';
  return steps < FAST_RUN_FROM ? '-O1' : '-O2';
}

let versions: Promise<string> | undefined;

// The cached run-time objects are only valid for the Verilator and g++ that built them.
function toolVersions(verilator: string, compiler: string): Promise<string> {
  versions ??= Promise.all([queryTool(verilator, ['--version']), queryTool(compiler, ['--version'])]).then(
    (outputs) => outputs.map((output) => output.trim()).join('\n'),
  );
  return versions;
}
