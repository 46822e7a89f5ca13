import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { emitHls, hlsFunction, type HlsFunction } from '../../generators/emit/hls.ts';
import { renderTemplate } from '../../generators/emit/templates.ts';
import { checkSimOptions, checkUnitAndVectors } from './check-unit.ts';
import { findExecutable } from './executables.ts';
import { buildCsim, type CsimBuild } from './hls-build.ts';
import { parseTestbenchOutput } from './parse-output.ts';
import { runProcess, toolError } from './run-process.ts';
import { DEFAULT_MAX_MISMATCHES } from './simulation-run.ts';
import { timeLimit } from './time-limit.ts';
import type { DataPort, SimOptions, SimResult, Simulator, UnitUnderTest, VectorSet } from './types.ts';
import { writeVectorFile } from './vector-files.ts';

/**
 * g++ C-simulation of the unit's HLS C++ (generators/emit/hls.ts), emitted from the unit's IR module:
 * a generated harness reads the RTL testbench's vector files, resets a stateful unit with one rst call,
 * calls the untimed function once per vector and prints the RTL testbench's report lines.
 * The function is untimed: options.bubbles and the valid/ready backpressure have nothing to act on,
 * `cycles` counts the calls, and no waveform is written.
 */
export class HlsSimulator implements Simulator {
  readonly name: string = 'hls';
  readonly debianPackage = 'g++';

  /** Compiles the emitted C++ and the harness into `dir` (a subclass builds against other headers). */
  protected build(dir: string, files: { fileName: string; text: string }[], top: string): Promise<CsimBuild> {
    return buildCsim(dir, files, top);
  }

  async available(): Promise<boolean> {
    return (await findExecutable('g++')) !== undefined;
  }

  async run(unit: UnitUnderTest, vectors: VectorSet, options: SimOptions): Promise<SimResult> {
    // The C++ comes from unit.module; Verilog files are not needed.
    checkUnitAndVectors({ ...unit, files: ['(emitted from unit.module)'] }, vectors);
    checkSimOptions(options);
    const module = unit.module;
    if (module === undefined) {
      throw new Error(
        `unit ${unit.top}: the hls simulator compiles C++ emitted from the unit's IR, but unit.module is not set ` +
          `(only Verilog files were given)`,
      );
    }
    const fn = hlsFunction(module);
    const dir = join(options.workDir, this.name);
    await mkdir(dir, { recursive: true });
    await rm(join(dir, 'waves.vcd'), { force: true });
    const harness = { fileName: 'csim_main.cpp', text: renderHarness(fn, unit) };
    await Promise.all([
      writeVectorFile(join(dir, 'stimulus.hex'), unit.inputs, vectors.stimulus, 'stimulus'),
      writeVectorFile(join(dir, 'expected.hex'), unit.outputs, vectors.expected, 'expected'),
    ]);
    const build = await this.build(dir, [...emitHls(module), harness], unit.top);

    const logPath = join(dir, 'sim.log');
    const max = options.maxMismatches ?? DEFAULT_MAX_MISMATCHES;
    const sim = await runProcess(build.binary, [String(max)], {
      cwd: dir,
      logPath,
      timeLimit: timeLimit({ simulate: vectors.stimulus.length }),
    });
    if (sim.exitCode !== 0) throw toolError(`the C-simulation of ${unit.top}`, sim, logPath);
    const parsed = parseTestbenchOutput(sim.output);
    if (parsed === undefined) {
      const tail = sim.output.trimEnd().split('\n').slice(-15).join('\n');
      throw new Error(
        `${this.name}: the C-simulation ended without its "N passed, N failed" line:\n${tail}\nFull log: ${logPath}`,
      );
    }
    return {
      simulator: this.name,
      passed: parsed.passed,
      failed: parsed.failed,
      mismatches: parsed.mismatches,
      cycles: unit.timing.kind === 'pipelined' ? parsed.cycles : 0,
      buildSeconds: build.seconds,
      runSeconds: sim.seconds,
      logPath,
    };
  }
}

/** The harness for one unit: its ports as fields of the vector lines, mapped onto the function's arguments. */
export function renderHarness(fn: HlsFunction, unit: UnitUnderTest): string {
  const data = fn.args.filter((a) => !(fn.resettable && a.port === 'rst'));
  const variable = (port: string) => `port_${port}`;
  const fields = (ports: DataPort[], direction: 'input' | 'output') => {
    let offset = 0;
    let slot = 0;
    return ports.map((p) => {
      const arg = data.find((a) => a.port === p.name && a.direction === direction);
      if (arg === undefined || arg.type.width !== p.width) {
        throw new Error(
          `unit ${unit.top}: ${direction} port ${p.name} (${p.width} bits) is not an argument of the HLS function ` +
            `${fn.name} (${data.map((a) => `${a.port}: ${a.cppType}`).join(', ')})`,
        );
      }
      const digits = Math.ceil(p.width / 4);
      const words = Math.ceil(p.width / 64);
      const field = { port: p.name, variable: variable(p.name), offset, digits, words, slot };
      offset += digits;
      slot += words;
      return field;
    });
  };
  const inputs = fields(unit.inputs, 'input');
  const outputs = fields(unit.outputs, 'output');
  const sum = (list: { digits: number; words: number }[], key: 'digits' | 'words') =>
    list.reduce((total, f) => total + f[key], 0);
  return renderTemplate('hls/csim-main.cpp.hbs', {
    top: fn.name,
    header: fn.header,
    resettable: fn.resettable,
    args: data.map((a) => ({ cppType: a.cppType, variable: variable(a.port) })),
    callArgs: data.map((a) => variable(a.port)).join(', '),
    inputs,
    outputs,
    inputDigits: sum(inputs, 'digits'),
    outputDigits: sum(outputs, 'digits'),
    inputWords: sum(inputs, 'words'),
    outputWords: sum(outputs, 'words'),
  });
}
