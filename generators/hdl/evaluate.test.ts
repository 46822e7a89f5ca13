import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Evaluator, runVectors } from './evaluate.ts';
import { ModuleBuilder } from './module.ts';
import { int, OP_CASES, wrap } from './op-cases.ts';
import { UInt } from './types.ts';

const origin = { generator: 'test', params: {} };

describe('evaluator computes every operator as the integers say', () => {
  for (const c of OP_CASES) {
    it(c.name, () => {
      const m = new ModuleBuilder('dut', origin);
      const a = m.input('a', c.types[0]);
      const b = m.input('b', c.types[1]);
      const y = c.build(a, b);
      m.output('y', y);
      const ev = new Evaluator(m.build());
      fc.assert(
        fc.property(
          fc.bigInt({ min: 0n, max: 2n ** BigInt(c.types[0].width) - 1n }),
          fc.bigInt({ min: 0n, max: 2n ** BigInt(c.types[1].width) - 1n }),
          (ba, bb) => {
            ev.set('a', ba);
            ev.set('b', bb);
            expect(ev.get('y')).toBe(wrap(c.expect(int(ba, c.types[0]), int(bb, c.types[1])), y.width));
          },
        ),
        { numRuns: 300 },
      );
    });
  }
});

describe('pipelines', () => {
  const pipelined = (ready: boolean) => {
    const m = new ModuleBuilder('pipe', origin, { ready });
    const a = m.input('a', UInt(8));
    const b = m.input('b', UInt(8));
    const s = a.add(b).named('s');
    m.stage();
    const p = s.mul(a).named('p');
    m.stage();
    m.output('y', p.add(b, { width: 17 }));
    return m.build();
  };

  it('has the latency of its stage cuts and balances every value that crosses them', () => {
    const mod = pipelined(false);
    expect(mod.timing).toEqual({ kind: 'pipelined', latency: 2, ready: false });
    const stimulus = Array.from({ length: 50 }, (_, i) => [BigInt((i * 37) % 256), BigInt((i * 91) % 256)]);
    const out = runVectors(mod, stimulus, { idle: (cycle) => cycle % 3 === 1 });
    expect(out).toEqual(stimulus.map(([a, b]) => [((a! + b!) * a! + b!) % 2n ** 17n]));
  });

  it('appears exactly latency cycles after the input', () => {
    const ev = new Evaluator(pipelined(false));
    ev.reset();
    ev.set('in_valid', 1);
    ev.set('a', 3);
    ev.set('b', 4);
    ev.tick();
    ev.set('in_valid', 0);
    expect(ev.get('out_valid')).toBe(0n);
    ev.tick();
    expect(ev.get('out_valid')).toBe(1n);
    expect(ev.get('y')).toBe(25n);
    ev.tick();
    expect(ev.get('out_valid')).toBe(0n);
  });

  it('freezes every stage while the output is stalled', () => {
    const ev = new Evaluator(pipelined(true));
    ev.set('out_ready', 0);
    ev.reset();
    const offer = (a: number, b: number) => {
      ev.set('in_valid', 1);
      ev.set('a', a);
      ev.set('b', b);
    };
    offer(1, 2);
    expect(ev.get('in_ready')).toBe(1n);
    ev.tick();
    offer(5, 6);
    ev.tick();
    ev.set('in_valid', 0);
    expect(ev.get('out_valid')).toBe(1n);
    expect(ev.get('in_ready')).toBe(0n);
    for (let i = 0; i < 5; i++) ev.tick();
    expect(ev.get('y')).toBe(5n); // (1+2)*1+2, held
    ev.set('out_ready', 1);
    ev.tick();
    expect(ev.get('y')).toBe(61n); // (5+6)*5+6, next in order
  });

  it('registers values only once per stage crossed and never registers constants', () => {
    const m = new ModuleBuilder('pipe3', origin);
    const a = m.input('a', UInt(4));
    const k = m.constant(5, UInt(4));
    m.stage();
    m.stage();
    m.stage();
    m.output('y', a.add(k));
    const mod = m.build();
    expect(mod.registers.map((r) => r.name).sort()).toEqual([
      'a_s1',
      'a_s2',
      'a_s3',
      'valid_s1',
      'valid_s2',
      'valid_s3',
    ]);
  });
});
