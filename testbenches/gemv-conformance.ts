import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GemvParams } from '../generators/gemv/gemv.ts';
import type { Module } from '../generators/hdl/ir.ts';
import { formatReport, type ConformanceReport, type SimulatorReport } from './conformance.ts';
import { gemvBench, gemvCases, gemvUtilization } from './plans/gemv.ts';
import { runStreamBench } from './sim/stream-run.ts';

export interface GemvConformanceRequest {
  ip: string;
  module: Module;
  params: GemvParams;
  rtlFiles: string[];
  simulators: ('icarus' | 'verilator')[];
  workDir: string;
  seed: number;
  size?: 'default' | 'quick';
  /** Percentage of cycles each stream stalls on (valid low, y_tready low); default 20. */
  stallPercent?: number;
}

export interface GemvConformanceReport extends ConformanceReport {
  /** Utilization of the stall-free jobs (K ≥ 1024), per simulator in order. */
  utilization: number[][];
  jobCycles: number[][];
}

/**
 * The GEMV plan's jobs in each simulator: every y element and every job's done/error/status is a
 * check; a stream left with beats untaken, or a hang, is a failure.
 */
export async function runGemvConformance(request: GemvConformanceRequest): Promise<GemvConformanceReport> {
  const cases = gemvCases(request.params, request.seed, request.size ?? 'default');
  const bench = {
    top: request.module.name,
    files: request.rtlFiles,
    ...gemvBench(request.params, cases),
    stallPercent: request.stallPercent ?? 20,
    seed: request.seed,
  };
  const checks = bench.y.length + bench.jobs.length;
  const results: SimulatorReport[] = [];
  const utilization: number[][] = [];
  const jobCycles: number[][] = [];
  for (const simulator of request.simulators) {
    const r = await runStreamBench(simulator, bench, request.workDir);
    results.push({
      simulator,
      passed: r.passed,
      failed: r.failed,
      mismatches: r.problems.map((line, index) => ({
        index,
        port: 'stream',
        expected: '',
        actual: line,
        inputs: {},
      })),
      cycles: r.jobCycles.reduce((a, b) => a + b, 0),
      buildSeconds: r.buildSeconds,
      runSeconds: r.runSeconds,
      logPath: r.logPath,
      vectorsPerSecond: r.runSeconds > 0 ? Math.round(checks / r.runSeconds) : 0,
    });
    utilization.push(gemvUtilization(request.params, cases, r.jobCycles));
    jobCycles.push(r.jobCycles);
  }
  const macs = cases.reduce((sum, c) => sum + (c.fault === undefined ? c.job.k * c.job.n : 0), 0);
  const report: GemvConformanceReport = {
    ip: request.ip,
    module: request.module.name,
    vectors: checks,
    description:
      `${cases.length} jobs (${macs.toLocaleString('en-US')} MACs; K ${Math.min(...cases.map((c) => c.job.k))}..` +
      `${Math.max(...cases.map((c) => c.job.k))}, N up to ${Math.max(...cases.map((c) => c.job.n))}; ` +
      `rejected sizes, misplaced and missing tlast on every stream), ${bench.y.length} y elements, ` +
      `${request.stallPercent ?? 20}% stalls on every stream`,
    seed: request.seed,
    results,
    passed: results.every((r) => r.failed === 0 && r.passed === checks),
    utilization,
    jobCycles,
  };
  mkdirSync(request.workDir, { recursive: true });
  writeFileSync(join(request.workDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(request.workDir, 'report.txt'), formatReport(report));
  return report;
}
