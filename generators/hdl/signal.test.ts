import { describe, expect, it } from 'vitest';
import { HdlError } from './errors.ts';
import { ModuleBuilder } from './module.ts';
import { cat, mux, select } from './signal.ts';
import { SInt, UInt } from './types.ts';

const origin = { generator: 'test', params: {} };
const builder = (name = 'dut') => new ModuleBuilder(name, origin);

describe('width and type errors name the signals involved', () => {
  it('rejects add of mixed signedness with both names and types', () => {
    const m = builder();
    const a = m.input('a', SInt(4));
    const b = m.input('b', UInt(4));
    expect(() => a.add(b)).toThrow(/add: .*'a' SInt\(4\).*'b' UInt\(4\)/);
  });

  it('rejects bitwise ops on different widths', () => {
    const m = builder();
    const a = m.input('a', UInt(4));
    const b = m.input('b', UInt(5));
    expect(() => a.and(b)).toThrow(/and: .*'a' UInt\(4\) and 'b' UInt\(5\)/);
  });

  it('rejects slices outside the signal', () => {
    const m = builder();
    const a = m.input('a', UInt(8));
    expect(() => a.slice(8, 0)).toThrow(/slice \[8:0\] of 'a' UInt\(8\)/);
    expect(() => a.slice(2, 3)).toThrow(HdlError);
  });

  it('rejects constants that do not fit', () => {
    const m = builder();
    expect(() => m.constant(8, SInt(4))).toThrow(/constant 8 does not fit SInt\(4\) \(allowed -8 to 7\)/);
    expect(() => m.constant(-1, UInt(4))).toThrow(/does not fit UInt\(4\)/);
  });

  it('rejects a wide mux select and narrowing extensions', () => {
    const m = builder();
    const s = m.input('s', UInt(2));
    const a = m.input('a', UInt(4));
    expect(() => mux(s, a, a)).toThrow(/select 's' UInt\(2\) must be 1 bit/);
    expect(() => a.zext(3)).toThrow(/at least 4 bits/);
  });

  it('rejects widths out of range', () => {
    expect(() => UInt(0)).toThrow(/width 0 is not allowed/);
    expect(() => SInt(1.5)).toThrow(/width 1.5/);
  });

  it('rejects signals of another module', () => {
    const a = builder('one').input('a', UInt(4));
    const b = builder('two').input('b', UInt(4));
    expect(() => a.add(b)).toThrow(/belongs to module 'two'/);
  });

  it('gives the widening rules of the DSL', () => {
    const m = builder();
    const a = m.input('a', SInt(5));
    const b = m.input('b', SInt(3));
    expect(a.add(b).type).toEqual(SInt(6));
    expect(a.mul(b).type).toEqual(SInt(8));
    expect(a.mul(m.input('u', UInt(3))).type).toEqual(SInt(8));
    expect(a.add(b, { width: 4 }).type).toEqual(SInt(4));
    expect(a.lt(b).type).toEqual(UInt(1));
    expect(cat(a, b).type).toEqual(UInt(8));
    expect(a.neg().type).toEqual(SInt(6));
    expect(select(m.input('i', UInt(2)), [a, a, a]).type).toEqual(SInt(5));
  });
});

describe('names', () => {
  it('refuses duplicate, reserved and invalid names', () => {
    const m = builder();
    const a = m.input('a', UInt(4));
    expect(() => m.input('a', UInt(4))).toThrow(/already has a port 'a'/);
    expect(() => m.input('clk', UInt(1))).toThrow(/reserved/);
    expect(() => a.not().named('wire')).toThrow(/not a valid name/);
    expect(() => a.not().named('2x')).toThrow(/not a valid name/);
    // SystemVerilog keywords too: Verilator reads .v files as SystemVerilog.
    expect(() => m.input('rand', UInt(4))).toThrow(/not a valid name.*SystemVerilog keyword/);
    expect(() => a.not().named('logic')).toThrow(/not a valid name/);
    const n = a.not().named('inv');
    expect(n.named('again').label).toBe("'inv' UInt(4)");
    expect(() => a.not().named('inv')).toThrow(/already used/);
  });

  it('requires a next value for every register and an output', () => {
    const m = builder();
    m.register('r', UInt(4));
    m.output('y', m.input('a', UInt(4)));
    expect(() => m.build()).toThrow(/register 'r' .* never gets a next value/);
    expect(() => builder().build()).toThrow(/has no output/);
  });

  it('checks instance connections', () => {
    const child = builder('child');
    child.output('y', child.input('x', UInt(4)).not());
    const c = child.build();
    const m = builder();
    const a = m.input('a', UInt(3));
    expect(() => m.instance(c, 'u0', {})).toThrow(/input 'x' of 'child' is not connected/);
    expect(() => m.instance(c, 'u1', { x: a })).toThrow(/input 'x' is UInt\(4\)/);
    expect(() => m.instance(c, 'u2', { z: a })).toThrow(/has no input 'z'/);
  });
});
