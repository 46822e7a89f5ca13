import { cat, mux, select, type Signal } from './signal.ts';
import { SInt, UInt, type HdlType } from './types.ts';

// Every DSL operator with its meaning written out in integer arithmetic: the reference that the
// evaluator (evaluate.test.ts) and the emitted Verilog in real simulators (emit/verilog-sim.test.ts) must meet.

/** Integer value of a bit pattern under a type, and back: the reference semantics, written out. */
export const int = (bits: bigint, t: HdlType) =>
  t.signed && bits >= 2n ** BigInt(t.width - 1) ? bits - 2n ** BigInt(t.width) : bits;
export const wrap = (v: bigint, width: number) =>
  ((v % 2n ** BigInt(width)) + 2n ** BigInt(width)) % 2n ** BigInt(width);

export interface OpCase {
  name: string;
  types: [HdlType, HdlType];
  build: (a: Signal, b: Signal) => Signal;
  expect: (a: bigint, b: bigint) => bigint;
}

const s8 = SInt(8);
const u8 = UInt(8);
const u3 = UInt(3);
export const OP_CASES: OpCase[] = [
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
