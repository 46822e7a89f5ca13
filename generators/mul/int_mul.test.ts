import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePackage } from '../../flows/package.ts';
import { resolveTarget } from '../../flows/target.ts';
import { alignToUnit } from '../../testbenches/align-vectors.ts';
import { runConformance } from '../../testbenches/conformance.ts';
import { intMulPlan } from '../../testbenches/plans/int_mul.ts';
import { simulatorsFor } from '../../testbenches/sim/container.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { intMul, type IntMulParams } from './int_mul.ts';

describe('int_mul in the IR evaluator matches its golden model', () => {
  for (const raw of [
    { aWidth: 5, bWidth: 4, latency: 0 },
    { aWidth: 4, bWidth: 5, aSigned: false, bSigned: true, latency: 1 },
    { aWidth: 4, bWidth: 4, aSigned: false, bSigned: false, latency: 3, ready: true },
    { aWidth: 8, bWidth: 8, multiplier: 'booth4', latency: 0 },
    { aWidth: 8, bWidth: 8, aSigned: false, bSigned: false, multiplier: 'booth4', latency: 1 },
    { aWidth: 8, bWidth: 7, aSigned: false, bSigned: true, multiplier: 'booth4', latency: 2 },
    { aWidth: 8, bWidth: 8, multiplier: 'behavioural', latency: 0 },
  ]) {
    it(JSON.stringify(raw), () => {
      const p = parseParams(intMul, raw);
      const module = intMul.build(p);
      const v = alignToUnit(intMulPlan.vectors(p, { kind: 'exhaustive' }, 1), unitUnderTest(module, []));
      expect(runVectors(module, v.stimulus)).toEqual(v.expected);
    });
  }

  it('refuses a multiplier it does not know, naming the allowed ones', () => {
    expect(() => parseParams(intMul, { multiplier: 'wallace' })).toThrow(
      /multiplier.*wallace.*auto, booth4, behavioural/,
    );
  });

  it("builds auto as behavioural and booth4 as its own module, recording 'multiplier' only when not auto", () => {
    const build = (raw: Record<string, unknown>) => intMul.build(parseParams(intMul, raw));
    expect(build({}).name).toBe('int_mul_s8_s8_l0');
    expect(build({}).origin.params).not.toHaveProperty('multiplier');
    expect(build({ multiplier: 'behavioural' }).nodes).toEqual(build({}).nodes);
    expect(build({ multiplier: 'booth4' }).name).toBe('int_mul_s8_s8_booth4_l0');
    expect(build({ multiplier: 'booth4' }).origin.params).toHaveProperty('multiplier', 'booth4');
  });

  it('refuses backpressure on a combinational multiplier', () => {
    expect(() => parseParams(intMul, { latency: 0, ready: true })).toThrow(
      /'ready' = true is not allowed: .*latency 1 or more/,
    );
  });
});

describe('int_mul with every multiplier in Icarus and Verilator: every 8×8 pair', () => {
  for (const multiplier of ['booth4', 'behavioural'])
    for (const signed of [true, false]) {
      it(`${multiplier}, ${signed ? 'signed' : 'unsigned'}`, { timeout: 180_000 }, async () => {
        const target = resolveTarget('int_mul', { multiplier, aSigned: signed, bSigned: signed, latency: 1 });
        const pkg = writePackage(target, join(tmpdir(), `bitsmith-int-mul-${process.pid}`));
        const vectors = intMulPlan.vectors(target.params as IntMulParams, { kind: 'exhaustive' }, 1);
        expect(vectors.stimulus.length).toBe(65_536);
        const report = await runConformance({
          ip: target.ip,
          module: target.module,
          params: target.params,
          plan: intMulPlan,
          vectors,
          seed: 1,
          rtlFiles: pkg.rtlFiles,
          simulators: [...simulatorsFor('icarus'), ...simulatorsFor('verilator')],
          workDir: join(pkg.dir, 'verify'),
        });
        expect(report.results.map((r) => [r.simulator, r.passed, r.failed])).toEqual([
          ['icarus', 65_536, 0],
          ['verilator', 65_536, 0],
        ]);
      });
    }
});
