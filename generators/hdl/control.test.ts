import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintVerilog } from '../../testbenches/sim/lint.ts';
import { emitVerilog } from '../emit/verilog.ts';
import { Evaluator } from './evaluate.ts';
import { ModuleBuilder, type ModuleOptions } from './module.ts';
import { UInt } from './types.ts';

const origin = { generator: 'test', params: {} };
const sequential = (name: string, options: ModuleOptions = { sequential: true }) =>
  new ModuleBuilder(name, origin, options);

describe('when / elsewhen / otherwise', () => {
  // A counter: clear beats load beats count; nothing happens without a command.
  const m = sequential('counter');
  const clear = m.input('clear', UInt(1));
  const load = m.input('load', UInt(1));
  const count = m.input('count', UInt(1));
  const value = m.input('value', UInt(8));
  const n = m.register('n', UInt(8), { reset: 0 });
  m.when(clear, () => n.set(0))
    .elsewhen(load, () => n.set(value))
    .elsewhen(count, () => n.set(n.add(1, { width: 8 })));
  m.output('q', n);
  const module = m.build();

  it('takes the first branch whose condition holds, and holds the register when none does', () => {
    const ev = new Evaluator(module);
    ev.reset();
    const step = (c: number, l: number, k: number, v = 0) => {
      ev.set('clear', c);
      ev.set('load', l);
      ev.set('count', k);
      ev.set('value', v);
      ev.tick();
      return ev.get('q');
    };
    expect(step(0, 1, 1, 40)).toBe(40n); // load beats count
    expect(step(0, 0, 1)).toBe(41n);
    expect(step(0, 0, 0)).toBe(41n); // no command: hold
    expect(step(1, 1, 1, 7)).toBe(0n); // clear beats everything
    expect(step(0, 0, 1)).toBe(1n);
  });

  it('loads only when a branch is taken (the register gets a load condition, not a feedback mux)', () => {
    const reg = module.registers.find((r) => r.name === 'n')!;
    expect(reg.enable).toBeDefined();
  });
});

describe('the last assignment that happens wins', () => {
  it('lets a later, nested assignment override an unconditional one', () => {
    const m = sequential('override');
    const a = m.input('a', UInt(1));
    const b = m.input('b', UInt(1));
    const r = m.register('r', UInt(4), { reset: 0 });
    r.set(1);
    m.when(a, () => {
      r.set(2);
      m.when(b, () => r.set(3));
    });
    m.output('q', r);
    const ev = new Evaluator(m.build());
    ev.reset();
    const cases: [number, number, bigint][] = [
      [0, 0, 1n],
      [0, 1, 1n],
      [1, 0, 2n],
      [1, 1, 3n],
    ];
    for (const [x, y, q] of cases) {
      ev.set('a', x);
      ev.set('b', y);
      ev.tick();
      expect(ev.get('q')).toBe(q);
    }
  });

  it('refuses next and set on one register, and a stage cut inside a when', () => {
    const m = sequential('both');
    const r = m.register('r', UInt(2));
    r.next(m.input('x', UInt(2)));
    expect(() => r.set(1)).toThrow(/use either next or set/);
    const p = new ModuleBuilder('cut', origin);
    expect(() => p.when(p.input('c', UInt(1)), () => p.stage())).toThrow(/no stage cut inside a when/);
  });
});

describe('switch, enum and fsm', () => {
  // A handshake controller: idle → run on start, run counts down `len` beats, then done for one cycle.
  const m = sequential('handshake_fsm');
  const start = m.input('start', UInt(1));
  const len = m.input('len', UInt(4));
  const fsm = m.fsm('state', ['idle', 'run', 'done'] as const);
  const left = m.register('left', UInt(4), { reset: 0 });
  m.switch(fsm.state)
    .is(fsm.states.value('idle'), () =>
      m.when(start, () => {
        left.set(len);
        fsm.goto('run');
      }),
    )
    .is(fsm.states.value('run'), () => {
      left.set(left.sub(1, { width: 4 }));
      m.when(left.eq(1), () => fsm.goto('done'));
    })
    .default(() => fsm.goto('idle'));
  m.output('busy', fsm.is('run'));
  m.output('finished', fsm.is('done'));
  const module = m.build();
  const text = emitVerilog(module).at(-1)!.text;

  it('runs the machine: start, len busy cycles, one done cycle, back to idle', () => {
    const ev = new Evaluator(module);
    ev.reset();
    ev.set('start', 1);
    ev.set('len', 3);
    ev.tick();
    ev.set('start', 0);
    const trace: string[] = [];
    for (let i = 0; i < 6; i++) {
      trace.push(`${ev.get('busy')}${ev.get('finished')}`);
      ev.tick();
    }
    expect(trace).toEqual(['10', '10', '10', '01', '00', '00']);
  });

  it('declares the states as named constants and tests the state by name', () => {
    expect(text).toMatch(/localparam \[1:0\]\s+STATE_IDLE = 2'd0;/);
    expect(text).toMatch(/localparam \[1:0\]\s+STATE_DONE = 2'd2;/);
    expect(text).toMatch(/state_is_run = state == STATE_RUN;/);
  });

  it('marks the state registers as state, for back ends that drop timing', () => {
    expect(module.registers.map((r) => [r.name, r.role])).toEqual([
      ['state', 'state'],
      ['left', 'state'],
    ]);
  });

  it('lints clean', async () => {
    const dir = join(tmpdir(), `bitsmith-control-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const files = emitVerilog(module).map((f) => {
      writeFileSync(join(dir, f.fileName), f.text);
      return join(dir, f.fileName);
    });
    const lint = await lintVerilog(files, module.name);
    expect(lint.messages).toEqual([]);
  });

  it('names the bad member or reset state', () => {
    expect(() => fsm.states.value('stop' as 'idle')).toThrow(/no member 'stop' \(members: idle, run, done\)/);
    expect(() => sequential('bad').fsm('s', ['a', 'b'] as const, { reset: 'c' as 'a' })).toThrow(
      /reset state 'c' is not one of a, b/,
    );
  });
});

describe('register roles', () => {
  it('tells the designer state from the pipeline copies and the valid chain', () => {
    const m = new ModuleBuilder('roles', origin);
    const x = m.input('x', UInt(8));
    const total = m.register('total', UInt(8), { reset: 0 });
    m.stage();
    total.next(total.add(x, { width: 8 }));
    m.stage();
    m.output('y', total);
    const roles = Object.fromEntries(m.build().registers.map((r) => [r.name, r.role]));
    expect(roles).toMatchObject({ total: 'state', x_s1: 'pipeline', valid_s1: 'valid', valid_s2: 'valid' });
  });
});
