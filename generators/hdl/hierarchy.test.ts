import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulatorsFor } from '../../testbenches/sim/container.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { Random } from '../../testbenches/vectors/random.ts';
import { emitVerilog } from '../emit/verilog.ts';
import { Evaluator, runVectors } from './evaluate.ts';
import { ModuleBuilder, type ModuleOptions } from './module.ts';
import type { Module } from './ir.ts';
import { UInt } from './types.ts';

const origin = (name: string) => ({ generator: 'test', params: { name } });

/** a·b + c over two stages: the product, then the sum. */
function multiplyAdd(options: ModuleOptions): Module {
  const m = new ModuleBuilder(`multiply_add${options.enable ? '_en' : ''}`, origin('multiply_add'), options);
  const product = m
    .input('a', UInt(8))
    .mul(m.input('b', UInt(8)))
    .named('product');
  const c = m.input('c', UInt(16));
  m.stage();
  const sum = product.add(c).named('sum');
  m.stage();
  m.output('s', sum);
  return m.build();
}

/** y = ((x ^ w)·w + z) + d, with the multiply-add instanced in stages 1..3 of 4. */
function parent(options: ModuleOptions, child: Module): Module {
  const m = new ModuleBuilder(`hierarchy_${options.ready ? 'ready' : 'plain'}`, origin('parent'), options);
  const x = m.input('x', UInt(8));
  const w = m.input('w', UInt(8));
  const z = m.input('z', UInt(16));
  const d = m.input('d', UInt(8));
  const mixed = x.xor(w).named('mixed');
  m.stage();
  const { s } = m.instance(child, 'u_mac', { a: mixed, b: w, c: z });
  m.stage();
  m.stage();
  const y = s!.add(d.zext(17)).named('y_sum');
  m.stage();
  m.output('y', y);
  return m.build();
}

const expectedY = ([x, w, z, d]: bigint[]) => [((x! ^ w!) * w! + z! + d!) & ((1n << 18n) - 1n)];

describe('a pipelined module instanced inside a pipelined parent', () => {
  const rng = new Random(7);
  const stimulus = Array.from({ length: 400 }, (_, i) =>
    i < 4 ? [255n, 255n, 65535n, 255n] : [rng.bits(8), rng.bits(8), rng.bits(16), rng.bits(8)],
  );
  const expected = stimulus.map(expectedY);
  const designs = {
    'with backpressure (the child frozen through advance)': parent(
      { ready: true },
      multiplyAdd({ enable: true }),
    ),
    'without backpressure': parent({}, multiplyAdd({})),
  };

  for (const [label, module] of Object.entries(designs)) {
    it(`${label}: the evaluator counts the child's latency, with idle cycles`, () => {
      expect(module.timing).toEqual({ kind: 'pipelined', latency: 4, ready: label.startsWith('with ') });
      expect(runVectors(module, stimulus, { idle: (cycle) => cycle % 5 === 3 })).toEqual(expected);
    });

    const dir = join(tmpdir(), `bitsmith-hierarchy-${process.pid}-${label.split(' ')[0]}`);
    mkdirSync(dir, { recursive: true });
    const files = emitVerilog(module).map((f) => {
      writeFileSync(join(dir, f.fileName), f.text);
      return join(dir, f.fileName);
    });
    it(`${label}: the instance is connected to the parent's valid chain in its input stage`, () => {
      const text = emitVerilog(module).at(-1)!.text;
      expect(text).toMatch(/\.clk\(clk\),\s+\.rst\(rst\),/);
      expect(text).toMatch(/\.in_valid\(valid_s1\)/);
      if (label.startsWith('with ')) expect(text).toMatch(/\.advance\(advance\)/);
      expect(text).toMatch(/\.out_valid\(u_mac_out_valid\)/);
      expect(text).toMatch(/reg  \[7:0\]\s+mixed_s1;/);
    });
    for (const simulator of simulatorsFor('all')) {
      it(`${label}: ${simulator.name} agrees, with stalls and bubbles`, async () => {
        const result = await simulator.run(
          unitUnderTest(module, files),
          { stimulus, expected },
          { workDir: join(dir, simulator.name), seed: 3, bubbles: true, vcd: false },
        );
        expect(result.mismatches).toEqual([]);
        expect(result.passed).toBe(stimulus.length);
      });
    }
  }
});

describe('instances that cannot be placed', () => {
  it('refuses outputs read before the child has produced them', () => {
    const m = new ModuleBuilder('early', origin('early'));
    const { s } = m.instance(multiplyAdd({}), 'u_mac', {
      a: m.input('a', UInt(8)),
      b: m.input('b', UInt(8)),
      c: m.input('c', UInt(16)),
    });
    m.stage();
    m.output('y', s!);
    expect(() => m.build()).toThrow(/outputs come 2 stages after stage 0, after the module's last stage 1/);
  });

  it('refuses a child that a parent with backpressure could not freeze', () => {
    const m = new ModuleBuilder('stalling', origin('stalling'), { ready: true });
    const inputs = { a: m.input('a', UInt(8)), b: m.input('b', UInt(8)), c: m.input('c', UInt(16)) };
    expect(() => m.instance(multiplyAdd({}), 'u_mac', inputs)).toThrow(
      /build 'multiply_add' with the 'enable' option/,
    );
  });

  it('refuses a child with its own valid/ready ports inside a pipeline', () => {
    const child = new ModuleBuilder('ready_child', origin('ready_child'), { ready: true });
    child.output('y', child.input('x', UInt(4)).not());
    child.stage();
    const built = child.build();
    const m = new ModuleBuilder('outer', origin('outer'));
    expect(() => m.instance(built, 'u', { x: m.input('x', UInt(4)) })).toThrow(
      /cannot sit inside a pipeline/,
    );
  });
});

describe('a pipelined module inside a sequential parent', () => {
  it('is a block whose in_valid and out_valid the designer connects and reads', () => {
    const m = new ModuleBuilder('seq_parent', origin('seq_parent'), { sequential: true });
    const go = m.input('go', UInt(1));
    const a = m.input('a', UInt(8));
    const { s, out_valid } = m.instance(multiplyAdd({}), 'u_mac', {
      in_valid: go,
      a,
      b: a,
      c: m.constant(1, UInt(16)),
    });
    m.output('square_plus_one', s!);
    m.output('ready', out_valid!);
    const module = m.build();
    expect(emitVerilog(module).at(-1)!.text).toMatch(/\.in_valid\(go\)/);
    const ev = new Evaluator(module);
    ev.reset();
    ev.set('go', 1n);
    ev.set('a', 12n);
    ev.tick();
    ev.set('go', 0n);
    ev.set('a', 0n);
    expect(ev.get('ready')).toBe(0n);
    ev.tick();
    expect([ev.get('ready'), ev.get('square_plus_one')]).toEqual([1n, 145n]);
    ev.tick();
    expect(ev.get('ready')).toBe(0n);
  });
});
