// What the GEMV benchmarks measure of a core (gemv, or a core built on it such as lut_gemv): its
// utilization in one stall-free job in Icarus, and a kernel's Fmax wrapped with registered I/O.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureFmax, type FmaxTarget } from '../flows/pnr/fmax.ts';
import { emitVerilog } from '../generators/emit/verilog.ts';
import { buildGemv, type GemvParams } from '../generators/gemv/gemv.ts';
import type { Module } from '../generators/hdl/ir.ts';
import { gemvBench, gemvUtilization, randomJob } from '../testbenches/plans/gemv.ts';
import { runStreamBench } from '../testbenches/sim/stream-run.ts';
import { Random } from '../testbenches/vectors/random.ts';

export function writeRtl(module: Module, dir: string): string[] {
  mkdirSync(join(dir, 'rtl'), { recursive: true });
  return emitVerilog(module).map((f) => {
    const path = join(dir, 'rtl', f.fileName);
    writeFileSync(path, f.text);
    return path;
  });
}

/** The kernel's Fmax in MHz, or why it was not measured. */
export async function kernelFmax(module: Module, target: FmaxTarget, dir: string): Promise<number | string> {
  const outcome = await measureFmax({
    module,
    rtlFiles: writeRtl(module, dir),
    target,
    engine: 'native',
    workDir: join(dir, target),
  });
  return 'skipped' in outcome ? outcome.skipped : outcome.fmax.mhz;
}

/**
 * Utilization of one stall-free job of K = min(maxK, 1024) and N = min(maxN, 64) in Icarus: the same
 * job for every core, whatever its row count (an interleaved core of one row needs more rows than 16
 * to overlap its sets). `cycles` is that job's length.
 */
export async function utilization(
  p: GemvParams,
  dir: string,
): Promise<{ value: number; k: number; n: number; cycles: number }> {
  const module = buildGemv(p);
  const files = writeRtl(module, dir);
  const k = Math.min(p.maxK, 1024);
  const n = Math.min(p.maxN, 64);
  const cases = [{ job: randomJob(p, new Random(1), { k, n }), calm: true }];
  const run = await runStreamBench(
    'icarus',
    { top: module.name, files, ...gemvBench(p, cases), stallPercent: 0, seed: 1 },
    join(dir, 'sim'),
  );
  if (run.problems.length > 0) throw new Error(`${module.name}: ${run.problems.join('; ')}`);
  return { value: gemvUtilization(p, cases, run.jobCycles)[0]!, k, n, cycles: run.jobCycles[0]! };
}
