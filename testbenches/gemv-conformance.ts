import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gemv, type GemvParams } from '../generators/gemv/gemv.ts';
import { gemvCoreOf } from '../generators/mpgemm/gemv-core.ts';
import { formatReport, type SimulatorReport } from './conformance.ts';
import { gemvBench, gemvCases, gemvUtilization } from './plans/gemv.ts';
import { runCocotbStreamBench } from './sim/cocotb-stream-run.ts';
import { runHlsLoop } from './sim/hls-stream.ts';
import { runStreamBench, type Beat, type StreamBench, type StreamResult } from './sim/stream-run.ts';
import type { StreamingPlan, StreamingReport, StreamingRunRequest } from './streaming-plan.ts';

export interface GemvConformanceRequest extends StreamingRunRequest {
  params: GemvParams;
}

export interface GemvConformanceReport extends StreamingReport {
  /** Utilization of the stall-free jobs (K ≥ 1024), per simulator in order. */
  utilization: number[][];
  jobCycles: number[][];
}

/** GEMV's job-level plan: the jobs of testbenches/plans/gemv.ts, with 20% stalls on every stream. */
export const gemvStreamingPlan: StreamingPlan = {
  generator: 'gemv',
  run: (request) => runGemvConformance({ ...request, params: request.params as GemvParams }),
  bench: (params, module, seed) => {
    const p = params as GemvParams;
    return { top: module.name, files: [], ...gemvBench(p, gemvCases(p, seed)), stallPercent: 20, seed };
  },
};

/** A GEMV built on gemv's core (lut_gemv, bitserial_gemv): the same jobs on the gemv core it is. */
function corePlan(generator: string): StreamingPlan {
  const core = (params: object) => gemvCoreOf(generator, params as Record<string, unknown>)!;
  return {
    generator,
    run: (request) => runGemvConformance({ ...request, params: core(request.params) }),
    bench: (params, module, seed) => gemvStreamingPlan.bench(core(params), module, seed),
  };
}
export const lutGemvStreamingPlan = corePlan('lut_gemv');
export const bitserialGemvStreamingPlan = corePlan('bitserial_gemv');

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
    const r =
      simulator === 'hls'
        ? await runGemvCsim(request.params, bench, request.workDir)
        : simulator === 'cocotb-icarus' || simulator === 'cocotb-verilator'
          ? await runCocotbStreamBench(simulator, request.ip, bench, request.workDir)
          : await runStreamBench(simulator, bench, request.workDir);
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
    if (simulator !== 'hls') {
      utilization.push(gemvUtilization(request.params, cases, r.jobCycles));
      jobCycles.push(r.jobCycles);
    }
  }
  const macs = cases.reduce((sum, c) => sum + (c.fault === undefined ? c.job.k * c.job.n : 0), 0);
  const accepted = cases.filter((c) => c.fault === undefined || 'stream' in c.fault).map((c) => c.job);
  const report: GemvConformanceReport = {
    ip: request.ip,
    module: request.module.name,
    vectors: checks,
    description:
      `${cases.length} jobs (${macs.toLocaleString('en-US')} MACs; K ${Math.min(...accepted.map((j) => j.k))}..` +
      `${Math.max(...accepted.map((j) => j.k))}, N ${Math.min(...accepted.map((j) => j.n))}..${Math.max(...accepted.map((j) => j.n))}; ` +
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

/**
 * C-simulation of the loop-level HLS design on the same jobs: one call per job, K and N from the
 * `job` stream; every y element and every job's status is compared. It has no clock: no cycles.
 */
async function runGemvCsim(params: GemvParams, bench: StreamBench, workDir: string): Promise<StreamResult> {
  const packed = (beats: Beat[], width: number) =>
    beats.map((b) => (b.last ? 1n << BigInt(width) : 0n) | b.data);
  const [x, w, s] = bench.streams;
  const result = await runHlsLoop(
    gemv.hls!(params),
    {
      inputs: {
        job: bench.jobs.map(
          (j) =>
            ((j.input ?? 0n) << BigInt(bench.kBits + bench.nBits)) |
            (BigInt(j.n) << BigInt(bench.kBits)) |
            BigInt(j.k),
        ),
        x: packed(x!.beats, x!.width),
        w: packed(w!.beats, w!.width),
        s: packed(s!.beats, s!.width),
      },
      expected: { y: packed(bench.y, bench.yWidth), status: bench.jobs.map((j) => BigInt(j.status)) },
      calls: bench.jobs.length,
    },
    { workDir },
  );
  return {
    simulator: 'hls',
    passed: result.passed,
    failed: result.failed,
    problems: result.mismatches.map(
      (m) =>
        `MISMATCH vector=${m.index} port=${m.port} expected=${m.expected.toString(16)} actual=${m.actual.toString(16)}`,
    ),
    jobCycles: [],
    firstCycles: {},
    buildSeconds: result.buildSeconds,
    runSeconds: result.runSeconds,
    logPath: result.logPath,
  };
}
