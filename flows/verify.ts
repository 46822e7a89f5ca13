import { join } from 'node:path';
import { planFor } from '../testbenches/plans/index.ts';
import type { VectorKind } from '../testbenches/plans/plan.ts';
import { runConformance, type ConformanceReport } from '../testbenches/conformance.ts';
import { runGemvConformance } from '../testbenches/gemv-conformance.ts';
import type { GemvParams } from '../generators/gemv/gemv.ts';
import { simulatorsFor, type SimulatorChoice } from '../testbenches/sim/container.ts';
import { lintVerilog, type LintResult } from '../testbenches/sim/lint.ts';
import { conformanceSummary } from './ippack/results.ts';
import { recordResults, writePackage } from './package.ts';
import type { Target } from './target.ts';

export interface VerifyOptions {
  outDir: string;
  sim: SimulatorChoice;
  vectors: VectorKind;
  seed: number;
  vcd?: boolean;
  /** Progress messages ("lint", "vectors", "icarus", ...). */
  onStep?: (step: string) => void;
}

export interface VerifyResult {
  ip: string;
  lint: LintResult;
  conformance: ConformanceReport;
  passed: boolean;
}

/** Generate an IP, lint it with verilator -Wall, and run its conformance vectors in the simulators asked for. */
export async function verifyTarget(target: Target, options: VerifyOptions): Promise<VerifyResult> {
  const pkg = writePackage(target, options.outDir);
  options.onStep?.('lint');
  const lint = await lintVerilog(pkg.rtlFiles, target.module.name);
  if (target.module.timing.kind === 'sequential') {
    // Streaming cores run jobs with stalls on every stream; the C-simulation runs the loop-level design.
    const simulators = simulatorsFor(options.sim)
      .map((s) => s.name)
      .filter((name): name is 'icarus' | 'verilator' | 'hls' =>
        ['icarus', 'verilator', 'hls'].includes(name),
      );
    options.onStep?.('jobs');
    const conformance = await runGemvConformance({
      ip: target.ip,
      module: target.module,
      params: target.params as GemvParams,
      rtlFiles: pkg.rtlFiles,
      simulators,
      workDir: join(pkg.dir, 'verify'),
      seed: options.seed,
      size: options.vectors.kind === 'default' ? 'default' : 'quick',
    });
    recordResults(target, pkg.dir, { conformance: conformanceSummary(lint, conformance) });
    return { ip: target.ip, lint, conformance, passed: lint.clean && conformance.passed };
  }
  options.onStep?.('vectors');
  const plan = planFor(target.generator.name);
  const vectors = plan.vectors(target.params, options.vectors, options.seed);
  const conformance = await runConformance({
    ip: target.ip,
    module: target.module,
    params: target.params,
    plan,
    vectors,
    seed: options.seed,
    rtlFiles: pkg.rtlFiles,
    simulators: simulatorsFor(options.sim),
    workDir: join(pkg.dir, 'verify'),
    vcd: options.vcd ?? false,
    onSimulator: (name) => options.onStep?.(name),
  });
  // The package's results.json (and README, for a full package) show the latest run.
  recordResults(target, pkg.dir, { conformance: conformanceSummary(lint, conformance) });
  return { ip: target.ip, lint, conformance, passed: lint.clean && conformance.passed };
}
