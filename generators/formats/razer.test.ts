// RaZeR layouts against docs/razer.md#kernel-layout: the decode table and the kernel's fp42float_v4
// bit trick.

import { describe, expect, it } from 'vitest';
import { decode, encodeNumber } from './codec.ts';
import { formatByName } from './presets.ts';
import { RAZER_SPECIAL_VALUES, razerFormats } from './razer.ts';
import { toNumber } from './value-number.ts';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const SV_FP32 = [0x40a00000, 0x41000000, 0xc0a00000, 0xc1000000];

/** The v1 kernel's conversion, transcribed from docs/razer.md#kernel-layout (FP32 bit patterns). */
function fp42float(x: number, mod: number): number {
  const sign = (x << 31) >>> 0;
  const em = x & 0xe;
  let bits = (sign | ((0x1f8 + em) << 21)) >>> 0;
  bits = bits === 0xbf400000 ? SV_FP32[mod]! : bits;
  bits = bits === 0x3f400000 ? 0 : bits;
  u32[0] = bits;
  return f32[0]!;
}

describe('RaZeR', () => {
  it('kernel layout decodes as docs/razer.md#kernel-layout tabulates it', () => {
    const table = [0.5, -0.5, 0, 'SV', 1, -1, 1.5, -1.5, 2, -2, 3, -3, 4, -4, 6, -6];
    razerFormats('kernel').forEach((format, mod) => {
      const decoded = Array.from({ length: 16 }, (_, c) => toNumber(decode(format, c)));
      expect(decoded).toEqual(table.map((v) => (v === 'SV' ? RAZER_SPECIAL_VALUES[mod] : v)));
    });
  });

  it('kernel layout equals the kernel’s bit trick for every code and mod', () => {
    razerFormats('kernel').forEach((format, mod) => {
      for (let code = 0; code < 16; code++) expect(toNumber(decode(format, code))).toBe(fp42float(code, mod));
    });
  });

  it('the kernel packer map_to_fp4int is the kernel layout’s encoder', () => {
    const [sv0] = razerFormats('kernel');
    const packed: [number, number][] = [
      [0.5, 0],
      [-0.5, 1],
      [0, 2],
      [1, 4],
      [1.5, 6],
      [2, 8],
      [3, 10],
      [4, 12],
      [6, 14],
      [-1, 5],
      [-6, 15],
      [5, 3],
    ];
    for (const [value, code] of packed) expect(encodeNumber(sv0!, value).code).toBe(code);
  });

  it('OCP layout is E2M1 with the SV on the -0 code 0x8', () => {
    const e2m1 = formatByName('e2m1fn');
    razerFormats('ocp').forEach((format, mod) => {
      for (let code = 0; code < 16; code++) {
        const expected = code === 8 ? RAZER_SPECIAL_VALUES[mod] : toNumber(decode(e2m1, code));
        expect(toNumber(decode(format, code))).toBe(expected);
      }
    });
  });
});
