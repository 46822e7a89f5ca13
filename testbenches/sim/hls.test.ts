import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseParams } from '../../generators/generator.ts';
import { runVectors } from '../../generators/hdl/evaluate.ts';
import { ModuleBuilder } from '../../generators/hdl/module.ts';
import { mux } from '../../generators/hdl/signal.ts';
import { SInt, UInt } from '../../generators/hdl/types.ts';
import { intMac, type IntMacParams } from '../../generators/mac/int_mac.ts';
import { intMul } from '../../generators/mul/int_mul.ts';
import { planFor } from '../plans/index.ts';
import { unitUnderTest } from '../unit.ts';
import { Random } from '../vectors/random.ts';
import { buildCsim } from './hls-build.ts';
import { HlsSimulator } from './hls.ts';
import type { SimOptions } from './types.ts';

// The g++ C-simulation of emitted HLS C++: the same vector files and report lines as the RTL runs.

describe('hls simulator', () => {
  const simulator = new HlsSimulator();
  let workRoot = '';
  beforeAll(async () => {
    workRoot = await mkdtemp(join(tmpdir(), 'bitsmith-hls-test-'));
  });
  afterAll(async () => {
    await rm(workRoot, { recursive: true, force: true });
  });
  const options = (folder: string, more: Partial<SimOptions> = {}): SimOptions => ({
    workDir: join(workRoot, folder),
    seed: 1,
    bubbles: true,
    vcd: false,
    ...more,
  });

  it('is available where g++ is, under its name and Debian package', async () => {
    expect(simulator.name).toBe('hls');
    expect(simulator.debianPackage).toBe('g++');
    expect(await simulator.available()).toBe(true);
  });

  // int_mac at every latency, with and without valid/ready: the registers the designer declared carry
  // the sum from call to call, the pipeline registers vanish, and the golden vectors pass.
  const configs = [0, 1, 2, 3].flatMap((latency) => [false, true].map((ready) => ({ latency, ready })));
  it.each(configs)('int_mac latency $latency ready $ready passes its golden vectors', async (timing) => {
    const raw = {
      aWidth: 4,
      bWidth: 3,
      aSigned: true,
      bSigned: false,
      accWidth: 9,
      overflow: 'saturate',
      ...timing,
    };
    const params = parseParams(intMac, raw) as IntMacParams;
    const module = intMac.build(params);
    const vectors = planFor('int_mac').vectors(params, { kind: 'default' }, 5);
    const result = await simulator.run(unitUnderTest(module, []), vectors, options(module.name));
    expect(result.mismatches).toEqual([]);
    expect(result).toMatchObject({ simulator: 'hls', passed: vectors.stimulus.length, failed: 0 });
    // One reset call, then one call per vector.
    expect(result.cycles).toBe(vectors.stimulus.length + 1);
  });

  it('matches the pipelined IR on registers with load conditions, without reset, chained, read a stage later', async () => {
    const b = new ModuleBuilder('hls_state_mix', { generator: 'test', params: {} }, { ready: true });
    const x = b.input('x', SInt(7));
    const take = b.input('take', UInt(1));
    const acc = b.register('acc_q', SInt(12), { reset: -5 });
    const accNext = acc.add(x.sext(12), { width: 12 }).named('acc_next');
    acc.next(accNext);
    b.stage();
    const best = b.register('best', SInt(12));
    best.next(mux(accNext.gt(best), accNext, best), { when: take });
    const count = b.register('count', UInt(3), { reset: 1 });
    count.next(count.add(1, { width: 3 }), { when: take.and(x.lt(0)) });
    // A chain of registers whose loads read each other's state: each must load what the state was
    // before this call's loads.
    const first = b.register('first', SInt(7), { reset: 0 });
    const second = b.register('second', SInt(7), { reset: 0 });
    const third = b.register('third', UInt(8));
    first.next(x);
    second.next(first, { when: first.bit(0) });
    third.next(first.asUnsigned().zext(8).add(second.asUnsigned().zext(8), { width: 8 }), {
      when: second.bit(1),
    });
    b.stage();
    b.output('sum', accNext);
    b.output('best_seen', best);
    b.output('negatives', count);
    b.output('chain', third);
    const module = b.build();
    const rng = new Random(9);
    const stimulus = Array.from({ length: 3000 }, () => [rng.bits(7), rng.chance(0.3) ? 1n : 0n]);
    const expected = runVectors(module, stimulus);
    const result = await simulator.run(unitUnderTest(module, []), { stimulus, expected }, options('state'));
    expect(result.mismatches).toEqual([]);
    expect(result.passed).toBe(3000);
  });

  // C++ keywords that SystemVerilog does not reserve (names refuse SystemVerilog's).
  it('calls instances as functions, in a pipelined parent, with C++ keywords as names', async () => {
    const child = new ModuleBuilder('hls_child_mix', { generator: 'test', params: {} });
    const value = child.input('template', UInt(70));
    const shift = child.input('namespace', UInt(3));
    child.output('operator', value.shr(shift).xor(value.slice(69, 6).zext(70)));
    child.output('delete', value.orR());
    const leaf = child.build();
    const b = new ModuleBuilder('hls_parent_mix', { generator: 'test', params: {} }, { ready: true });
    const x = b.input('x', UInt(70));
    const k = b.input('k', UInt(3));
    const first = b.instance(leaf, 'u_first', { template: x, namespace: k });
    b.stage();
    const second = b.instance(leaf, 'u_second', {
      template: first.operator!.add(x, { width: 70 }),
      namespace: k.not(),
    });
    const total = b.register('total', UInt(70), { reset: 1 });
    total.next(total.xor(second.operator!), { when: first.delete! });
    b.stage();
    b.output('y', second.operator!);
    b.output('any', second.delete!);
    b.output('total_seen', total);
    const module = b.build();
    const rng = new Random(4);
    const stimulus = Array.from({ length: 1000 }, () => [rng.bits(70) >> BigInt(rng.below(70)), rng.bits(3)]);
    const expected = runVectors(module, stimulus);
    const result = await simulator.run(
      unitUnderTest(module, []),
      { stimulus, expected },
      options('instances'),
    );
    expect(result.mismatches).toEqual([]);
    expect(result.passed).toBe(1000);
  });

  it('reports a wrong expected value at its vector and port, and only as many as asked', async () => {
    const module = intMul.build(parseParams(intMul, { aWidth: 8, bWidth: 8, latency: 2 }));
    const vectors = planFor('int_mul').vectors(parseParams(intMul, { latency: 2 }), { kind: 'default' }, 1);
    const right = vectors.expected[1234]![0]!;
    vectors.expected[1234] = [right ^ 0x10n];
    for (const i of [2000, 2001, 2002]) vectors.expected[i] = [vectors.expected[i]![0]! ^ 1n];
    const result = await simulator.run(
      unitUnderTest(module, []),
      vectors,
      options('wrong', { maxMismatches: 2 }),
    );
    expect(result).toMatchObject({ passed: vectors.stimulus.length - 4, failed: 4 });
    expect(result.mismatches).toEqual([
      { index: 1234, port: 'p', expected: right ^ 0x10n, actual: right },
      {
        index: 2000,
        port: 'p',
        expected: vectors.expected[2000]![0]!,
        actual: vectors.expected[2000]![0]! ^ 1n,
      },
    ]);
  });

  it('rebuilds only when the C++ changes', async () => {
    const module = intMul.build(parseParams(intMul, { aWidth: 3, bWidth: 3, latency: 0 }));
    const vectors = planFor('int_mul').vectors(
      parseParams(intMul, { aWidth: 3, bWidth: 3 }),
      { kind: 'default' },
      1,
    );
    const first = await simulator.run(unitUnderTest(module, []), vectors, options('cache'));
    const second = await simulator.run(unitUnderTest(module, []), vectors, options('cache'));
    expect(first.buildSeconds).toBeGreaterThan(0);
    expect(second).toMatchObject({ buildSeconds: 0, passed: 64, failed: 0, cycles: 0 });
  });

  it('needs the IR of the unit, not only its Verilog', async () => {
    const module = intMul.build(parseParams(intMul, {}));
    const { module: _, ...verilogOnly } = unitUnderTest(module, ['/nowhere/int_mul.v']);
    await expect(
      simulator.run(verilogOnly, { stimulus: [[0n, 0n]], expected: [[0n]] }, options('no-ir')),
    ).rejects.toThrow(/hls simulator compiles C\+\+ emitted from the unit's IR, but unit.module is not set/);
  });

  it('shows the compiler message and the log for a compile error, and refuses any warning', async () => {
    const dir = join(workRoot, 'broken');
    await mkdir(dir, { recursive: true });
    await expect(
      buildCsim(dir, [{ fileName: 'main.cpp', text: 'int main() { return undefined_name; }\n' }], 'broken'),
    ).rejects.toThrow(
      /g\+\+ \(C-simulation of broken\) failed[\s\S]*error: .undefined_name.[\s\S]*Full log: .*build\.log/,
    );
    await expect(
      buildCsim(
        dir,
        [{ fileName: 'main.cpp', text: 'int main(int argc, char**) { int unused = argc; return 0; }\n' }],
        'noisy',
      ),
    ).rejects.toThrow(
      /warned; the generated C\+\+ must compile with -std=c\+\+17 -O2 -Wall -Wextra without a warning[\s\S]*unused/,
    );
  });
});
