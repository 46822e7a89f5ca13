// GEMV speed: Fmax of each catalog core's kernels on an iCE40 HX8K (the cores themselves are larger
// than the largest iCE40). Every register-to-register path of the core starts and ends in a pipeline
// register around one kernel (chunk: stage 1 → group sums; close: group sums → fp32 sums) or lies in
// the small control logic, so the slower kernel, wrapped with registered I/O, bounds the core's Fmax.
// Throughput = P·S MACs per cycle × utilization × that Fmax. `npm run bench -- gemv` runs only this.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureFmax } from '../flows/pnr/fmax.ts';
import { resolveTarget } from '../flows/target.ts';
import { emitVerilog } from '../generators/emit/verilog.ts';
import { gemvParts, type GemvParams } from '../generators/gemv/gemv.ts';
import type { Module } from '../generators/hdl/ir.ts';
import { CATALOG } from '../ip/catalog.ts';

async function kernelFmax(module: Module, dir: string): Promise<string> {
  mkdirSync(join(dir, 'rtl'), { recursive: true });
  const files = emitVerilog(module).map((f) => {
    const path = join(dir, 'rtl', f.fileName);
    writeFileSync(path, f.text);
    return path;
  });
  const outcome = await measureFmax({
    module,
    rtlFiles: files,
    target: 'ice40',
    engine: 'native',
    workDir: dir,
  });
  return 'skipped' in outcome ? outcome.skipped : `${outcome.fmax.mhz.toFixed(1)} MHz`;
}

export async function benchGemv(): Promise<void> {
  const root = join(tmpdir(), `bitsmith-bench-gemv-${process.pid}`);
  for (const entry of CATALOG.filter((e) => e.generator === 'gemv')) {
    const target = resolveTarget(entry.name);
    const p = target.params as GemvParams;
    const { chunk, close } = gemvParts(p);
    const started = Date.now();
    const chunkFmax = await kernelFmax(chunk, join(root, entry.name, 'chunk'));
    const closeFmax = await kernelFmax(close, join(root, entry.name, 'close'));
    console.log(
      `${entry.name.padEnd(24)} P×S = ${String(p.rows * p.lanes).padStart(3)} MACs/cycle; ` +
        `chunk kernel ${chunkFmax}; close kernel ${closeFmax} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
  }
}
