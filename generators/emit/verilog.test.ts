import { describe, expect, it } from 'vitest';
import { intMac } from '../mac/int_mac.ts';
import { parseParams } from '../generator.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { UInt } from '../hdl/types.ts';
import { emitVerilog } from './verilog.ts';

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
