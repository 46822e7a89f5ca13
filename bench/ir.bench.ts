import { fileURLToPath } from 'node:url';
import { emitVerilog } from '../generators/emit/verilog.ts';
import { ModuleBuilder } from '../generators/hdl/module.ts';
import { estimateFmax } from '../generators/timing/estimate.ts';
import { placeStages, type StageRequest } from '../generators/timing/place-stages.ts';
import type { Signal } from '../generators/hdl/signal.ts';
import { SInt } from '../generators/hdl/types.ts';

/**
 * A wide dot product: `lanes` signed 8×8 products summed by a balanced adder tree, pipelined every few
 * levels, or with its registers placed by the delay model for `placed` (docs/timing.md#placement).
 */
function dotProduct(lanes: number, placed?: StageRequest) {
  const m = new ModuleBuilder(
    `bench_dot_${lanes}`,
    { generator: 'bench', params: { lanes } },
    placed === undefined ? {} : { placeStages: (draft) => placeStages(draft, placed) },
  );
  let level: Signal[] = [];
  for (let i = 0; i < lanes; i++) {
    const a = m.input(`a${i}`, SInt(8));
    const b = m.input(`b${i}`, SInt(8));
    level.push(a.mul(b).named(`p${i}`));
  }
  for (let depth = 0; level.length > 1; depth++) {
    const next: Signal[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(level[i + 1] === undefined ? level[i]! : level[i]!.add(level[i + 1]!));
    level = next;
    if (depth % 3 === 2 && placed === undefined) m.stage();
  }
  m.output('sum', level[0]!);
  return m;
}

/** IR nodes per second for elaborating and emitting a design of more than 100,000 nodes (best of 3 runs). */
export async function benchIr(): Promise<void> {
  const lanes = 16384;
  let best = { build: Infinity, emit: Infinity, timing: Infinity, nodes: 0, registers: 0, bytes: 0 };
  let placing = { ms: Infinity, latency: 0 };
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    const module = dotProduct(lanes).build();
    const built = performance.now();
    const files = emitVerilog(module);
    const emitted = performance.now();
    // The delay model's estimate (docs/timing.md), from the module: the flattening included.
    estimateFmax(module, 'ecp5');
    const timed = performance.now();
    // The same design built with no cuts and its registers placed for 120 MHz on ECP5: build time less
    // the plain build's is the placement's.
    const placed = dotProduct(lanes, { fmax: 120, target: 'ecp5' }).build();
    const placingMs = performance.now() - timed - (built - started);
    if (placingMs < placing.ms)
      placing = { ms: placingMs, latency: placed.timing.kind === 'pipelined' ? placed.timing.latency : 0 };
    if (emitted - started < best.build + best.emit) {
      best = {
        build: built - started,
        emit: emitted - built,
        timing: timed - emitted,
        nodes: module.nodes.length,
        registers: module.registers.length,
        bytes: files.reduce((n, f) => n + f.text.length, 0),
      };
    }
  }
  const rate = (ms: number) => Math.round(best.nodes / (ms / 1000)).toLocaleString('en-US');
  console.log(
    `ir: ${lanes}-lane dot product, ${best.nodes.toLocaleString('en-US')} IR nodes, ${best.registers} registers (best of 3)`,
  );
  console.log(`ir: elaborate ${best.build.toFixed(0)} ms (${rate(best.build)} nodes/s)`);
  console.log(
    `ir: emit      ${best.emit.toFixed(0)} ms (${rate(best.emit)} nodes/s), ${(best.bytes / 1e6).toFixed(1)} MB of Verilog`,
  );
  console.log(
    `ir: timing    ${best.timing.toFixed(0)} ms (${rate(best.timing)} nodes/s): the delay model's Fmax estimate`,
  );
  console.log(
    `ir: placement ${placing.ms.toFixed(0)} ms: the delay model placing the registers for 120 MHz on ECP5 (${placing.latency} stages), against ${best.emit.toFixed(0)} ms to emit`,
  );
  console.log(
    `ir: total     ${(best.build + best.emit).toFixed(0)} ms (${rate(best.build + best.emit)} nodes/s; target 200,000)`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchIr();
