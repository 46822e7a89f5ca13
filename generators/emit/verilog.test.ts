import { describe, expect, it } from 'vitest';
import { intMac } from '../mac/int_mac.ts';
import { parseParams } from '../generator.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { cat } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { emitVerilog, wrapLine } from './verilog.ts';

const mac = (raw: Record<string, unknown>) => intMac.build(parseParams(intMac, raw));

describe('Verilog emitter', () => {
  it('gives byte-identical files for the same parameters', () => {
    const raw = { aWidth: 4, bWidth: 4, accWidth: 16, overflow: 'saturate', latency: 3, ready: true };
    expect(emitVerilog(mac(raw))).toEqual(emitVerilog(mac(raw)));
  });

  it('keeps named intermediates, names the module and file after the parameters, and records them', () => {
    const [file] = emitVerilog(mac({ aWidth: 4, bWidth: 4, accWidth: 16, overflow: 'saturate', latency: 1 }));
    expect(file!.fileName).toBe('int_mac_s4_s4_acc16_sat_l1.v');
    expect(file!.text).toMatch(/^module int_mac_s4_s4_acc16_sat_l1 \(/m);
    for (const name of ['product', 'addend', 'sum', 'overflowed', 'sum_sat', 'acc_next']) {
      expect(file!.text).toMatch(new RegExp(`^\\s+wire \\[?[0-9:]*\\]?\\s+${name} = `, 'm'));
    }
    expect(file!.text).toMatch(
      /parameters: aWidth=4, bWidth=4, aSigned=true, bSigned=true, accWidth=16, overflow=saturate/,
    );
    expect(file!.text).toMatch(/^`default_nettype none$/m);
    expect(file!.text.endsWith('\n')).toBe(true);
  });

  it('names pipeline registers after the value and stage, with no anonymous copies', () => {
    const [file] = emitVerilog(mac({ aWidth: 8, bWidth: 8, accWidth: 32, latency: 3 }));
    expect(file!.text).toMatch(/reg  \[7:0\]\s+a_s1;/);
    expect(file!.text).toMatch(/reg  \[15:0\]\s+product_s2;/);
    expect(file!.text).toMatch(/clear_s2 <= clear_s1;/);
    expect(file!.text).not.toMatch(/assign \w+ = \w+_s\d;\s*\n\s*assign \w+ = \w+;/);
  });

  it('emits one file per module with shared sub-modules once', () => {
    const child = new ModuleBuilder('inverter4', { generator: 'test', params: {} });
    child.output('y', child.input('x', UInt(4)).not());
    const inv = child.build();
    const top = new ModuleBuilder('two_inverters', { generator: 'test', params: {} });
    const a = top.input('a', UInt(4));
    const first = top.instance(inv, 'u_first', { x: a });
    const second = top.instance(inv, 'u_second', { x: first.y! });
    top.output('y', second.y!);
    const files = emitVerilog(top.build());
    expect(files.map((f) => f.fileName)).toEqual(['inverter4.v', 'two_inverters.v']);
    expect(files[1]!.text).toMatch(
      /inverter4 u_second \(\n\s+\.x\(u_first_y\),\n\s+\.y\(u_second_y\)\n\s+\);/,
    );
  });
});

describe('names and layout of the text', () => {
  const build = (make: (m: ModuleBuilder) => void, latency = 0) => {
    const m = new ModuleBuilder('naming', { generator: 'test', params: {} });
    make(m);
    for (let s = 0; s < latency; s++) m.stage();
    return emitVerilog(m.build()).at(-1)!.text;
  };

  it('names an unnamed value after the value it feeds, never after a node number', () => {
    const text = build((m) => {
      const a = m.input('a', UInt(8));
      const b = m.input('b', UInt(8));
      const wide = a.zext(9).add(b.zext(9));
      m.stage();
      m.output('sum', wide.add(a.zext(9)).named('sum'));
    });
    expect(text).toMatch(/reg  \[9:0\]\s+sum_add_s1;/);
    expect(text).toMatch(/wire \[9:0\]\s+sum_add = /);
    expect(text).not.toMatch(/\b(t|add|zext|concat)_?\d+\b/);
  });

  it('names a staged instance output <instance>_<port>_s<k>', () => {
    const child = new ModuleBuilder('inverter8', { generator: 'test', params: {} });
    child.output('y', child.input('x', UInt(8)).not());
    const inv = child.build();
    const text = build((m) => {
      const { y } = m.instance(inv, 'u_inv', { x: m.input('a', UInt(8)) });
      m.stage();
      m.output('z', y!);
    });
    expect(text).toMatch(/reg  \[7:0\]\s+u_inv_y_s1;/);
  });

  it('writes negative constants of signed values with their sign', () => {
    const text = build((m) => {
      const e = m.input('e', SInt(6));
      m.output('low', e.le(m.constant(-1, SInt(6))).named('low'));
      m.output('high', e.gt(m.constant(5, SInt(6))).named('high'));
    });
    expect(text).toContain("low = $signed(e) <= -6'sd1;");
    expect(text).toContain("high = $signed(e) > 6'sd5;");
  });

  it('breaks long expressions into named wires and replicates repeated bits', () => {
    const text = build((m) => {
      const bits = Array.from({ length: 24 }, (_, i) => m.input(`in${i}`, UInt(1)));
      const any = bits.reduce((acc, b) => acc.or(b));
      const x = m.input('x', UInt(1));
      m.output('y', any.named('any'));
      m.output('mask', cat(...Array.from({ length: 16 }, () => x), any).named('mask'));
    });
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(160);
    const expression = /wire\s+any = (.*);/.exec(text)![1]!;
    expect(expression.length).toBeLessThanOrEqual(120);
    expect(text).toContain('{{16{x}}, any}');
  });

  it('wraps a line longer than 160 characters at spaces, comments as comments', () => {
    const code = `    wire [99:0] w = {${Array.from({ length: 40 }, (_, i) => `name${i}`).join(', ')}}; // signed`;
    const wrapped = wrapLine(code);
    expect(wrapped.length).toBeGreaterThan(1);
    expect(wrapped.join(' ').replace(/\s+/g, ' ')).toBe(code.replace(/\s+/g, ' '));
    for (const line of wrapped) expect(line.length).toBeLessThanOrEqual(160);
    const comment = `// parameters: ${'a=1, '.repeat(50)}`;
    expect(wrapLine(comment).every((line) => line.startsWith('//'))).toBe(true);
  });
});

describe('module names', () => {
  it('refuses two different modules under one name', () => {
    const make = (bits: number) => {
      const b = new ModuleBuilder('leaf', { generator: 'test', params: { bits } });
      b.output('y', b.input('x', UInt(bits)).not());
      return b.build();
    };
    const top = new ModuleBuilder('top', { generator: 'test', params: {} });
    const x = top.input('x', UInt(4));
    top.output('y', top.instance(make(4), 'u0', { x }).y!);
    top.output('z', top.instance(make(5), 'u1', { x: top.input('w', UInt(5)) }).y!);
    expect(() => emitVerilog(top.build())).toThrow(/two different modules are both named 'leaf'/);
  });
});
