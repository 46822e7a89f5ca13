import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulatorsFor } from '../../testbenches/sim/container.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { Random, cycleCoin } from '../../testbenches/vectors/random.ts';
import { emitVerilog } from '../emit/verilog.ts';
import { timingTag } from '../naming.ts';
import { Evaluator } from './evaluate.ts';
import type { Module } from './ir.ts';
import type { Backpressure } from './lower.ts';
import { ModuleBuilder } from './module.ts';
import { UInt } from './types.ts';

// Valid/ready backpressure through an output skid buffer (ModuleOptions.ready = 'skid'): in_ready and
// every stage's enable come from a register, a result the consumer leaves waits in the buffer, and with
// out_ready high the unit still takes a vector every cycle.

const origin = (name: string) => ({ generator: 'test', params: { name } });
const tag = (ready: Backpressure) => (ready === 'skid' ? 'skid' : ready ? 'rdy' : 'plain');

/** a·b + c over two stages (a child frozen through its advance input under a parent with backpressure). */
function multiplyAdd(enable: boolean): Module {
  const m = new ModuleBuilder(`skid_multiply_add${enable ? '_en' : ''}`, origin('multiply_add'), { enable });
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

/**
 * y = (x ^ w)·w + z + d, the multiply-add instanced in stages 1..3 of 4, and acc = the running sum of y
 * (mod 2^20) in a designer register of the last stage: a register that loaded twice or missed a vector
 * under a stall would show in every later acc.
 */
function pipelinedUnit(ready: Backpressure): Module {
  const m = new ModuleBuilder(`skid_unit_${tag(ready)}`, origin('skid_unit'), { ready });
  const x = m.input('x', UInt(8));
  const w = m.input('w', UInt(8));
  const z = m.input('z', UInt(16));
  const d = m.input('d', UInt(8));
  const mixed = x.xor(w).named('mixed');
  m.stage();
  const { s } = m.instance(multiplyAdd(ready !== false), 'u_mac', { a: mixed, b: w, c: z });
  m.stage();
  m.stage();
  const y = s!.add(d.zext(17)).named('y_sum');
  m.stage();
  const total = m.register('total', UInt(20), { reset: 0 });
  const acc = total.add(y.zext(20), { width: 20 }).named('acc');
  total.next(acc);
  m.output('y', y);
  m.output('acc', acc);
  return m.build();
}

/** acc = the running sum of x (mod 2^12) at latency 0: the state alone makes the unit clocked. */
function latency0Unit(ready: Backpressure): Module {
  const m = new ModuleBuilder(`skid_sum0_${tag(ready)}`, origin('skid_sum0'), { ready });
  const x = m.input('x', UInt(8));
  const total = m.register('total', UInt(12), { reset: 0 });
  const acc = total.add(x.zext(12), { width: 12 }).named('acc');
  total.next(acc);
  m.output('acc', acc);
  return m.build();
}

/** The expected outputs, from the integers: y per vector and the running sums. */
function expectedPipelined(stimulus: bigint[][]): bigint[][] {
  let total = 0n;
  return stimulus.map(([x, w, z, d]) => {
    const y = (x! ^ w!) * w! + z! + d!;
    total = (total + y) % 2n ** 20n;
    return [y, total];
  });
}

function expectedLatency0(stimulus: bigint[][]): bigint[][] {
  let total = 0n;
  return stimulus.map(([x]) => [(total = (total + x!) % 2n ** 12n)]);
}

const designs = [
  {
    label: 'latency 4 with an instance and a designer register',
    build: pipelinedUnit,
    latency: 4,
    stimulus: (rng: Random, n: number) =>
      Array.from({ length: n }, () => [rng.bits(8), rng.bits(8), rng.bits(16), rng.bits(8)]),
    expected: expectedPipelined,
  },
  {
    label: 'latency 0 with a designer register',
    build: latency0Unit,
    latency: 0,
    stimulus: (rng: Random, n: number) => Array.from({ length: n }, () => [rng.bits(8)]),
    expected: expectedLatency0,
  },
];

interface Run {
  /** Results taken (out_valid && out_ready), in the order taken. */
  outputs: bigint[][];
  /** Cycles from the end of reset until the last result was taken. */
  cycles: number;
  /** Protocol errors seen: a dropped or changed result under a stall, in_ready following out_ready. */
  errors: string[];
  /** Results that came after the last expected one, during the drain. */
  extra: number;
}

/**
 * Drive a unit cycle by cycle: vector k offered until accepted (in_valid && in_ready), results taken
 * when out_valid && out_ready. Besides the values, it checks the handshake: a result left by the consumer
 * stays offered, unchanged, in the next cycle; and (registered) in_ready is the same whatever out_ready is
 * in that cycle.
 */
function drive(
  module: Module,
  stimulus: bigint[][],
  options: { idle: (cycle: number) => boolean; stall: (cycle: number) => boolean; registered: boolean },
): Run {
  const ev = new Evaluator(module);
  const inputs = module.ports.filter(
    (p) => p.direction === 'input' && !/^(clk|rst|in_valid|out_ready)$/.test(p.name),
  );
  const outputs = module.ports.filter(
    (p) => p.direction === 'output' && !/^(in_ready|out_valid)$/.test(p.name),
  );
  const hasReady = module.timing.kind === 'pipelined' && module.timing.ready;
  if (hasReady) ev.set('out_ready', 1n);
  ev.reset();
  const run: Run = { outputs: [], cycles: 0, errors: [], extra: 0 };
  let next = 0;
  let left: bigint[] | undefined; // the result the consumer left in the previous cycle
  const limit = stimulus.length * 20 + 100;
  let drain = 0;
  for (let cycle = 0; drain < 40; cycle++) {
    if (cycle > limit) {
      run.errors.push(`only ${run.outputs.length} of ${stimulus.length} results after ${cycle} cycles`);
      break;
    }
    const offer = next < stimulus.length && !options.idle(cycle);
    ev.set('in_valid', offer ? 1n : 0n);
    if (offer) inputs.forEach((p, i) => ev.set(p.name, stimulus[next]![i]!));
    const taking = !hasReady || !options.stall(cycle);
    let inReady = 1n;
    if (hasReady) {
      ev.set('out_ready', 0n);
      const readyIfStalled = ev.get('in_ready');
      ev.set('out_ready', taking ? 1n : 0n);
      inReady = ev.get('in_ready');
      if (options.registered && inReady !== readyIfStalled && run.errors.length < 5)
        run.errors.push(`cycle ${cycle}: in_ready follows out_ready`);
    }
    const valid = ev.get('out_valid') === 1n;
    const result = outputs.map((p) => ev.get(p.name));
    if (left !== undefined && (!valid || result.some((v, i) => v !== left![i])) && run.errors.length < 5)
      run.errors.push(`cycle ${cycle}: a result left by the consumer was dropped or changed`);
    left = valid && !taking ? result : undefined;
    if (valid && taking) {
      if (run.outputs.length < stimulus.length) {
        run.outputs.push(result);
        run.cycles = cycle + 1;
      } else run.extra++;
    }
    ev.tick();
    if (offer && inReady === 1n) next++;
    if (run.outputs.length === stimulus.length) drain++;
  }
  return run;
}

describe('valid/ready through an output skid buffer (evaluator)', () => {
  for (const design of designs) {
    const rng = new Random(11);
    const stimulus = design.stimulus(rng, 600);
    const expected = design.expected(stimulus);

    it(`${design.label}: every result once, in order, under random stalls and bubbles`, () => {
      const module = design.build('skid');
      expect(module.timing).toEqual({ kind: 'pipelined', latency: design.latency, ready: true, skid: true });
      for (const [seed, stallOdds, idleOdds] of [
        [1, 4, 5],
        [2, 2, 9],
        [3, 3, 1000],
      ] as const) {
        const run = drive(module, stimulus, {
          stall: cycleCoin(seed, stallOdds),
          idle: cycleCoin(seed + 100, idleOdds),
          registered: true,
        });
        expect(run.errors).toEqual([]);
        expect(run.extra).toBe(0);
        expect(run.outputs).toEqual(expected);
      }
    });

    it(`${design.label}: one vector per cycle with out_ready high (II = 1), as without the buffer`, () => {
      for (const ready of ['skid', true, false] as const) {
        const run = drive(design.build(ready), stimulus, {
          stall: () => false,
          idle: () => false,
          registered: ready === 'skid',
        });
        expect(run.errors).toEqual([]);
        expect(run.outputs).toEqual(expected);
        // the last result `latency` cycles after the last vector: no bubble anywhere
        expect(run.cycles).toBe(stimulus.length + design.latency);
      }
    });

    it(`${design.label}: after a stall the outputs follow one per cycle again`, () => {
      // out_ready low in one cycle out of 5: every stall costs exactly one cycle, none more
      const stall = (cycle: number) => cycle % 5 === 2;
      const run = drive(design.build('skid'), stimulus, { stall, idle: () => false, registered: true });
      expect(run.errors).toEqual([]);
      expect(run.outputs).toEqual(expected);
      // (the outputs are valid in every cycle from `latency` on, so each of those stalls holds one back)
      const stalls = Array.from({ length: run.cycles }, (_, c) => c >= design.latency && stall(c)).filter(
        Boolean,
      ).length;
      expect(run.cycles).toBe(stimulus.length + design.latency + stalls);
    });
  }

  it('the check of the handshake can fail: with ready = true, in_ready follows out_ready', () => {
    const rng = new Random(5);
    const stimulus = designs[0]!.stimulus(rng, 100);
    const run = drive(pipelinedUnit(true), stimulus, {
      stall: cycleCoin(1, 3),
      idle: () => false,
      registered: true,
    });
    expect(run.errors.some((e) => /in_ready follows out_ready/.test(e))).toBe(true);
  });
});

/** Every register enable, register input, port and instance input that out_ready reaches through logic. */
function outReadyReaches(module: Module): string[] {
  const start = module.nodes.find((n) => n.kind === 'input' && n.port === 'out_ready')!.id;
  const reached = new Set([start]);
  // nodes are in topological order: one pass carries reachability through every operation (an instance
  // output counts as reached when any of its inputs is)
  for (const n of module.nodes) if (n.kind !== 'reg' && n.args.some((a) => reached.has(a))) reached.add(n.id);
  const sinks: string[] = [];
  for (const r of module.registers) {
    if (r.enable !== undefined && reached.has(r.enable)) sinks.push(`enable of ${r.name}`);
    if (reached.has(r.next)) sinks.push(`input of ${r.name}`);
  }
  for (const p of module.ports)
    if (p.driver !== undefined && reached.has(p.driver)) sinks.push(`port ${p.name}`);
  for (const inst of module.instances)
    for (const [port, id] of inst.inputs) if (reached.has(id)) sinks.push(`${inst.name}.${port}`);
  return sinks;
}

describe('the skid buffer in the lowered IR', () => {
  it('in_ready is a register, and out_ready reaches only the inputs of the two buffer state registers', () => {
    for (const module of [pipelinedUnit('skid'), latency0Unit('skid')]) {
      const inReady = module.ports.find((p) => p.name === 'in_ready')!;
      const driver = module.nodes[inReady.driver!]!;
      expect(driver.kind).toBe('reg');
      expect(module.registers[driver.reg!]!.name).toBe('advance');
      expect(outReadyReaches(module).sort()).toEqual(['input of advance', 'input of skid_valid']);
      // every stage register and the child's advance input load on that register
      const advance = inReady.driver!;
      for (const r of module.registers.filter(
        (q) => q.role !== 'state' && !/^(advance|skid_valid)$/.test(q.name),
      ))
        expect([r.name, r.enable]).toEqual([r.name, advance]);
      for (const inst of module.instances) expect(inst.inputs.get('advance')).toBe(advance);
    }
  });

  it('the analysis can fail: with ready = true, out_ready reaches in_ready and every enable', () => {
    const sinks = outReadyReaches(pipelinedUnit(true));
    expect(sinks).toContain('port in_ready');
    expect(sinks).toContain('enable of valid_s4');
    expect(sinks).toContain('u_mac.advance');
  });

  it('costs one register per output bit and two for its state', () => {
    const bits = (m: Module) => m.registers.reduce((sum, r) => sum + r.type.width, 0);
    const outputBits = 18 + 20;
    expect(bits(pipelinedUnit('skid'))).toBe(bits(pipelinedUnit(true)) + outputBits + 2);
  });

  it('writes the buffer as Verilog that reads like the handshake', () => {
    const text = emitVerilog(pipelinedUnit('skid')).at(-1)!.text;
    expect(text).toMatch(/reg\s+advance;/);
    expect(text).toMatch(/reg\s+\[19:0\]\s+skid_acc;/);
    expect(text).toMatch(/wire\s+stall = out_valid & \(~out_ready\);/);
    expect(text).toMatch(/advance <= \(~stall\);/);
    expect(text).toMatch(/skid_valid <= stall;/);
    expect(text).toMatch(/assign in_ready = advance;/);
    expect(text).toMatch(/assign acc = \(advance \? last_acc : skid_acc\);/);
    expect(text).toMatch(/assign out_valid = skid_valid \| valid_s4;/);
    expect(text).toMatch(/\.advance\(advance\)/);
  });

  it('names the style in module names', () => {
    expect([timingTag(3, false), timingTag(3, true), timingTag(3, 'skid')]).toEqual([
      'l3',
      'l3_rdy',
      'l3_skid',
    ]);
  });

  it('refuses what it cannot build', () => {
    const comb = new ModuleBuilder('skid_comb', origin('skid_comb'), { ready: 'skid' });
    comb.output('y', comb.input('x', UInt(4)).not());
    expect(() => comb.build()).toThrow(/valid\/ready backpressure needs stage cuts or registers/);
    const both = new ModuleBuilder('skid_both', origin('skid_both'), { ready: 'skid', enable: true });
    both.output('y', both.input('x', UInt(4)).not());
    both.stage();
    expect(() => both.build()).toThrow(/not both/);
    const stalling = new ModuleBuilder('skid_stalling', origin('skid_stalling'), { ready: 'skid' });
    const inputs = {
      a: stalling.input('a', UInt(8)),
      b: stalling.input('b', UInt(8)),
      c: stalling.input('c', UInt(16)),
    };
    expect(() => stalling.instance(multiplyAdd(false), 'u_mac', inputs)).toThrow(/with the 'enable' option/);
    const outer = new ModuleBuilder('skid_outer', origin('skid_outer'));
    expect(() => outer.instance(pipelinedUnit('skid'), 'u', {})).toThrow(/cannot sit inside a pipeline/);
  });
});

describe('the skid buffer in the simulators, under random backpressure and bubbles', () => {
  for (const design of designs) {
    const module = design.build('skid');
    const rng = new Random(13);
    const stimulus = design.stimulus(rng, 2000);
    const expected = design.expected(stimulus);
    const dir = join(tmpdir(), `bitsmith-skid-${process.pid}-${module.name}`);
    mkdirSync(dir, { recursive: true });
    const files = emitVerilog(module).map((f) => {
      writeFileSync(join(dir, f.fileName), f.text);
      return join(dir, f.fileName);
    });
    // The testbench drops out_ready at random and checks every result's value, order and latency
    // (counted in cycles that are not stalled), and reports missing and extra results.
    for (const simulator of simulatorsFor('all')) {
      it(`${design.label}: ${simulator.name}`, async () => {
        const result = await simulator.run(
          unitUnderTest(module, files),
          { stimulus, expected },
          { workDir: join(dir, simulator.name), seed: 9, bubbles: true, vcd: false },
        );
        expect(result.mismatches).toEqual([]);
        expect([result.passed, result.failed]).toEqual([stimulus.length, 0]);
      });
    }
  }
});
