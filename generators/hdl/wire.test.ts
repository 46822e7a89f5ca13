import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireExecutable } from '../../testbenches/sim/executables.ts';
import { lintVerilog } from '../../testbenches/sim/lint.ts';
import { runProcess } from '../../testbenches/sim/run-process.ts';
import { emitVerilog } from '../emit/verilog.ts';
import { MAPPINGS } from '../timing/delay-model.ts';
import { estimateFmax } from '../timing/estimate.ts';
import { timingGraph } from '../timing/timing-graph.ts';
import { Evaluator } from './evaluate.ts';
import type { Module } from './ir.ts';
import { ModuleBuilder } from './module.ts';
import { UInt } from './types.ts';

const origin = (name: string) => ({ generator: 'test', params: { name } });
const sequential = (name: string) => new ModuleBuilder(name, origin(name), { sequential: true });

/** Hands out `limit` items, one per `take`: `avail` (a register) while some are left. */
function producer(echo = false): Module {
  const m = sequential(echo ? 'producer_echo' : 'producer');
  const take = m.input('take', UInt(1));
  const limit = m.input('limit', UInt(4));
  const count = m.register('count_q', UInt(4), { reset: 0 });
  const avail = m.register('avail_q', UInt(1), { reset: 1 });
  const nextCount = count.add(1, { width: 4 }).named('count_next');
  count.next(nextCount, { when: take });
  avail.next(nextCount.lt(limit), { when: take });
  // The echo variant hands `take` straight back: a path from input to output in the same cycle.
  m.output('avail', echo ? avail.and(take.not()).named('avail_now') : avail);
  return m.build();
}

/** Takes an item whenever one is offered and it is ready (in the same cycle), and counts what it took. */
function consumer(): Module {
  const m = sequential('consumer');
  const avail = m.input('avail', UInt(1));
  const ready = m.input('ready', UInt(1));
  const take = avail.and(ready).named('take_now');
  const taken = m.register('taken_q', UInt(8), { reset: 0 });
  taken.next(taken.add(1, { width: 8 }), { when: take });
  m.output('take', take);
  m.output('taken', taken);
  return m.build();
}

/**
 * The blocks feed each other: the producer's `take` is a wire, driven by the consumer's output once
 * the consumer is instanced. The producer's only output is computed before the wire, so the
 * evaluator must give the producer the wire's settled value when it ticks.
 */
function handshake(echo = false): Module {
  const m = sequential(echo ? 'handshake_echo' : 'handshake');
  const limit = m.input('limit', UInt(4));
  const ready = m.input('ready', UInt(1));
  const take = m.wire('take', UInt(1));
  const { avail } = m.instance(producer(echo), 'source', { take, limit });
  const sink = m.instance(consumer(), 'sink', { avail: avail!, ready });
  take.drive(sink.take!);
  m.output('taken', sink.taken!);
  m.output('busy', avail!);
  return m.build();
}

/** What the handshake does, from its description: `limit` items go, one in each ready cycle. */
function expectedTrace(limit: number, ready: number[]): string[] {
  let taken = 0;
  return ready.map((r) => {
    const avail = taken < limit ? 1 : 0;
    const line = `${taken} ${avail}`;
    if (avail && r) taken++;
    return line;
  });
}

describe('forward wires between sequential blocks', () => {
  const module = handshake();
  const ready = Array.from({ length: 24 }, (_, i) => (i % 3 === 1 ? 0 : 1));
  const limit = 9;

  it('the evaluator runs the blocks on the wire it drives after them', () => {
    const ev = new Evaluator(module);
    ev.set('limit', limit);
    ev.reset();
    const trace = ready.map((r) => {
      ev.set('ready', r);
      const line = `${ev.get('taken')} ${ev.get('busy')}`;
      ev.tick();
      return line;
    });
    expect(trace).toEqual(expectedTrace(limit, ready));
    expect(trace.at(-1)).toBe(`${limit} 0`);
  });

  const dir = join(tmpdir(), `bitsmith-wire-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const files = emitVerilog(module).map((f) => {
    writeFileSync(join(dir, f.fileName), f.text);
    return join(dir, f.fileName);
  });

  it('emits the wire under its name, driven by the block that computes it', () => {
    const text = emitVerilog(module).at(-1)!.text;
    expect(text).toMatch(/\.take\(take\)/);
    expect(text).toMatch(/wire\s+take = sink_take;/);
  });

  it('lints clean', async () => {
    expect((await lintVerilog(files, module.name)).messages).toEqual([]);
  });

  it('Icarus runs the same trace', async () => {
    const bench = join(dir, 'tb.v');
    writeFileSync(
      bench,
      [
        '`timescale 1ns/1ps',
        'module tb;',
        '  reg clk = 0, rst = 1, ready = 0;',
        '  wire [7:0] taken;',
        '  wire busy;',
        `  handshake dut (.clk(clk), .rst(rst), .limit(4'd${limit}), .ready(ready), .taken(taken), .busy(busy));`,
        `  reg [${ready.length - 1}:0] pattern = ${ready.length}'b${[...ready].reverse().join('')};`,
        '  integer i;',
        '  initial begin',
        '    #1 clk = 1; #1 clk = 0; #1 clk = 1; #1 clk = 0; rst = 0;',
        `    for (i = 0; i < ${ready.length}; i = i + 1) begin`,
        '      ready = pattern[i]; #1 $display("%0d %0d", taken, busy); clk = 1; #1 clk = 0;',
        '    end',
        '    $finish;',
        '  end',
        'endmodule',
      ].join('\n'),
    );
    const iverilog = await requireExecutable('iverilog', 'iverilog');
    const vvp = await requireExecutable('vvp', 'iverilog');
    const build = await runProcess(iverilog, ['-o', join(dir, 'tb.vvp'), bench, ...files], {
      cwd: dir,
      logPath: join(dir, 'build.log'),
    });
    expect(build.exitCode, build.output).toBe(0);
    const run = await runProcess(vvp, ['-n', join(dir, 'tb.vvp')], {
      cwd: dir,
      logPath: join(dir, 'run.log'),
    });
    const lines = run.output.split('\n').filter((l) => /^\d+ \d+$/.test(l.trim()));
    expect(lines).toEqual(expectedTrace(limit, ready));
  });

  it('times the path that runs from one block through the other and back over the wire', () => {
    const graph = timingGraph(module, MAPPINGS.ecp5);
    const end = graph.endpoints.find((e) => e.name === 'source.count_q (enable)')!;
    const cone: string[] = [];
    const walk = (v: number): void => {
      cone.push(graph.vertices[v]!.name);
      graph.vertices[v]!.args.forEach(walk);
    };
    walk(end.vertex);
    expect(cone).toEqual(['source.take', 'take', 'sink.take_now', 'source.avail_q', 'ready']);
    graph.vertices.forEach((v, i) => v.args.forEach((a) => expect(a).toBeLessThan(i)));
    expect(estimateFmax(module, 'ecp5').mhz).toBeGreaterThan(0);
  });

  it('names the loop when a block answers its input in the same cycle', () => {
    expect(() => handshake(true)).toThrow(
      "module 'handshake_echo': combinational loop 'source.avail' → 'sink.take' → 'take' → 'source.avail'",
    );
  });

  it('refuses a wire outside a sequential module, one never driven, driven twice or with the wrong type', () => {
    const pipeline = new ModuleBuilder('pipe', origin('pipe'));
    expect(() => pipeline.wire('w', UInt(1))).toThrow(/forward wires need a sequential module/);
    const m = sequential('undriven');
    const w = m.wire('w', UInt(4));
    m.output('y', w);
    expect(() => m.build()).toThrow(/wire 'w' in 'undriven' is never driven/);
    const n = sequential('twice');
    const x = n.input('x', UInt(4));
    const v = n.wire('v', UInt(4));
    v.drive(x);
    expect(() => v.drive(x)).toThrow(/wire 'v' is already driven/);
    expect(() => n.wire('u', UInt(2)).drive(x)).toThrow(/wire 'u' is UInt\(2\) but/);
  });
});
