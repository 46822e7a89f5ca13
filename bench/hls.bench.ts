// C-simulation throughput beside Icarus and Verilator, on IR units (the C-sim needs the IR).
// Run: npx tsx bench/hls.bench.ts
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { emitVerilog } from '../generators/emit/verilog.ts';
import { resolveTarget } from '../flows/target.ts';
import { alignToUnit } from '../testbenches/align-vectors.ts';
import { planFor } from '../testbenches/plans/index.ts';
import { HlsSimulator } from '../testbenches/sim/hls.ts';
import { IcarusSimulator } from '../testbenches/sim/icarus.ts';
import type { Simulator, VectorSet } from '../testbenches/sim/types.ts';
import { VerilatorSimulator } from '../testbenches/sim/verilator.ts';
import { unitUnderTest } from '../testbenches/unit.ts';

const SIMULATORS: { simulator: Simulator; vectors: number }[] = [
  { simulator: new HlsSimulator(), vectors: 1_000_000 },
  { simulator: new VerilatorSimulator(), vectors: 1_000_000 },
  { simulator: new IcarusSimulator(), vectors: 100_000 },
];

// A multiplier, a MAC with valid/ready and saturation, and a MAC whose 256-bit accumulator needs
// multi-word arithmetic in the C-simulation.
const UNITS: { label: string; ip: string; overrides?: Record<string, unknown> }[] = [
  { label: 'mul_int8_s (l1)', ip: 'mul_int8_s' },
  { label: 'mac_int8_s_acc20_sat_rdy (l3)', ip: 'mac_int8_s_acc20_sat_rdy' },
  {
    label: 'int_mac s64×s64 acc256 (l2)',
    ip: 'int_mac',
    overrides: { aWidth: 64, bWidth: 64, accWidth: 256, overflow: 'saturate', latency: 2 },
  },
];

export async function benchHls(): Promise<void> {
  const workRoot = await mkdtemp(join(tmpdir(), 'bitsmith-bench-hls-'));
  try {
    for (const u of UNITS) {
      const target = resolveTarget(u.ip, u.overrides ?? {});
      const dir = join(workRoot, target.module.name);
      await mkdir(dir, { recursive: true });
      const files: string[] = [];
      for (const f of emitVerilog(target.module)) {
        await writeFile(join(dir, f.fileName), f.text);
        files.push(join(dir, f.fileName));
      }
      const plan = planFor(target.generator.name);
      const largest = Math.max(...SIMULATORS.map((s) => s.vectors));
      const unit = unitUnderTest(target.module, files);
      const all = alignToUnit(plan.vectors(target.params, { kind: 'random', count: largest }, 1), unit);
      for (const { simulator, vectors } of SIMULATORS) {
        if (!(await simulator.available())) {
          console.log(`${simulator.name.padEnd(9)} ${u.label}: not installed (${simulator.debianPackage})`);
          continue;
        }
        const set: VectorSet = {
          stimulus: all.stimulus.slice(0, vectors),
          expected: all.expected.slice(0, vectors),
        };
        const started = performance.now();
        const result = await simulator.run(unit, set, {
          workDir: join(dir, simulator.name),
          seed: 1,
          bubbles: false,
          vcd: false,
        });
        const wall = (performance.now() - started) / 1000;
        if (result.failed !== 0 || result.passed !== vectors)
          throw new Error(`${simulator.name} ${u.label}: ${result.failed} failures in the benchmark`);
        console.log(
          `${simulator.name.padEnd(9)} ${u.label.padEnd(30)} ${vectors.toLocaleString('en-US').padStart(9)} vectors: ` +
            `${Math.round(vectors / result.runSeconds)
              .toLocaleString('en-US')
              .padStart(11)} vectors/s ` +
            `(build ${result.buildSeconds.toFixed(2)} s, run ${result.runSeconds.toFixed(2)} s, ` +
            `wall with vector files ${wall.toFixed(2)} s)`,
        );
      }
    }
  } finally {
    await rm(workRoot, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchHls();
