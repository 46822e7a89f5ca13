import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveTarget } from '../flows/target.ts';
import { writePackage } from '../flows/package.ts';
import { runConformance } from '../testbenches/conformance.ts';
import { streamingPlanFor } from '../testbenches/streaming-plans.ts';
import { planFor } from '../testbenches/plans/index.ts';
import type { PlannedVectors } from '../testbenches/plans/plan.ts';
import { simulatorsFor } from '../testbenches/sim/container.ts';
import { lintVerilog } from '../testbenches/sim/lint.ts';
import { CATALOG } from './catalog.ts';

// Every catalog IP: lint-clean under verilator -Wall, and bit-exact against its golden model in each
// simulator on the plan's default vectors (exhaustive single steps where the operands allow, plus
// seeded random accumulation sequences with clears: 100,000 steps, 20,000 for the mixed_mac research
// weights, whose plan checks each code with designed groups (testbenches/plans/mixed_mac.ts)).
const outDir = join(tmpdir(), `bitsmith-catalog-${process.pid}`);

describe.each(CATALOG.map((e) => [e.name]))('%s', (name) => {
  const target = resolveTarget(name);
  const pkg = writePackage(target, outDir);

  it('lints clean with verilator -Wall', async () => {
    const lint = await lintVerilog(pkg.rtlFiles, target.module.name);
    expect(lint.messages).toEqual([]);
    expect(lint.clean).toBe(true);
  });

  // Streaming cores run jobs, not vectors: every y element and every job's status is checked.
  const streaming = streamingPlanFor(target.generator.name);
  for (const simulator of streaming !== undefined ? (['icarus', 'verilator', 'hls'] as const) : []) {
    it(`passes its jobs in ${simulator}${simulator === 'hls' ? '' : ' with stalls on every stream, and ≥ 95% utilization without'}`, async () => {
      const report = await streaming!.run({
        ip: name,
        module: target.module,
        params: target.params,
        rtlFiles: pkg.rtlFiles,
        simulators: [simulator],
        workDir: join(pkg.dir, 'verify'),
        seed: 1,
      });
      expect(report.results[0]!.mismatches).toEqual([]);
      expect(report.results[0]!.passed).toBe(report.vectors);
      if (simulator === 'hls') return;
      expect(report.utilization[0]!.length).toBeGreaterThanOrEqual(1);
      for (const u of report.utilization[0]!) expect(u).toBeGreaterThanOrEqual(0.95);
    });
  }

  // The default vectors are built once for the three simulators (a plan takes up to a second or so),
  // and let go after the IP's last test.
  let defaultVectors: PlannedVectors | undefined;
  afterAll(() => {
    defaultVectors = undefined;
  });
  for (const simulator of streaming !== undefined ? [] : simulatorsFor('all')) {
    it(`passes conformance in ${simulator.name}`, async () => {
      const plan = planFor(target.generator.name);
      const vectors = (defaultVectors ??= plan.vectors(target.params, { kind: 'default' }, 1));
      const report = await runConformance({
        ip: name,
        module: target.module,
        params: target.params,
        plan,
        vectors,
        seed: 1,
        rtlFiles: pkg.rtlFiles,
        simulators: [simulator],
        workDir: join(pkg.dir, 'verify'),
      });
      expect(report.results[0]!.mismatches).toEqual([]);
      expect(report.results[0]!.passed).toBe(vectors.stimulus.length);
      expect(vectors.stimulus.length).toBeGreaterThanOrEqual(256);
    });
  }

  const entry = CATALOG.find((e) => e.name === name)!;
  if (entry.verilatorRandom !== undefined) {
    it(`passes ${entry.verilatorRandom} seeded random vectors in verilator`, async () => {
      const plan = planFor(target.generator.name);
      const vectors = plan.vectors(target.params, { kind: 'random', count: entry.verilatorRandom! }, 2);
      const report = await runConformance({
        ip: name,
        module: target.module,
        params: target.params,
        plan,
        vectors,
        seed: 2,
        rtlFiles: pkg.rtlFiles,
        simulators: simulatorsFor('verilator'),
        workDir: join(pkg.dir, 'verify-random'),
      });
      expect(report.results[0]!.mismatches).toEqual([]);
      expect(report.results[0]!.passed).toBe(entry.verilatorRandom);
    });
  }
});
