// GEMV speed: Fmax of each catalog core's kernels on an iCE40 HX8K (the cores themselves are larger
// than the largest iCE40). Every register-to-register path of the core starts and ends in a pipeline
// register around one kernel (chunk: s1 → group sums; scale: group sums → c1; add and round: the row
// sum's loop, one cycle each when it spans two, else together; convert: output buffer → y) or lies in
// the small control logic, so the slowest kernel, wrapped with registered I/O, bounds the core's Fmax.
// Throughput = P·S MACs per cycle × utilization × that Fmax. `npm run bench -- gemv` runs only this.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureFmax } from '../flows/pnr/fmax.ts';
import { resolveTarget } from '../flows/target.ts';
import { emitVerilog } from '../generators/emit/verilog.ts';
import { closeUnits, gemvParts, type GemvParams } from '../generators/gemv/gemv.ts';
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
    const parts = gemvParts(p);
    // With one close step per group (R = 1) the addition and the rounding share the loop's one cycle.
    const loopSplit = Math.ceil(p.rows / closeUnits(p)) >= 2;
    const kernels: [string, Module | undefined][] = [
      ['chunk', parts.chunk],
      ['scale', parts.scale],
      ...(loopSplit
        ? ([
            ['add', parts.add],
            ['round', parts.round],
          ] as [string, Module][])
        : ([['add+round', parts.loop]] as [string, Module][])),
      ['convert', parts.convert],
    ];
    const started = Date.now();
    const figures: string[] = [];
    for (const [name, module] of kernels) {
      if (module === undefined) continue;
      figures.push(`${name} ${await kernelFmax(module, join(root, entry.name, name))}`);
    }
    console.log(
      `${entry.name.padEnd(24)} P×S = ${String(p.rows * p.lanes).padStart(3)} MACs/cycle; ` +
        `${figures.join('; ')} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
  }
}
