import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HlsSimulator } from '../../testbenches/sim/hls.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { Random } from '../../testbenches/vectors/random.ts';
import { runVectors } from '../hdl/evaluate.ts';
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { cat, mux, select, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';

// Random IR graphs, seeded: every operator on odd and word-boundary widths, registers with and without
// reset and load conditions, stage cuts between them, valid/ready or not. The C-simulation of the
// emitted HLS C++ must give what the IR evaluator gives for the pipelined module.

const WIDTHS = [1, 2, 3, 7, 8, 13, 31, 32, 33, 63, 64, 65, 90, 127, 128, 129, 150];

function randomModule(seed: number, steps: number): Module {
  const rng = new Random(seed);
  const pick = <T>(list: T[]) => list[rng.below(list.length)]!;
  const type = () => (rng.chance(0.5) ? SInt(pick(WIDTHS)) : UInt(pick(WIDTHS)));
  const m = new ModuleBuilder(
    `hls_fuzz_${seed}`,
    { generator: 'test', params: { seed } },
    { ready: rng.chance(0.5) },
  );
  const pool: Signal[] = [];
  for (let i = 0; i < 8; i++) pool.push(m.input(`in${i}`, type()));
  const like = (a: Signal, b: Signal) =>
    b.signed === a.signed ? b : a.signed ? b.asSigned() : b.asUnsigned();
  const bit = () => pick(pool).slice(0, 0);
  let registers = 0;
  const ops: ((a: Signal, b: Signal) => Signal | undefined)[] = [
    (a, b) =>
      rng.chance(0.5) ? a.add(like(a, b)) : a.add(like(a, b), { width: Math.min(a.width, b.width) }),
    (a, b) => a.sub(like(a, b), rng.chance(0.5) ? {} : { width: Math.max(a.width, b.width) }),
    (a, b) => (a.width + b.width <= 300 ? a.mul(b, rng.chance(0.3) ? { width: a.width } : {}) : undefined),
    (a, b) => a.and(like(a, b.resize(a.width))),
    (a, b) => a.or(like(a, b.resize(a.width))),
    (a, b) => a.xor(like(a, b.resize(a.width))),
    (a) => a.not(),
    (a) => a.shl(rng.below(a.width + 2)),
    (a) => a.shr(rng.below(a.width + 2)),
    (a, b) => a.shl(b.slice(Math.min(b.width, 1 + rng.below(9)) - 1, 0)),
    (a, b) => a.shr(b.slice(Math.min(b.width, 1 + rng.below(9)) - 1, 0)),
    (a, b) => {
      const c = like(a, b);
      return pick([a.lt(c), a.le(c), a.gt(c), a.ge(c), a.eq(c), a.ne(c)]);
    },
    (a, b) => mux(bit(), a, like(a, b)),
    (a, b) => (a.width + b.width < 300 ? cat(a, b, bit()) : undefined),
    (a) => {
      const lo = rng.below(a.width);
      return a.slice(lo + rng.below(a.width - lo), lo);
    },
    (a) =>
      a.width < 250
        ? rng.chance(0.5)
          ? a.sext(a.width + 1 + rng.below(70))
          : a.zext(a.width + 1 + rng.below(70))
        : undefined,
    (a) => a.resize(1 + rng.below(a.width + 40)),
    (a) => pick([a.andR(), a.orR(), a.xorR()]),
    (a) => (a.signed ? a.asUnsigned() : a.asSigned()),
    (a) => (a.signed ? a.neg() : undefined),
    () => {
      const t = type();
      const value = t.signed ? BigInt.asIntN(t.width, rng.bits(t.width)) : rng.bits(t.width);
      return m.constant(value, t);
    },
    (a) => {
      const r = m.register(`r${registers++}`, a.type, rng.chance(0.7) ? { reset: 0 } : {});
      if (rng.chance(0.4)) r.next(a, { when: bit() });
      else r.next(a);
      return r;
    },
    () => {
      if (rng.chance(0.3)) m.stage();
      return undefined;
    },
    (a, b) => {
      const index = b.asUnsigned().slice(Math.min(b.width, 2) - 1, 0);
      return select(index.width === 2 ? index : index.zext(2), [a, a.not(), a]);
    },
  ];
  for (let step = 0; step < steps; step++) {
    const y = pick(ops)(pick(pool), pick(pool));
    if (y === undefined) continue;
    if (rng.chance(0.2)) y.named(`n${step}`);
    pool.push(y);
  }
  for (let k = 0; k < 12; k++) m.output(`out${k}`, pool[pool.length - 1 - k * 3]!);
  return m.build();
}

describe('random IR graphs: hls C-simulation gives what the evaluator gives', () => {
  it.each([1, 2, 3])('seed %i', async (seed) => {
    const module = randomModule(seed, 130);
    const rng = new Random(seed + 1000);
    const inputs = module.ports.filter(
      (p) => p.direction === 'input' && !['clk', 'rst', 'in_valid', 'out_ready'].includes(p.name),
    );
    const edges = (w: number) => [0n, (1n << BigInt(w)) - 1n, 1n << BigInt(w - 1), 1n];
    const stimulus = Array.from({ length: 300 }, (_, i) =>
      inputs.map((p) =>
        i < 4 ? edges(p.type.width)[i]! : rng.bits(p.type.width) >> BigInt(rng.below(p.type.width)),
      ),
    );
    const expected = runVectors(module, stimulus);
    const result = await new HlsSimulator().run(
      unitUnderTest(module, []),
      { stimulus, expected },
      {
        workDir: join(tmpdir(), `bitsmith-hls-fuzz-${process.pid}-${seed}`),
        seed: 1,
        bubbles: false,
        vcd: false,
      },
    );
    expect(result.mismatches).toEqual([]);
    expect(result.passed).toBe(300);
  });
});
