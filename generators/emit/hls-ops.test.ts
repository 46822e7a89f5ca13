import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HlsSimulator } from '../../testbenches/sim/hls.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { Random } from '../../testbenches/vectors/random.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { int, wrap, type OpCase } from '../hdl/op-cases.ts';
import { cat, mux } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';

// bitsmith_ap.h and the emitter, operation by operation at widths beyond one 64-bit word: every case
// is computed by the C-simulation, by the IR evaluator and by integer arithmetic, and all three agree.
// (The narrow cases of op-cases.ts run in every simulator, hls included, in verilog-sim.test.ts.)

const mask = (w: number) => (1n << BigInt(w)) - 1n;
const bits = (v: bigint, w: number) => wrap(v, w);

function wideCases(w: number): OpCase[] {
  const u = UInt(w);
  const s = SInt(w);
  const shift = UInt(w > 511 ? 11 : 9);
  const half = SInt(Math.floor(w / 2) + 3);
  const cases: OpCase[] = [
    {
      name: `add wrap u${w}`,
      types: [u, u],
      build: (a, b) => a.add(b, { width: w }),
      expect: (a, b) => wrap(a + b, w),
    },
    {
      name: `add widen s${w}`,
      types: [s, s],
      build: (a, b) => a.add(b),
      expect: (a, b) => wrap(a + b, w + 1),
    },
    { name: `sub s${w}`, types: [s, s], build: (a, b) => a.sub(b), expect: (a, b) => wrap(a - b, w + 1) },
    {
      name: `sub wrap u${w}`,
      types: [u, u],
      build: (a, b) => a.sub(b, { width: w }),
      expect: (a, b) => wrap(a - b, w),
    },
    { name: `neg s${w}`, types: [s, s], build: (a) => a.neg(), expect: (a) => wrap(-a, w + 1) },
    { name: `mul s${w}`, types: [s, s], build: (a, b) => a.mul(b), expect: (a, b) => wrap(a * b, 2 * w) },
    {
      name: `mul u${w} truncated`,
      types: [u, u],
      build: (a, b) => a.mul(b, { width: w }),
      expect: (a, b) => wrap(a * b, w),
    },
    {
      name: `mul s${w} x ${half.width}`,
      types: [s, half],
      build: (a, b) => a.mul(b),
      expect: (a, b) => wrap(a * b, w + half.width),
    },
    {
      name: `mul mixed s${w} x u9`,
      types: [s, UInt(9)],
      build: (a, b) => a.mul(b),
      expect: (a, b) => wrap(a * b, w + 9),
    },
    {
      name: `logic u${w}`,
      types: [u, u],
      build: (a, b) => a.and(b).or(a.xor(b).not()),
      expect: (a, b) => (a & b) | (~(a ^ b) & mask(w)),
    },
    { name: `shl 1 u${w}`, types: [u, u], build: (a) => a.shl(1), expect: (a) => wrap(a << 1n, w) },
    { name: `shl 64 u${w}`, types: [u, u], build: (a) => a.shl(64), expect: (a) => wrap(a << 64n, w) },
    { name: `shr 63 u${w}`, types: [u, u], build: (a) => a.shr(63), expect: (a) => a >> 63n },
    { name: `sra 65 s${w}`, types: [s, s], build: (a) => a.shr(65), expect: (a) => wrap(a >> 65n, w) },
    {
      name: `shl var u${w}`,
      types: [u, shift],
      build: (a, b) => a.shl(b),
      expect: (a, b) => wrap(a << b, w),
    },
    { name: `shr var u${w}`, types: [u, shift], build: (a, b) => a.shr(b), expect: (a, b) => a >> b },
    {
      name: `sra var s${w}`,
      types: [s, shift],
      build: (a, b) => a.shr(b),
      expect: (a, b) => wrap(a >> b, w),
    },
    {
      name: `compare s${w}`,
      types: [s, s],
      build: (a, b) => cat(a.lt(b), a.le(b), a.gt(b), a.ge(b), a.eq(b), a.ne(b)),
      expect: (a, b) =>
        [a < b, a <= b, a > b, a >= b, a === b, a !== b].reduce((acc, t) => (acc << 1n) | (t ? 1n : 0n), 0n),
    },
    {
      name: `compare u${w}`,
      types: [u, u],
      build: (a, b) => cat(a.lt(b), a.ge(b), a.eq(b)),
      expect: (a, b) => [a < b, a >= b, a === b].reduce((acc, t) => (acc << 1n) | (t ? 1n : 0n), 0n),
    },
    {
      name: `mux s${w}`,
      types: [s, s],
      build: (a, b) => mux(b.bit(0), a, a.not()),
      expect: (a, b) => ((b & 1n) === 1n ? bits(a, w) : bits(-a - 1n, w)),
    },
    {
      name: `concat s${w}`,
      types: [s, u],
      build: (a, b) => cat(b.slice(2, 0), a, b.slice(w - 1, w - 7)),
      expect: (a, b) => ((b & 7n) << BigInt(w + 7)) | (bits(a, w) << 7n) | (b >> BigInt(w - 7)),
    },
    {
      name: `slices u${w}`,
      types: [u, u],
      build: (a) => cat(a.slice(w - 2, 1), a.slice(Math.min(w - 1, 70), 60), a.bit(64)),
      expect: (a) => {
        const hi = Math.min(w - 1, 70);
        const low = (a >> 1n) & mask(w - 2);
        const mid = (a >> 60n) & mask(hi - 59);
        return (((low << BigInt(hi - 59)) | mid) << 1n) | ((a >> 64n) & 1n);
      },
    },
    {
      name: `extend s${w}`,
      types: [s, u],
      build: (a, b) => cat(a.sext(w + 70), b.zext(w + 5)),
      expect: (a, b) => (bits(a, w + 70) << BigInt(w + 5)) | b,
    },
    {
      name: `reductions u${w}`,
      types: [u, u],
      build: (a) => cat(a.andR(), a.orR(), a.xorR()),
      expect: (a) =>
        (a === mask(w) ? 4n : 0n) |
        (a !== 0n ? 2n : 0n) |
        BigInt(a.toString(2).split('1').length % 2 === 0 ? 1 : 0),
    },
    {
      name: `signed view u${w}`,
      types: [u, u],
      build: (a) => a.asSigned().lt(0),
      expect: (a) => (a >> BigInt(w - 1)) & 1n,
    },
  ];
  return cases;
}

// 65..300 bits (one word and a bit, two words exactly, two and a bit, ...) for every case; 512 and
// 1000 bits for a few; 4096 (the widest type) for add and mul.
const CASES: OpCase[] = [
  ...[65, 128, 129, 200, 300].flatMap(wideCases),
  ...[512, 1000].flatMap((w) =>
    wideCases(w).filter((c) => /^(add|mul s|shl var|sra var|compare s|concat|slices)/.test(c.name)),
  ),
  {
    name: 'add u4096',
    types: [UInt(4096), UInt(4096)],
    build: (a, b) => a.add(b, { width: 4096 }),
    expect: (a, b) => wrap(a + b, 4096),
  },
  {
    name: 'mul s2048',
    types: [SInt(2048), SInt(2048)],
    build: (a, b) => a.mul(b),
    expect: (a, b) => wrap(a * b, 4096),
  },
];

describe('HLS C++ at wide widths: C-simulation, evaluator and integers agree', () => {
  const m = new ModuleBuilder('hls_wide_ops', { generator: 'test', params: {} });
  const outputs = CASES.map((c, k) => {
    const y = c.build(m.input(`a${k}`, c.types[0]), m.input(`b${k}`, c.types[1]));
    m.output(`y${k}`, y);
    return y.width;
  });
  const module = m.build();

  const rng = new Random(65);
  const edge = (w: number) => [0n, 1n, mask(w), 1n << BigInt(w - 1), mask(w - 1), mask(w) - 1n];
  const stimulus: bigint[][] = [];
  for (let i = 0; i < 300; i++) {
    stimulus.push(
      CASES.flatMap((c) =>
        c.types.map((t) => {
          if (i < 36) return edge(t.width)[(i + (t === c.types[1] ? Math.floor(i / 6) : 0)) % 6]!;
          // Random values of random magnitude, so that carries, signs and short values all occur.
          return rng.bits(t.width) >> BigInt(rng.below(t.width));
        }),
      ),
    );
  }
  const expected = stimulus.map((row) =>
    CASES.map((c, k) =>
      wrap(c.expect(int(row[2 * k]!, c.types[0]), int(row[2 * k + 1]!, c.types[1])), outputs[k]!),
    ),
  );

  it('the evaluator computes what the integers say (the reference is right)', () => {
    const evaluated = runVectors(module, stimulus);
    const firstWrong = evaluated.findIndex((row, i) => row.some((v, k) => v !== expected[i]![k]));
    const where =
      firstWrong < 0
        ? ''
        : CASES[evaluated[firstWrong]!.findIndex((v, k) => v !== expected[firstWrong]![k])]!.name;
    expect({ firstWrong, where }).toEqual({ firstWrong: -1, where: '' });
  });

  it('in hls C-simulation', async () => {
    const result = await new HlsSimulator().run(
      unitUnderTest(module, []),
      { stimulus, expected },
      { workDir: join(tmpdir(), `bitsmith-hls-wide-${process.pid}`), seed: 1, bubbles: false, vcd: false },
    );
    const ports = module.ports.filter((p) => p.direction === 'output').map((p) => p.name);
    const failing = [...new Set(result.mismatches.map((x) => CASES[ports.indexOf(x.port)]!.name))];
    expect(failing).toEqual([]);
    expect(result.passed).toBe(stimulus.length);
    console.log(`hls wide ops: ${CASES.length} cases, build ${result.buildSeconds.toFixed(2)} s`);
  });
});
