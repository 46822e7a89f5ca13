import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkSimOptions, checkUnitAndVectors } from './check-unit.ts';
import { parseTestbenchOutput } from './parse-output.ts';
import { renderTestbench, type TestbenchFiles } from './testbench.ts';
import type { SimOptions, SimResult, UnitUnderTest, VectorSet } from './types.ts';
import { writeVectorFile } from './vector-files.ts';

export const DEFAULT_MAX_MISMATCHES = 10;

/** The files every simulator run shares: its folder, the testbench and the vector files in it. */
export interface PreparedRun {
  /** `<workDir>/<simulator>`: each simulator gets its own folder, so runs can share a workDir. */
  dir: string;
  files: TestbenchFiles;
  clocked: boolean;
  vcdPath?: string;
}

/** Checks the inputs, then writes tb.v, stimulus.hex and expected.hex into the simulator's folder. */
export async function prepareRun(
  simulator: string,
  unit: UnitUnderTest,
  vectors: VectorSet,
  options: SimOptions,
): Promise<PreparedRun> {
  checkUnitAndVectors(unit, vectors);
  checkSimOptions(options);
  const dir = join(options.workDir, simulator);
  await mkdir(dir, { recursive: true });
  const vcdPath = join(dir, 'waves.vcd');
  await rm(vcdPath, { force: true });
  const files = renderTestbench(unit, {
    vectorCount: vectors.stimulus.length,
    seed: options.seed,
    bubbles: options.bubbles,
    vcd: options.vcd,
    maxMismatches: options.maxMismatches ?? DEFAULT_MAX_MISMATCHES,
  });
  await Promise.all([
    writeVectorFile(join(dir, 'stimulus.hex'), unit.inputs, vectors.stimulus, 'stimulus'),
    writeVectorFile(join(dir, 'expected.hex'), unit.outputs, vectors.expected, 'expected'),
    writeFile(join(dir, 'tb.v'), files.testbench),
  ]);
  return { dir, files, clocked: unit.timing.kind === 'pipelined', ...(options.vcd ? { vcdPath } : {}) };
}

export interface RunTimes {
  buildSeconds: number;
  runSeconds: number;
}

/** Turns the testbench output in logPath into a SimResult; a run without its summary line is an Error. */
export async function collectResult(
  simulator: string,
  prepared: PreparedRun,
  output: string,
  logPath: string,
  times: RunTimes,
): Promise<SimResult> {
  const parsed = parseTestbenchOutput(output);
  if (!parsed) {
    const tail = output.trimEnd().split('\n').slice(-15).join('\n');
    throw new Error(
      `${simulator}: the simulation ended without its "N passed, N failed" line:\n${tail}\nFull log: ${logPath}`,
    );
  }
  return {
    simulator,
    passed: parsed.passed,
    failed: parsed.failed,
    mismatches: parsed.mismatches,
    cycles: prepared.clocked ? parsed.cycles : 0,
    buildSeconds: times.buildSeconds,
    runSeconds: times.runSeconds,
    logPath,
    ...(prepared.vcdPath && (await exists(prepared.vcdPath)) ? { vcdPath: prepared.vcdPath } : {}),
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
