import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintVerilog } from '../../testbenches/sim/lint.ts';
import { emitVerilog } from '../emit/verilog.ts';
import { Evaluator } from './evaluate.ts';
import { ModuleBuilder } from './module.ts';
import { UInt } from './types.ts';

/** A 16-word buffer: written at waddr when we, read back one cycle after raddr is presented. */
function buffer() {
  const m = new ModuleBuilder('buffer16x8', { generator: 'test', params: {} }, { sequential: true });
  const we = m.input('we', UInt(1));
  const waddr = m.input('waddr', UInt(4));
  const wdata = m.input('wdata', UInt(8));
  const raddr = m.input('raddr', UInt(4));
  const mem = m.memory('words', UInt(8), 16);
  mem.write(waddr, wdata, we);
  const q = m.register('rdata_q', UInt(8));
  q.next(mem.read(raddr));
  const count = m.register('writes_q', UInt(5), { reset: 0 });
  count.next(count.add(1, { width: 5 }), { when: we });
  m.output('rdata', q);
  m.output('writes', count);
  return m.build();
}

describe('memories in sequential modules', () => {
  it('store on the clock edge and read through a register, in the evaluator', () => {
    const ev = new Evaluator(buffer());
    ev.reset();
    for (let i = 0; i < 16; i++) {
      ev.set('we', 1);
      ev.set('waddr', i);
      ev.set('wdata', (i * 37) & 0xff);
      ev.tick();
    }
    ev.set('we', 0);
    expect(ev.get('writes')).toBe(16n);
    for (const i of [3, 15, 0, 7]) {
      ev.set('raddr', i);
      ev.tick();
      expect(ev.get('rdata')).toBe(BigInt((i * 37) & 0xff));
    }
  });

  it('emit as a reg array with one write block: lint clean', async () => {
    const [file] = emitVerilog(buffer());
    expect(file!.text).toContain('reg  [7:0]    words [0:15];');
    expect(file!.text).toContain('if (we) words[waddr] <= wdata;');
    expect(file!.text).toContain('rdata_q <= words[raddr];');
    expect(file!.text).not.toContain('in_valid');
    const dir = mkdtempSync(join(tmpdir(), 'bitsmith-mem-'));
    writeFileSync(join(dir, file!.fileName), file!.text);
    const lint = await lintVerilog([join(dir, file!.fileName)], 'buffer16x8');
    expect(lint.messages).toEqual([]);
  });

  it('refuse what would be wrong: a pipelined module, a narrow address, a second write port', () => {
    const pipelined = new ModuleBuilder('p', { generator: 'test', params: {} });
    expect(() => pipelined.memory('m', UInt(8), 4)).toThrow(/sequential module/);
    const m = new ModuleBuilder('s', { generator: 'test', params: {} }, { sequential: true });
    const mem = m.memory('m', UInt(8), 16);
    const a3 = m.input('a3', UInt(3));
    const a4 = m.input('a4', UInt(4));
    const d = m.input('d', UInt(8));
    const we = m.input('we', UInt(1));
    expect(() => mem.read(a3)).toThrow(/16 words takes 4-bit addresses/);
    mem.write(a4, d, we);
    expect(() => mem.write(a4, d, we)).toThrow(/already has its write port/);
    expect(() => m.stage()).not.toThrow();
    m.output('q', mem.read(a4));
    expect(() => m.build()).toThrow(/no stage cuts/);
  });
});
