import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Evaluator, runVectors } from './evaluate.ts';
import { ModuleBuilder } from './module.ts';
import { cat, mux, select, type Signal } from './signal.ts';
import { SInt, UInt, type HdlType } from './types.ts';

const origin = { generator: 'test', params: {} };

/** Integer value of a bit pattern under a type, and back: the reference semantics, written out. */
const int = (bits: bigint, t: HdlType) =>
  t.signed && bits >= 2n ** BigInt(t.width - 1) ? bits - 2n ** BigInt(t.width) : bits;
const wrap = (v: bigint, width: number) =>
  ((v % 2n ** BigInt(width)) + 2n ** BigInt(width)) % 2n ** BigInt(width);

interface Case {
  name: string;
  types: [HdlType, HdlType];
  build: (a: Signal, b: Signal) => Signal;
  expect: (a: bigint, b: bigint) => bigint;
}

const s8 = SInt(8);
const u8 = UInt(8);
const u3 = UInt(3);
const cases: Case[] = [
  {
    name: 'add widening signed',
    types: [s8, SInt(5)],
    build: (a, b) => a.add(b),
    expect: (a, b) => wrap(a + b, 9),
  },
  {
    name: 'add wrapping',
    types: [u8, u8],
    build: (a, b) => a.add(b, { width: 8 }),
    expect: (a, b) => wrap(a + b, 8),
  },
  { name: 'sub signed', types: [s8, s8], build: (a, b) => a.sub(b), expect: (a, b) => wrap(a - b, 9) },
  {
    name: 'sub unsigned wraps below zero',
    types: [u8, u8],
    build: (a, b) => a.sub(b),
    expect: (a, b) => wrap(a - b, 9),
  },
  { name: 'mul signed', types: [s8, SInt(5)], build: (a, b) => a.mul(b), expect: (a, b) => wrap(a * b, 13) },
  { name: 'mul mixed', types: [s8, UInt(5)], build: (a, b) => a.mul(b), expect: (a, b) => wrap(a * b, 13) },
  {
    name: 'mul truncated',
    types: [u8, u8],
    build: (a, b) => a.mul(b, { width: 10 }),
    expect: (a, b) => wrap(a * b, 10),
  },
  { name: 'neg', types: [s8, s8], build: (a) => a.neg(), expect: (a) => wrap(-a, 9) },
  {
    name: 'and/or/xor/not',
    types: [u8, u8],
    build: (a, b) => a.and(b).or(a.xor(b).not()),
    expect: (a, b) => (a & b) | (~(a ^ b) & 255n),
  },
  { name: 'shl const', types: [u8, u8], build: (a) => a.shl(3), expect: (a) => wrap(a << 3n, 8) },
  { name: 'shr signed const', types: [s8, s8], build: (a) => a.shr(2), expect: (a) => wrap(a >> 2n, 8) },
  { name: 'shr unsigned var', types: [u8, u3], build: (a, b) => a.shr(b), expect: (a, b) => a >> b },
  { name: 'shr signed var', types: [s8, u3], build: (a, b) => a.shr(b), expect: (a, b) => wrap(a >> b, 8) },
  { name: 'shl var', types: [u8, u3], build: (a, b) => a.shl(b), expect: (a, b) => wrap(a << b, 8) },
  { name: 'lt signed', types: [s8, SInt(4)], build: (a, b) => a.lt(b), expect: (a, b) => (a < b ? 1n : 0n) },
  {
    name: 'ge unsigned',
    types: [u8, UInt(4)],
    build: (a, b) => a.ge(b),
    expect: (a, b) => (a >= b ? 1n : 0n),
  },
  {
    name: 'eq after extension',
    types: [s8, SInt(4)],
    build: (a, b) => a.eq(b),
    expect: (a, b) => (a === b ? 1n : 0n),
  },
  {
    name: 'mux',
    types: [s8, SInt(3)],
    build: (a, b) => mux(a.lt(0), a, b),
    expect: (a, b) => wrap(a < 0n ? a : b, 8),
  },
  {
    name: 'concat and slice',
    types: [u8, u3],
    build: (a, b) => cat(b, a.slice(6, 2)),
    expect: (a, b) => (b << 5n) | ((a >> 2n) & 31n),
  },
  {
    name: 'sext and zext',
    types: [s8, u3],
    build: (a, b) => cat(a.sext(12), b.zext(6)),
    expect: (a, b) => (wrap(a, 12) << 6n) | b,
  },
  {
    name: 'reductions',
    types: [u8, u8],
    build: (a) => cat(a.andR(), a.orR(), a.xorR()),
    expect: (a) =>
      (a === 255n ? 4n : 0n) |
      (a !== 0n ? 2n : 0n) |
      BigInt(a.toString(2).split('1').length % 2 === 0 ? 1 : 0),
  },
  {
    name: 'select',
    types: [u8, u3],
    build: (a, b) => select(b, [a, a.not(), a.shl(1), a.shr(1), a.and(15)]),
    expect: (a, b) =>
      [a, 255n - a, wrap(a << 1n, 8), a >> 1n, a & 15n, a & 15n, a & 15n, a & 15n][Number(b)]!,
  },
  {
    name: 'signed reinterpretation',
    types: [u8, u8],
    build: (a) => a.asSigned().lt(0),
    expect: (a) => (a >= 128n ? 1n : 0n),
  },
];

describe('evaluator computes every operator as the integers say', () => {
  for (const c of cases) {
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
