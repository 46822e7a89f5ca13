// The adder's paths (docs/fp_add.md#near-far-path) in Icarus, Verilator and the C++ model, beside the
// catalog's near/far units: the single path (the fp16 unit as the catalog had it, exponent order, 12
// stages) on its default plan (TestFloat's f16_add cases with flags, corner and seeded random pairs),
// and the near/far path on e5m2 ± e5m2 with a `sub` input on every pair.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePackage } from '../../flows/package.ts';
import { resolveTarget } from '../../flows/target.ts';
import { runConformance } from '../../testbenches/conformance.ts';
import { fpAddPlan } from '../../testbenches/plans/fp_add.ts';
import { simulatorsFor } from '../../testbenches/sim/container.ts';
import type { FpAddParams } from './fp_add.ts';

const units: [string, string, Record<string, unknown>, 'default' | 'exhaustive', RegExp][] = [
  [
    'fp16 single path, TestFloat f16_add',
    'fp_add_fp16',
    { path: 'single', operandOrder: 'exponent', latency: 12 },
    'default',
    /46464 TestFloat f16_add/,
  ],
  [
    'e5m2 ± e5m2, every pair',
    'fp_add',
    {
      aFormat: 'e5m2',
      bFormat: 'e5m2',
      outFormat: 'e5m2',
      operation: 'input',
      flags: true,
      path: 'near-far',
      latency: 6,
    },
    'exhaustive',
    /131072 exhaustive pairs/,
  ],
];

describe('fp_add single and near/far paths in the simulators', () => {
  for (const [name, ip, params, kind, described] of units)
    for (const sim of ['icarus', 'verilator', 'hls'] as const) {
      it(`${name}: ${sim}`, async () => {
        const target = resolveTarget(ip, params);
        expect(target.module.name.includes('_nearfar_')).toBe(params.path === 'near-far');
        const pkg = writePackage(target, join(tmpdir(), `bitsmith-fp-add-near-far-${process.pid}`));
        const vectors = fpAddPlan.vectors(target.params as FpAddParams, { kind }, 1);
        expect(vectors.description).toMatch(described);
        const report = await runConformance({
          ip: target.ip,
          module: target.module,
          params: target.params,
          plan: fpAddPlan,
          vectors,
          seed: 1,
          rtlFiles: pkg.rtlFiles,
          simulators: simulatorsFor(sim),
          workDir: join(pkg.dir, `verify-${sim}`),
        });
        const result = report.results[0]!;
        expect(result.mismatches).toEqual([]);
        expect([result.passed, result.failed]).toEqual([vectors.stimulus.length, 0]);
      });
    }
});
