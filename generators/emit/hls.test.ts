import { describe, expect, it } from 'vitest';
import { parseParams } from '../generator.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { intMac } from '../mac/int_mac.ts';
import { intMul } from '../mul/int_mul.ts';
import { fileHeader } from './header.ts';
import { emitHls, hlsFunction, literal } from './hls.ts';
import { emitVerilog } from './verilog.ts';

const mac = (raw: Record<string, unknown>) => intMac.build(parseParams(intMac, raw));
const file = (files: { fileName: string; text: string }[], name: string) =>
  files.find((f) => f.fileName === name)!.text;

describe('HLS C++ emitter', () => {
  it('gives byte-identical files for the same parameters, with the Verilog header', () => {
    const raw = { aWidth: 4, bWidth: 4, accWidth: 16, overflow: 'saturate', latency: 3, ready: true };
    const files = emitHls(mac(raw));
    expect(emitHls(mac(raw))).toEqual(files);
    const name = 'int_mac_s4_s4_acc16_sat_l3_rdy';
    expect(files.map((f) => f.fileName)).toEqual(['bitsmith_ap.h', `${name}.h`, `${name}.cpp`]);
    const header = fileHeader(mac(raw), '//').join('\n');
    expect(file(files, `${name}.cpp`).startsWith(header)).toBe(true);
    expect(file(files, `${name}.h`).startsWith(header)).toBe(true);
    expect(emitVerilog(mac(raw))[0]!.text.startsWith(header)).toBe(true);
  });

  it('keeps named intermediates and drops the pipeline registers of the RTL', () => {
    const cpp = file(
      emitHls(mac({ aWidth: 8, bWidth: 8, accWidth: 20, overflow: 'saturate', latency: 3 })),
      'int_mac_s8_s8_acc20_sat_l3.cpp',
    );
    for (const [type, name] of [
      ['ap_int<16>', 'product'],
      ['ap_int<20>', 'addend'],
      ['ap_int<21>', 'sum'],
      ['ap_uint<1>', 'overflowed'],
      ['ap_int<20>', 'sum_sat'],
      ['ap_int<20>', 'acc_next'],
    ]) {
      expect(cpp).toMatch(new RegExp(`^ {4}const ${type} ${name} = `, 'm'));
    }
    expect(cpp.slice(cpp.indexOf(') {'))).not.toMatch(/_s[123]\b|valid|advance|fire/);
    expect(cpp).toMatch(/^ {4}static ap_int<20> acc_q = ap_int<20>\(0\);$/m);
    expect(cpp).toMatch(/^ {4}acc = acc_next;$/m);
    expect(cpp).toMatch(/^ {4}acc_q = acc_next;$/m);
    expect(cpp).toMatch(/^ {4}const ap_int<16> product = a \* b;$/m);
  });

  it('writes the untimed function with the pipeline, latency and interface pragmas', () => {
    const cpp = file(emitHls(mac({ latency: 3, ready: true })), 'int_mac_s8_s8_acc32_wrap_l3_rdy.cpp');
    expect(cpp).toContain(
      [
        'void int_mac_s8_s8_acc32_wrap_l3_rdy(',
        '    ap_uint<1> rst,   // in, reset the state; no vector is taken',
        '    ap_int<8> a,      // in, signed, multiplicand',
        '    ap_int<8> b,      // in, signed, multiplier',
        '    ap_uint<1> clear, // in, start a new sum with this product',
        '    ap_int<32>& acc   // out, signed, accumulator after this vector',
        ') {',
        '    #ifdef __SYNTHESIS__',
        '    #pragma HLS INTERFACE mode=ap_ctrl_chain port=return',
        '    #pragma HLS INTERFACE mode=ap_none port=rst',
        '    #pragma HLS INTERFACE mode=ap_none port=a',
        '    #pragma HLS INTERFACE mode=ap_none port=b',
        '    #pragma HLS INTERFACE mode=ap_none port=clear',
        '    #pragma HLS INTERFACE mode=ap_vld port=acc',
        '    #pragma HLS PIPELINE II=1 style=flp',
        '    #pragma HLS LATENCY min=3 max=3',
        '    #endif',
      ].join('\n'),
    );
    expect(cpp).toContain('    if (rst) {\n        acc_q = ap_int<32>(0);\n        return;\n    }');
    expect(cpp).toContain('#pragma HLS RESET variable=acc_q');
    const noReady = file(emitHls(mac({ latency: 2 })), 'int_mac_s8_s8_acc32_wrap_l2.cpp');
    expect(noReady).toContain('#pragma HLS INTERFACE mode=ap_ctrl_hs port=return');
    expect(noReady).toContain('#pragma HLS LATENCY min=2 max=2');
    const comb = file(emitHls(intMul.build(parseParams(intMul, {}))), 'int_mul_s8_s8_l0.cpp');
    expect(comb).toContain('#pragma HLS INTERFACE mode=ap_ctrl_none port=return');
    expect(comb).toContain('#pragma HLS INTERFACE mode=ap_none port=p');
    expect(comb).toContain('#pragma HLS LATENCY min=0 max=0');
    expect(comb).not.toMatch(/rst|static/);
  });

  it('describes the function for harnesses: arguments in call order, rst first when stateful', () => {
    expect(hlsFunction(mac({ latency: 1 }))).toEqual({
      name: 'int_mac_s8_s8_acc32_wrap_l1',
      header: 'int_mac_s8_s8_acc32_wrap_l1.h',
      resettable: true,
      args: [
        { name: 'rst', port: 'rst', direction: 'input', type: UInt(1), cppType: 'ap_uint<1>' },
        { name: 'a', port: 'a', direction: 'input', type: SInt(8), cppType: 'ap_int<8>' },
        { name: 'b', port: 'b', direction: 'input', type: SInt(8), cppType: 'ap_int<8>' },
        { name: 'clear', port: 'clear', direction: 'input', type: UInt(1), cppType: 'ap_uint<1>' },
        { name: 'acc', port: 'acc', direction: 'output', type: SInt(32), cppType: 'ap_int<32>' },
      ],
    });
    expect(hlsFunction(intMul.build(parseParams(intMul, { latency: 2 }))).resettable).toBe(false);
  });

  // C++ keywords that SystemVerilog does not reserve (names refuse SystemVerilog's).
  it('renames C++ keywords, calls instances as inlined functions, and keeps wide constants static', () => {
    const child = new ModuleBuilder('swap_halves', { generator: 'test', params: {} });
    const x = child.input('template', UInt(80));
    child.output('y', x.slice(39, 0).named('low').zext(80).shl(40).or(x.shr(40)));
    const inv = child.build();
    const top = new ModuleBuilder('swap_twice', { generator: 'test', params: {} });
    const a = top.input('namespace', UInt(80));
    const first = top.instance(inv, 'u_first', { template: a });
    const second = top.instance(inv, 'u_second', {
      template: first.y!.xor(top.constant(2n ** 79n + 1n, UInt(80))),
    });
    top.output('int_', second.y!);
    top.output('unused_free', top.input('delete', UInt(3)).zext(4).named('operator'));
    const files = emitHls(top.build());
    expect(files.map((f) => f.fileName)).toEqual([
      'bitsmith_ap.h',
      'swap_halves.h',
      'swap_halves.cpp',
      'swap_twice.h',
      'swap_twice.cpp',
    ]);
    const childCpp = file(files, 'swap_halves.cpp');
    expect(childCpp).toContain('    ap_uint<80> template_, // in');
    expect(childCpp).toContain('    #pragma HLS INLINE');
    expect(childCpp).not.toContain('INTERFACE');
    const cpp = file(files, 'swap_twice.cpp');
    expect(cpp).toContain('#include "swap_halves.h"');
    expect(cpp).toContain('    ap_uint<80> namespace_,');
    expect(cpp).toContain('    ap_uint<3> delete_,');
    // Named after the instance input it feeds, not after a node number.
    expect(cpp).toContain('    static const ap_uint<80> u_second_template_const = ');
    expect(cpp).toContain('("80000000000000000001", 16);');
    expect(cpp).toMatch(
      /ap_uint<80> u_first_y;\n\s+swap_halves\(namespace_, u_first_y\); {2}\/\/ instance u_first/,
    );
    expect(cpp).toMatch(/const ap_uint<4> operator_ = ap_uint<4>\(delete_\);/);
  });

  it('writes constants in the form the vendor library reads the same way', () => {
    expect(literal(5n, UInt(8))).toBe('ap_uint<8>(5)');
    expect(literal(0xfdn, SInt(8))).toBe('ap_int<8>(-3)');
    expect(literal(2n ** 39n, SInt(40))).toBe('ap_int<40>(0x8000000000ULL)');
    expect(literal(2n ** 31n, UInt(64))).toBe('ap_uint<64>(0x80000000ULL)');
    expect(literal(2n ** 70n, UInt(72))).toBe('ap_uint<72>("400000000000000000", 16)');
    expect(literal(2n ** 71n, SInt(72))).toBe('ap_int<72>(ap_uint<72>("800000000000000000", 16))');
  });
});
