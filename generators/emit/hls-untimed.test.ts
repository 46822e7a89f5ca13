import { describe, expect, it } from 'vitest';
import { Random } from '../../testbenches/vectors/random.ts';
import { parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { mux } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { intMac } from '../mac/int_mac.ts';
import { intMul } from '../mul/int_mul.ts';
import { runUntimedVectors, untimedModule } from './hls-untimed.ts';

// The untimed view must compute, one call per vector, exactly what the pipelined module computes under
// the testbench protocol (reset, vectors with bubbles, outputs in order), checked with the IR evaluator.

function randomStimulus(m: Module, count: number, seed: number): bigint[][] {
  const rng = new Random(seed);
  const inputs = m.ports.filter(
    (p) => p.direction === 'input' && !['clk', 'rst', 'in_valid', 'out_ready'].includes(p.name),
  );
  // 1-bit inputs (clear, enables) are high one time in eight, so that sums run long.
  return Array.from({ length: count }, () =>
    inputs.map((p) => (p.type.width === 1 ? (rng.chance(0.125) ? 1n : 0n) : rng.bits(p.type.width))),
  );
}

function expectSameAsPipeline(m: Module, count = 400): void {
  const stimulus = randomStimulus(m, count, 3);
  const timed = runVectors(m, stimulus, { idle: (cycle) => cycle % 3 === 1 || cycle % 7 === 0 });
  expect(runUntimedVectors(untimedModule(m), stimulus)).toEqual(timed);
}

describe('untimed view of pipelined modules', () => {
  const macs = [0, 1, 2, 3].flatMap((latency) =>
    [false, true].flatMap((ready) =>
      (['wrap', 'saturate'] as const).map((overflow) => ({ latency, ready, overflow })),
    ),
  );
  it.each(macs)('int_mac latency $latency ready $ready $overflow computes as the pipeline does', (p) => {
    for (const signed of [true, false]) {
      const params = { aWidth: 5, bWidth: 4, aSigned: signed, bSigned: signed, accWidth: 11, ...p };
      expectSameAsPipeline(intMac.build(parseParams(intMac, params)));
    }
  });

  it.each([0, 1, 2, 3])('int_mul latency %i computes as the pipeline does', (latency) => {
    expectSameAsPipeline(
      intMul.build(parseParams(intMul, { aWidth: 7, bWidth: 6, bSigned: false, latency })),
    );
  });

  it('keeps only the designer registers, with their reset values, and adds rst', () => {
    const m = intMac.build(parseParams(intMac, { latency: 3, ready: true }));
    const u = untimedModule(m);
    expect(u.registers.map((r) => [r.name, r.reset, r.enable])).toEqual([['acc_q', 0n, undefined]]);
    expect(u.ports.map((p) => p.name)).toEqual(['rst', 'a', 'b', 'clear', 'acc']);
    expect(u.nodes.some((n) => n.name === 'advance' || n.name?.startsWith('fire_s'))).toBe(false);
    expect(u.nodes.filter((n) => n.kind === 'input').map((n) => n.port)).toEqual(['a', 'b', 'clear']);
    expect(u.timing).toEqual(m.timing);
  });

  it('leaves combinational modules as they are', () => {
    const m = intMul.build(parseParams(intMul, { latency: 0 }));
    expect(untimedModule(m)).toBe(m);
  });

  it('keeps a load condition and a register without reset (no rst then)', () => {
    const b = new ModuleBuilder('hold_max', { generator: 'test', params: {} }, { ready: true });
    const x = b.input('x', SInt(6));
    const take = b.input('take', UInt(1));
    b.stage();
    const best = b.register('best', SInt(6));
    const larger = x.gt(best).named('larger');
    best.next(mux(larger, x, best), { when: take });
    const count = b.register('count', UInt(4), { reset: 3 });
    count.next(count.add(1, { width: 4 }), { when: larger });
    b.stage();
    b.output('best_seen', best);
    b.output('larger_count', count);
    const m = b.build();
    const u = untimedModule(m);
    expect(u.registers.map((r) => [r.name, r.reset, r.enable === undefined])).toEqual([
      ['best', undefined, false],
      ['count', 3n, false],
    ]);
    expectSameAsPipeline(m);
    // Without a reset value anywhere, the untimed function takes no rst.
    const plain = new ModuleBuilder('running_xor', { generator: 'test', params: {} });
    const v = plain.input('v', UInt(8));
    const acc = plain.register('acc', UInt(8));
    acc.next(acc.xor(v));
    plain.stage();
    plain.output('y', acc);
    const pm = plain.build();
    expect(untimedModule(pm).ports.map((p) => p.name)).toEqual(['v', 'y']);
    expectSameAsPipeline(pm);
  });

  it('reads a register in the stage after its own as the value this vector loaded', () => {
    // acc_q doubles as the stage-1 copy of acc_next (lower.ts loadedBy); its old value feeds stage 0.
    const b = new ModuleBuilder('acc_then_scale', { generator: 'test', params: {} });
    const x = b.input('x', UInt(8));
    const acc = b.register('acc_q', UInt(12), { reset: 5 });
    const accNext = acc.add(x.zext(12), { width: 12 }).named('acc_next');
    acc.next(accNext);
    const before = acc.named('acc_before');
    b.stage();
    const scaled = accNext.shl(1).named('scaled');
    b.stage();
    b.output('y', scaled);
    b.output('previous', before);
    const m = b.build();
    expect(m.registers.some((r) => r.name === 'acc_next_s1')).toBe(false);
    expectSameAsPipeline(m);
  });

  it('refuses a register loaded from a later stage: its value depends on timing', () => {
    const b = new ModuleBuilder('from_later', { generator: 'test', params: {} });
    const x = b.input('x', UInt(4));
    const r = b.register('r', UInt(4), { reset: 0 });
    b.stage();
    const later = x.add(r, { width: 4 }).named('later');
    r.next(later);
    b.output('y', later);
    expect(() => untimedModule(b.build())).toThrow(
      /reads 'later' of the later stage 1.*untimed \(HLS\) function/,
    );
  });
});
