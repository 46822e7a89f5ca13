import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatReport, runConformance, type ConformanceReport } from '../../testbenches/conformance.ts';
import { planFor } from '../../testbenches/plans/index.ts';
import type { VectorKind } from '../../testbenches/plans/plan.ts';
import { lintVerilog } from '../../testbenches/sim/lint.ts';
import { streamingPlanFor } from '../../testbenches/streaming-plans.ts';
import { conformanceSummary } from '../ippack/results.ts';
import { withPackageLock } from '../lock.ts';
import { packageDir, recordResults, writePackage } from '../package.ts';
import type { Target } from '../target.ts';
import type { VerifyResult } from '../verify.ts';
import { HlsVendorSimulator } from './hls-vendor.ts';
import { benchVectors, runVendorLoop } from './hls-vendor-stream.ts';
import { requireVendorHeaders } from './vendor-headers.ts';

export interface VendorRunOptions {
  /** The run's folder: the simulator works in `<workDir>/hls-vendor` (`hls-vendor-loop` for a streaming core). */
  workDir: string;
  vectors: VectorKind;
  seed: number;
  /** The vendor's ap_types folder; by default the hls4ml headers in .venv. */
  headers?: string;
  /**
   * Run only the first `limit` vectors of a vector unit (a prefix: each expected value depends only on
   * the vectors before it, from reset). For CI time; `bitsmith verify` runs them all.
   */
  limit?: number;
}

/**
 * The unit's HLS C++ against the vendor ap_types, on the vectors `bitsmith verify --sim hls` uses: a
 * vector unit its plan's vectors (one call per vector), a streaming core its plan's jobs (one call per
 * job, every y element and job status checked). Writes report.json and report.txt into workDir.
 */
export async function runVendorConformance(target: Target, o: VendorRunOptions): Promise<ConformanceReport> {
  const headers = o.headers ?? requireVendorHeaders();
  const streaming = streamingPlanFor(target.generator.name);
  if (streaming === undefined) {
    const plan = planFor(target.generator.name);
    const all = plan.vectors(target.params, o.vectors, o.seed);
    const cut = o.limit !== undefined && all.stimulus.length > o.limit;
    const vectors = cut
      ? {
          ...all,
          stimulus: all.stimulus.slice(0, o.limit),
          expected: all.expected.slice(0, o.limit),
          description: `the first ${o.limit} of ${all.description}`,
        }
      : all;
    return runConformance({
      ip: target.ip,
      module: target.module,
      params: target.params,
      plan,
      vectors,
      seed: o.seed,
      rtlFiles: [],
      simulators: [new HlsVendorSimulator(headers)],
      workDir: o.workDir,
    });
  }
  const design = target.generator.hls?.(target.params);
  if (design === undefined)
    throw new Error(`${target.generator.name} has no loop-level HLS design (generator.hls) to compile`);
  const bench = streaming.bench(target.params, target.module, o.seed);
  const checks = bench.y.length + bench.jobs.length;
  const r = await runVendorLoop(design, benchVectors(bench), { workDir: o.workDir, headers });
  const report: ConformanceReport = {
    ip: target.ip,
    module: target.module.name,
    vectors: checks,
    description: `${bench.jobs.length} jobs of the streaming plan, ${bench.y.length} y elements and every job's status`,
    seed: o.seed,
    results: [
      {
        ...r,
        mismatches: r.mismatches.map((m) => ({
          index: m.index,
          port: m.port,
          expected: `0x${m.expected.toString(16)}`,
          actual: `0x${m.actual.toString(16)}`,
          inputs: {},
        })),
        vectorsPerSecond: r.runSeconds > 0 ? Math.round(checks / r.runSeconds) : 0,
      },
    ],
    passed: r.failed === 0 && r.passed === checks,
  };
  mkdirSync(o.workDir, { recursive: true });
  writeFileSync(join(o.workDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(o.workDir, 'report.txt'), formatReport(report));
  return report;
}

/** `bitsmith verify <ip> --sim hls-vendor`: write the package, lint its Verilog, run the vendor C-simulation. */
export function verifyVendor(
  target: Target,
  o: { outDir: string; vectors: VectorKind; seed: number; onStep?: (step: string) => void },
): Promise<VerifyResult> {
  const dir = packageDir(o.outDir, target.ip);
  return withPackageLock(dir, async () => {
    const headers = requireVendorHeaders();
    const pkg = writePackage(target, o.outDir);
    o.onStep?.('lint');
    const lint = await lintVerilog(pkg.rtlFiles, target.module.name);
    o.onStep?.('hls-vendor');
    const conformance = await runVendorConformance(target, {
      workDir: join(pkg.dir, 'verify'),
      vectors: o.vectors,
      seed: o.seed,
      headers,
    });
    recordResults(target, pkg.dir, {
      conformance: conformanceSummary(lint, conformance),
      inProgress: undefined,
    });
    return { ip: target.ip, lint, conformance, passed: lint.clean && conformance.passed };
  });
}
