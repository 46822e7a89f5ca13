import type { Module } from '../generators/hdl/ir.ts';
import type { ConformanceReport } from './conformance.ts';
import type { CocotbSimulatorName } from './sim/cocotb.ts';
import type { StreamBench } from './sim/stream-run.ts';

/** What a job-level run needs: the unit, its RTL, where to run and how many jobs. */
export interface StreamingRunRequest {
  ip: string;
  module: Module;
  params: object;
  rtlFiles: string[];
  simulators: ('icarus' | 'verilator' | 'hls' | CocotbSimulatorName)[];
  workDir: string;
  seed: number;
  size?: 'default' | 'quick';
  /** Percentage of cycles each stream stalls on; the plan's default when absent. */
  stallPercent?: number;
}

/** A job-level report; `utilization` holds the stall-free jobs' utilization per RTL simulator, if measured. */
export interface StreamingReport extends ConformanceReport {
  utilization: number[][];
}

/**
 * How a sequential (streaming) generator's units are checked: jobs of stream beats with expected
 * outputs from the golden model, run with stalls on every stream. Any sequential generator provides
 * one; `bitsmith verify`, the packaged testbench and the catalog tests use it without knowing the
 * generator.
 */
export interface StreamingPlan {
  readonly generator: string;
  run(request: StreamingRunRequest): Promise<StreamingReport>;
  /** The bench a package ships: jobs, stream beats and expected outputs (files: none, the package adds its RTL). */
  bench(params: Record<string, unknown>, module: Module, seed: number): StreamBench;
}
