// GEMV speed: Fmax of each catalog core's kernels on an iCE40 HX8K and on the ECP5-85 at speed 6 and 8
// (whole cores take over half an hour of place and route). Every register-to-register path of the core
// starts and ends in a pipeline register around one kernel (chunk: s1 → group sums; scale: group sums
// → product registers; sum: the row sum's loop; convert: a final sum → the output buffer), each
// pipelined to its own latency, or lies in the small control logic, so the slowest kernel, wrapped
// with registered I/O, bounds the core's Fmax on each device. Throughput = P·S MACs per cycle ×
// utilization × that Fmax, the utilization measured as the conformance run measures it
// (gemvUtilization): one stall-free job in Icarus. `npm run bench -- gemv` runs only this; with
// BITSMITH_GEMV_WHOLE=1 it also places and routes each whole core on the ECP5-85 at speed 6 (half an
// hour or more per core on 2 cores).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureFmax, type FmaxTarget } from '../flows/pnr/fmax.ts';
import { resolveTarget } from '../flows/target.ts';
import { gemvParts, type GemvParams } from '../generators/gemv/gemv.ts';
import type { Module } from '../generators/hdl/ir.ts';
import { CATALOG } from '../ip/catalog.ts';
import { kernelFmax, utilization, writeRtl } from './gemv-measure.ts';

const DEVICES: FmaxTarget[] = ['ice40', 'ecp5', 'ecp5-8'];

export async function benchGemv(): Promise<void> {
  const root = join(tmpdir(), `bitsmith-bench-gemv-${process.pid}`);
  for (const entry of CATALOG.filter((e) => e.generator === 'gemv')) {
    const target = resolveTarget(entry.name);
    const p = target.params as GemvParams;
    const parts = gemvParts(p);
    const kernels: [string, Module | undefined][] = [
      ['chunk', parts.chunk],
      ['scale', parts.scale],
      ['sum', parts.sum],
      ['convert', parts.convert],
    ];
    const started = Date.now();
    const macsPerCycle = p.rows * p.lanes;
    const use = await utilization(p, join(root, entry.name, 'core'));
    console.log(
      `${entry.name}: P×S = ${macsPerCycle} MACs/cycle, utilization ${(use.value * 100).toFixed(1)}% ` +
        `(one stall-free job, K = ${use.k}, N = ${use.n})`,
    );
    for (const device of DEVICES) {
      const figures: string[] = [];
      let slowest: { name: string; mhz: number } | undefined;
      const unmeasured: string[] = [];
      for (const [name, module] of kernels) {
        if (module === undefined) continue;
        const mhz = await kernelFmax(module, device, join(root, entry.name, name));
        if (typeof mhz === 'string') {
          figures.push(`${name} —`);
          unmeasured.push(`${name}: ${mhz}`);
          continue;
        }
        figures.push(`${name} ${mhz.toFixed(1)}`);
        if (slowest === undefined || mhz < slowest.mhz) slowest = { name, mhz };
      }
      const throughput =
        slowest === undefined
          ? 'no kernel measured'
          : `slowest ${slowest.name} ${slowest.mhz.toFixed(1)} MHz → ` +
            `${((macsPerCycle * use.value * slowest.mhz) / 1000).toFixed(2)} GMAC/s`;
      console.log(`  ${device.padEnd(7)} MHz: ${figures.join('; ')}; ${throughput}`);
      for (const line of unmeasured) console.log(`          (${line})`);
    }
    if (process.env.BITSMITH_GEMV_WHOLE === '1') {
      const dir = join(root, entry.name, 'whole');
      const outcome = await measureFmax({
        module: parts.top,
        rtlFiles: writeRtl(parts.top, dir),
        target: 'ecp5',
        engine: 'native',
        workDir: join(dir, 'ecp5'),
      });
      console.log(
        'skipped' in outcome
          ? `  whole core on ecp5: ${outcome.skipped}`
          : `  whole core on ecp5: ${outcome.fmax.mhz.toFixed(1)} MHz, ${outcome.fmax.logicCells} logic cells → ` +
              `${((macsPerCycle * use.value * outcome.fmax.mhz) / 1000).toFixed(2)} GMAC/s`,
      );
    }
    console.log(`  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
}
