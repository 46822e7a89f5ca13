import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../flows/target.ts';
import { writePackage } from '../flows/package.ts';
import { formatReport, runConformance } from './conformance.ts';
import { planFor } from './plans/index.ts';
import type { PlannedVectors } from './plans/plan.ts';
import { simulatorsFor } from './sim/container.ts';

describe('the conformance runner reports what is wrong', () => {
  it('flags a wrong expected value at its index and decodes the fields', async () => {
    const target = resolveTarget('int_mac', { aWidth: 4, bWidth: 4, accWidth: 12, latency: 2 });
    const pkg = writePackage(target, join(tmpdir(), `bitsmith-conf-${process.pid}`));
    const plan = planFor('int_mac');
    const vectors = plan.vectors(target.params, { kind: 'random', count: 500 }, 3);
    vectors.expected[123] = [(vectors.expected[123]![0]! + 1n) & 0xfffn];
    const report = await runConformance({
      ip: 'broken',
      module: target.module,
      params: target.params,
      plan,
      vectors,
      seed: 3,
      rtlFiles: pkg.rtlFiles,
      simulators: simulatorsFor('icarus'),
      workDir: join(pkg.dir, 'verify'),
    });
    expect(report.passed).toBe(false);
    const r = report.results[0]!;
    expect(r.failed).toBe(1);
    expect(r.passed).toBe(499);
    expect(r.mismatches[0]!.index).toBe(123);
    expect(r.mismatches[0]!.port).toBe('acc');
    // The decoded inputs are those of vector 123, as signed integers.
    const [a, b, clear] = vectors.stimulus[123]!;
    expect(r.mismatches[0]!.inputs).toEqual({
      a: `0x${a!.toString(16)} (${BigInt.asIntN(4, a!)})`,
      b: `0x${b!.toString(16)} (${BigInt.asIntN(4, b!)})`,
      clear: `0x${clear!.toString(16)} (${clear})`,
    });
    expect(formatReport(report)).toMatch(/icarus\s+499 passed, 1 failed/);
    expect(formatReport(report)).toMatch(/result\s+FAIL/);
  });

  const swapped = () => {
    const target = resolveTarget('int_mul', {
      aWidth: 4,
      bWidth: 4,
      aSigned: true,
      bSigned: false,
      latency: 1,
    });
    const pkg = writePackage(target, join(tmpdir(), `bitsmith-conf-order-${process.pid}`));
    const plan = planFor('int_mul');
    const vectors = plan.vectors(target.params, { kind: 'exhaustive' }, 1);
    const run = (ip: string, v: PlannedVectors) =>
      runConformance({
        ip,
        module: target.module,
        params: target.params,
        plan,
        vectors: v,
        seed: 1,
        rtlFiles: pkg.rtlFiles,
        simulators: simulatorsFor('icarus'),
        workDir: join(pkg.dir, ip),
      });
    // b's column first: a signed and b unsigned, so values on the wrong port give other products.
    const bFirst = { ...vectors, stimulus: vectors.stimulus.map(([a, b]) => [b!, a!]) };
    return { target, vectors, bFirst, run };
  };

  it('runs columns named in another order than the ports as it runs them in port order', async () => {
    const { vectors, bFirst, run } = swapped();
    const inOrder = await run('in-order', vectors);
    const reordered = await run('reordered', { ...bFirst, inputs: ['b', 'a'] });
    expect(inOrder.results[0]).toMatchObject({ passed: 256, failed: 0 });
    expect(reordered.results[0]).toMatchObject({ passed: 256, failed: 0 });
    expect(reordered.passed).toBe(true);
    // The same rows named in port order put each value on the other port, and fail.
    const misplaced = await run('misplaced', bFirst);
    expect(misplaced.results[0]!.failed).toBeGreaterThan(100);
  });

  it('refuses a column named after no port, naming it and the module’s ports', async () => {
    const { target, vectors, run } = swapped();
    await expect(run('misnamed', { ...vectors, inputs: ['a', 'bb'] })).rejects.toThrow(
      `vectors '256 exhaustive pairs' name input 'bb', which is not an input of module ${target.module.name}; ` +
        `module ${target.module.name} has inputs a, b and outputs p`,
    );
  });
});
