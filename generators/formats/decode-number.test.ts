import { describe, expect, it } from 'vitest';
import { decode } from './codec.ts';
import { decodeNumber, decodeTable } from './decode-number.ts';
import { formatBits } from './format.ts';
import { formatByName, PRESETS } from './presets.ts';
import { toNumber } from './value-number.ts';

describe('decodeNumber', () => {
  it.each(PRESETS.filter((f) => formatBits(f) <= 16).map((f) => [f.name, f] as const))(
    '%s: every code equals the exact decode',
    (_, format) => {
      expect(decodeTable(format)).toBeDefined();
      const differing: number[] = [];
      for (let code = 0; code < 2 ** formatBits(format); code++) {
        if (!Object.is(decodeNumber(format, code), toNumber(decode(format, code)))) differing.push(code);
      }
      expect(differing).toEqual([]);
    },
  );

  it('reinterprets fp32 bits and rejects foreign codes', () => {
    const fp32 = formatByName('fp32');
    for (const code of [0x00000001, 0x3f800000, 0x80000000, 0x7f7fffff, 0xff800000, 0x12345678]) {
      expect(Object.is(decodeNumber(fp32, code), toNumber(decode(fp32, code)))).toBe(true);
    }
    expect(() => decodeNumber(formatByName('e4m3fn'), 256)).toThrow(/not a code of e4m3fn/);
  });
});
