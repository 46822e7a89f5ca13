// Timing of a catalog dequantizer in Verilator: without input bubbles, N words take N cycles plus the
// fixed reset, pipeline fill and drain, so the unit accepts one packed word per cycle (II = 1) at its
// latency (the testbench checks every output's latency).

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePackage } from '../../flows/package.ts';
import { resolveTarget } from '../../flows/target.ts';
import { runConformance } from '../conformance.ts';
import { simulatorsFor } from '../sim/container.ts';
import { RESET_CYCLES } from '../sim/testbench.ts';
import { dequantPlan } from './dequant.ts';
import { planFor } from './index.ts';

describe('dequant timing', () => {
  it('the AWQ W4A16 unit converts one packed word per cycle at latency 2', async () => {
    const target = resolveTarget('dequant', {
      format: 'uint4',
      zeroPoint: 'uint4',
      packing: 'awq',
      lanes: 8,
      latency: 2,
    });
    const pkg = writePackage(target, join(tmpdir(), `bitsmith-dequant-timing-${process.pid}`));
    const count = 5000;
    const vectors = dequantPlan.vectors(target.params as never, { kind: 'random', count }, 3);
    const report = await runConformance({
      ip: target.ip,
      module: target.module,
      params: target.params,
      plan: planFor('dequant'),
      vectors,
      seed: 3,
      bubbles: false,
      rtlFiles: pkg.rtlFiles,
      simulators: simulatorsFor('verilator'),
      workDir: join(pkg.dir, 'verify-timing'),
    });
    const result = report.results[0]!;
    expect(result.mismatches).toEqual([]);
    expect(result.passed).toBe(count);
    const latency = target.module.timing.kind === 'pipelined' ? target.module.timing.latency : 0;
    expect(latency).toBe(2);
    // reset, then one word per cycle, the last output `latency` cycles later, then the drain watch
    const overhead = RESET_CYCLES + latency + (latency + 4) + 2;
    expect(result.cycles).toBeGreaterThanOrEqual(count);
    expect(result.cycles).toBeLessThanOrEqual(count + overhead);
  });
});
