// Simulator throughput and synthesis time on small fixture units. Run: npx tsx bench/sim.bench.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { synthesize } from '../flows/synth/synthesize.ts';
import { findTool } from '../flows/tools.ts';
import type { SynthEngine, SynthTarget } from '../flows/synth/types.ts';
import * as units from '../testbenches/sim/fixtures/units.ts';
import { IcarusSimulator } from '../testbenches/sim/icarus.ts';
import type { Simulator, UnitUnderTest, VectorSet } from '../testbenches/sim/types.ts';
import { VerilatorSimulator } from '../testbenches/sim/verilator.ts';

const SIMULATOR_RUNS: { simulator: Simulator; vectors: number }[] = [
  { simulator: new VerilatorSimulator(), vectors: 1_000_000 },
  { simulator: new IcarusSimulator(), vectors: 100_000 },
];

const SYNTH_TARGETS: SynthTarget[] = ['ice40', 'xc7'];

export async function benchSimulators(): Promise<void> {
  const workRoot = await mkdtemp(join(tmpdir(), 'bitsmith-bench-'));
  try {
    for (const { simulator, vectors } of SIMULATOR_RUNS) {
      await benchSimulator(simulator, 'adder_comb', units.adderComb, units.adderVectors(vectors), workRoot);
      await benchSimulator(
        simulator,
        'mul_pipe2',
        units.mulPipe2,
        units.multiplierVectors(vectors),
        workRoot,
      );
    }
    const engines: SynthEngine[] = (await findTool('yosys')) ? ['yowasp', 'native'] : ['yowasp'];
    for (const engine of engines) {
      for (const target of SYNTH_TARGETS) await benchSynthesis(engine, target, workRoot);
    }
  } finally {
    await rm(workRoot, { recursive: true, force: true });
  }
}

async function benchSimulator(
  simulator: Simulator,
  label: string,
  unit: UnitUnderTest,
  vectors: VectorSet,
  workRoot: string,
): Promise<void> {
  const count = vectors.stimulus.length;
  const started = performance.now();
  const result = await simulator.run(unit, vectors, {
    workDir: join(workRoot, `${simulator.name}-${label}`),
    seed: 1,
    bubbles: false,
    vcd: false,
  });
  const wallSeconds = (performance.now() - started) / 1000;
  if (result.failed !== 0)
    throw new Error(`${simulator.name} ${label}: ${result.failed} failures in the benchmark`);
  console.log(
    `${simulator.name.padEnd(9)} ${label.padEnd(10)} ${count.toLocaleString('en-US').padStart(9)} vectors: ` +
      `${Math.round(count / result.runSeconds).toLocaleString('en-US')} vectors/s ` +
      `(build ${result.buildSeconds.toFixed(2)} s, run ${result.runSeconds.toFixed(2)} s, ` +
      `wall with vector files ${wallSeconds.toFixed(2)} s)`,
  );
}

async function benchSynthesis(engine: SynthEngine, target: SynthTarget, workRoot: string): Promise<void> {
  const report = await synthesize({
    files: [units.fixturePath('mul8.v')],
    top: 'mul8',
    target,
    engine,
    workDir: join(workRoot, `synth-${engine}-${target}`),
  });
  console.log(
    `yosys ${engine.padEnd(6)} mul8 ${target.padEnd(5)}: ${report.seconds.toFixed(2)} s ` +
      `(${report.luts} LUTs, ${report.ffs} FFs, ${report.dsps} DSPs)`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchSimulators();
