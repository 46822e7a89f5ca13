import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { planFor } from '../testbenches/plans/index.ts';
import type { VectorKind } from '../testbenches/plans/plan.ts';
import { runConformance, type ConformanceReport } from '../testbenches/conformance.ts';
import { streamingPlanFor } from '../testbenches/streaming-plans.ts';
import { simulatorsFor, type SimulatorChoice } from '../testbenches/sim/container.ts';
import { COCOTB_SIMULATORS, CocotbSimulator, type CocotbSimulatorName } from '../testbenches/sim/cocotb.ts';
import { requireVerilatorForCocotbStreams } from '../testbenches/sim/cocotb-verilator-version.ts';
import type { Simulator } from '../testbenches/sim/types.ts';
import { lintVerilog, type LintResult } from '../testbenches/sim/lint.ts';
import { conformanceSummary } from './ippack/results.ts';
import { withPackageLock } from './lock.ts';
import { packageDir, recordResults, writePackage } from './package.ts';
import type { Target } from './target.ts';

export interface VerifyOptions {
  outDir: string;
  sim: VerifySimChoice;
  vectors: VectorKind;
  seed: number;
  vcd?: boolean;
  /** Progress messages ("lint", "vectors", "icarus", ...). */
  onStep?: (step: string) => void;
}

/** The Debian simulators (or all of them), or a package's cocotb bench in Icarus or Verilator. */
export type VerifySimChoice = SimulatorChoice | CocotbSimulatorName;

export function isCocotbChoice(choice: string): choice is CocotbSimulatorName {
  return (COCOTB_SIMULATORS as readonly string[]).includes(choice);
}

function verifySimulators(
  choice: VerifySimChoice,
  formatOf: (port: string) => string | undefined,
): Simulator[] {
  if (isCocotbChoice(choice))
    return [new CocotbSimulator(choice === 'cocotb-icarus' ? 'icarus' : 'verilator', formatOf)];
  return simulatorsFor(choice);
}

export interface VerifyResult {
  ip: string;
  lint: LintResult;
  conformance: ConformanceReport;
  passed: boolean;
}

/** Generate an IP, lint it with verilator -Wall, and run its conformance vectors in the simulators asked for. */
export function verifyTarget(target: Target, options: VerifyOptions): Promise<VerifyResult> {
  return withPackageLock(packageDir(options.outDir, target.ip), () => verifyLocked(target, options));
}

async function verifyLocked(target: Target, options: VerifyOptions): Promise<VerifyResult> {
  const streaming = streamingPlanFor(target.generator.name);
  // Before anything is written: an old Verilator would hang a stream bench, not fail it.
  if (streaming !== undefined && options.sim === 'cocotb-verilator')
    await requireVerilatorForCocotbStreams(target.ip);
  const pkg = writePackage(target, options.outDir);
  markRunning(target, pkg.dir);
  options.onStep?.('lint');
  const lint = await lintVerilog(pkg.rtlFiles, target.module.name);
  if (streaming !== undefined) {
    // Streaming cores run jobs with stalls on every stream (in tb.v, or in the cocotb bench with
    // cocotbext-axi); the C-simulation runs the loop-level design.
    const simulators = isCocotbChoice(options.sim)
      ? [options.sim]
      : simulatorsFor(options.sim)
          .map((s) => s.name)
          .filter((name): name is 'icarus' | 'verilator' | 'hls' =>
            ['icarus', 'verilator', 'hls'].includes(name),
          );
    options.onStep?.('jobs');
    const conformance = await streaming.run({
      ip: target.ip,
      module: target.module,
      params: target.params,
      rtlFiles: pkg.rtlFiles,
      simulators,
      workDir: join(pkg.dir, 'verify'),
      seed: options.seed,
      size: options.vectors.kind === 'default' ? 'default' : 'quick',
    });
    recordResults(target, pkg.dir, {
      conformance: conformanceSummary(lint, conformance),
      inProgress: undefined,
    });
    return { ip: target.ip, lint, conformance, passed: lint.clean && conformance.passed };
  }
  if (target.module.timing.kind === 'sequential') {
    throw new Error(
      `${target.generator.name} is a streaming generator without a job-level plan (pair it with one in testbenches/registry.ts)`,
    );
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
    simulators: verifySimulators(options.sim, (port) => plan.portFormat?.(port, target.params)),
    workDir: join(pkg.dir, 'verify'),
    vcd: options.vcd ?? false,
    onSimulator: (name) => options.onStep?.(name),
  });
  // The package's results.json (and README, for a full package) show the latest run.
  recordResults(target, pkg.dir, {
    conformance: conformanceSummary(lint, conformance),
    inProgress: undefined,
  });
  return { ip: target.ip, lint, conformance, passed: lint.clean && conformance.passed };
}

// Until this run writes its results (last), neither results.json nor verify/report.* describe an
// earlier run: a run that is killed leaves no PASS over a folder it has half rewritten.
function markRunning(target: Target, pkgDir: string): void {
  for (const report of ['report.json', 'report.txt']) rmSync(join(pkgDir, 'verify', report), { force: true });
  recordResults(target, pkgDir, { conformance: undefined, inProgress: `verify, process ${process.pid}` });
}
