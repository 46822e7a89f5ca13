import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findExecutable, requireExecutable } from './executables.ts';
import { runProcess, toolError } from './run-process.ts';
import { collectResult, prepareRun } from './simulation-run.ts';
import { timeLimit } from './time-limit.ts';
import type { SimOptions, SimResult, Simulator, UnitUnderTest, VectorSet } from './types.ts';

/** Icarus Verilog: iverilog -g2005 compiles bitsmith_tb_icarus (clock) + bitsmith_tb + the design, vvp runs it. */
export class IcarusSimulator implements Simulator {
  readonly name = 'icarus';
  readonly debianPackage = 'iverilog';

  async available(): Promise<boolean> {
    return (await findExecutable('iverilog')) !== undefined && (await findExecutable('vvp')) !== undefined;
  }

  async run(unit: UnitUnderTest, vectors: VectorSet, options: SimOptions): Promise<SimResult> {
    const iverilog = await requireExecutable('iverilog', this.debianPackage);
    const vvp = await requireExecutable('vvp', this.debianPackage);
    const prepared = await prepareRun(this.name, unit, vectors, options);
    const { dir } = prepared;
    await writeFile(join(dir, 'tb_icarus.v'), prepared.files.icarusTop);

    const buildLog = join(dir, 'build.log');
    const sources = ['tb_icarus.v', 'tb.v', ...unit.files];
    const build = await runProcess(
      iverilog,
      ['-g2005', '-o', 'sim.vvp', '-s', 'bitsmith_tb_icarus', ...sources],
      {
        cwd: dir,
        logPath: buildLog,
      },
    );
    if (build.exitCode !== 0)
      throw toolError(`iverilog (compiling ${unit.top} and its testbench)`, build, buildLog);

    const simLog = join(dir, 'sim.log');
    // -n: a $stop ends the run instead of waiting for interactive input.
    const sim = await runProcess(vvp, ['-n', 'sim.vvp'], {
      cwd: dir,
      logPath: simLog,
      timeLimit: timeLimit({ simulate: vectors.stimulus.length }),
    });
    if (sim.exitCode !== 0) throw toolError(`vvp (simulating ${unit.top})`, sim, simLog);
    return collectResult(this.name, prepared, sim.output, simLog, {
      buildSeconds: build.seconds,
      runSeconds: sim.seconds,
    });
  }
}
