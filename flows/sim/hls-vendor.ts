import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { emitHls, hlsFunction } from '../../generators/emit/hls.ts';
import { checkSimOptions, checkUnitAndVectors } from '../../testbenches/sim/check-unit.ts';
import { findExecutable } from '../../testbenches/sim/executables.ts';
import { renderHarness } from '../../testbenches/sim/hls.ts';
import { parseTestbenchOutput } from '../../testbenches/sim/parse-output.ts';
import { runProcess, toolError } from '../../testbenches/sim/run-process.ts';
import { DEFAULT_MAX_MISMATCHES } from '../../testbenches/sim/simulation-run.ts';
import { timeLimit } from '../../testbenches/sim/time-limit.ts';
import type {
  SimOptions,
  SimResult,
  Simulator,
  UnitUnderTest,
  VectorSet,
} from '../../testbenches/sim/types.ts';
import { writeVectorFile } from '../../testbenches/sim/vector-files.ts';
import { buildVendorCsim } from './hls-vendor-build.ts';
import { findVendorHeaders, requireVendorHeaders } from './vendor-headers.ts';

/**
 * The hls C-simulation (testbenches/sim/hls.ts) compiled against the vendor's ap_types instead of
 * bitsmith's portable bitsmith_ap.h: the same emitted C++, harness, vector files and report lines,
 * built with -DBITSMITH_VENDOR_AP_INT and the vendor folder as a system include folder. It checks that
 * the C++ an HLS tool compiles computes what the golden model says, with the tool's own integer types.
 */
export class HlsVendorSimulator implements Simulator {
  readonly name = 'hls-vendor';
  readonly debianPackage = 'g++';

  constructor(private readonly headers?: string) {}

  async available(): Promise<boolean> {
    return (await findExecutable('g++')) !== undefined && (this.headers ?? findVendorHeaders()) !== undefined;
  }

  async run(unit: UnitUnderTest, vectors: VectorSet, options: SimOptions): Promise<SimResult> {
    checkUnitAndVectors({ ...unit, files: ['(emitted from unit.module)'] }, vectors);
    checkSimOptions(options);
    const module = unit.module;
    if (module === undefined)
      throw new Error(
        `unit ${unit.top}: the hls-vendor simulator compiles C++ emitted from the unit's IR, but unit.module ` +
          `is not set (only Verilog files were given)`,
      );
    const headers = this.headers ?? requireVendorHeaders();
    const dir = join(options.workDir, this.name);
    await mkdir(dir, { recursive: true });
    await rm(join(dir, 'waves.vcd'), { force: true });
    const harness = { fileName: 'csim_main.cpp', text: renderHarness(hlsFunction(module), unit) };
    await Promise.all([
      writeVectorFile(join(dir, 'stimulus.hex'), unit.inputs, vectors.stimulus, 'stimulus'),
      writeVectorFile(join(dir, 'expected.hex'), unit.outputs, vectors.expected, 'expected'),
    ]);
    const build = await buildVendorCsim(dir, [...emitHls(module), harness], unit.top, headers);
    const logPath = join(dir, 'sim.log');
    const sim = await runProcess(build.binary, [String(options.maxMismatches ?? DEFAULT_MAX_MISMATCHES)], {
      cwd: dir,
      logPath,
      timeLimit: timeLimit({ simulate: vectors.stimulus.length }),
    });
    if (sim.exitCode !== 0) throw toolError(`the vendor-header C-simulation of ${unit.top}`, sim, logPath);
    const parsed = parseTestbenchOutput(sim.output);
    if (parsed === undefined) {
      const tail = sim.output.trimEnd().split('\n').slice(-15).join('\n');
      throw new Error(
        `hls-vendor: the C-simulation ended without its "N passed, N failed" line:\n${tail}\nFull log: ${logPath}`,
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
