import { describe, expect, it } from 'vitest';
import { decode, encode } from './codec.ts';
import { convert } from './convert.ts';
import { formatBits, type Format } from './format.ts';
import { formatByName, PRESETS } from './presets.ts';

const EIGHT_BIT = PRESETS.filter((f) => formatBits(f) <= 8 && f.kind === 'float');
const TARGETS: Format[] = [...EIGHT_BIT, formatByName('fp16'), formatByName('bf16'), formatByName('int4')];

describe('convert', () => {
  it('every 8-bit float code into every 8-bit float, fp16, bf16 and int4 equals encode(decode(code))', () => {
    let checked = 0;
    for (const from of EIGHT_BIT) {
      for (const to of TARGETS) {
        for (const policy of [{}, { rounding: 'rtz' }, { rounding: 'rup', overflow: 'saturate' }] as const) {
          for (let code = 0; code < 2 ** formatBits(from); code++) {
            const got = convert(from, to, code, policy);
            const want = encode(to, decode(from, code), policy);
            if (got.code !== want.code || got.flags !== want.flags)
              expect({ from: from.name, to: to.name, code, got }).toEqual({
                from: from.name,
                to: to.name,
                code,
                got: want,
              });
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(90_000);
  });

  it('widening is exact and narrowing rounds once', () => {
    const fp16 = formatByName('fp16');
    const e4m3fn = formatByName('e4m3fn');
    expect(convert(e4m3fn, fp16, 0x7e).code).toBe(0x5f00); // 448
    expect(convert(fp16, e4m3fn, 0x5f40).code).toBe(0x7e); // 464: tie to even 448
    expect(convert(fp16, e4m3fn, 0x5f41, { overflow: 'nan' }).code).toBe(0x7f);
    expect(convert(fp16, e4m3fn, 0x7e01, { nan: 'signed' }).code).toBe(0x7f); // signalling NaN
    expect(convert(fp16, e4m3fn, 0x7e01).flags.invalid).toBe(false);
    expect(convert(fp16, e4m3fn, 0x7c01).flags.invalid).toBe(true);
  });
});
