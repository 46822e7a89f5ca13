import { describe, expect, it } from 'vitest';
import { formatInfo } from './format-info.ts';
import { formatSchema, parseFormat } from './format.ts';
import { ALIASES, formatByName, formatNames, PRESETS } from './presets.ts';
import { toDecimalString } from './value-text.ts';

describe('presets', () => {
  it('has every format the issue names', () => {
    const required =
      'fp32 fp16 bf16 e4m3fn e4m3fnuz e4m3b11fnuz e4m3 e5m2 e5m2fnuz e3m4 e3m2fn e2m3fn e2m1fn e8m0fnu int4 uint4 int8 uint8 nf4 sf4'.split(
        ' ',
      );
    expect(formatNames()).toEqual(expect.arrayContaining(required));
    expect(new Set(formatNames()).size).toBe(PRESETS.length);
  });

  it('every preset is valid format data', () => {
    for (const format of PRESETS) expect(formatSchema.safeParse(format).success, format.name).toBe(true);
    for (const [alias, name] of Object.entries(ALIASES)) expect(formatByName(alias)).toBe(formatByName(name));
  });

  it('an unknown name lists the known ones', () => {
    expect(() => formatByName('e4m4')).toThrow(
      /unknown format 'e4m4'; known formats: fp32, fp16, bf16, .*nf4/,
    );
  });

  it('rejects invalid format data, naming the problem', () => {
    expect(() =>
      parseFormat({
        kind: 'float',
        name: 'x',
        expBits: 4,
        mantBits: 0,
        bias: 7,
        signed: true,
        subnormals: true,
        specials: 'ieee',
      }),
    ).toThrow(/mantBits >= 1/);
    expect(() => parseFormat({ kind: 'codebook', name: 'x', bits: 2, values: [0, 1, 2] })).toThrow(
      /needs 4 values/,
    );
    expect(() => parseFormat({ kind: 'int', name: 'x', bits: 40, signed: true })).toThrow(/bits/);
  });

  it('limits agree with docs/ieee-and-fp8.md#formats', () => {
    const rows: [string, string, string, string][] = [
      [
        'fp32',
        '340282346638528859811704183484516925440',
        '1.1754943508222875079687365372222456778186655567720875215087517062784172594547271728515625e-38',
        '1.40129846432481707092372958328991613128026194187651577175706828388979108268586060148663818836212158203125e-45',
      ],
      ['fp16', '65504', '6.103515625e-05', '5.9604644775390625e-08'],
      ['e4m3fn', '448', '0.015625', '0.001953125'],
      ['e4m3fnuz', '240', '0.0078125', '0.0009765625'],
      ['e5m2', '57344', '6.103515625e-05', '1.52587890625e-05'],
      ['e5m2fnuz', '57344', '3.0517578125e-05', '7.62939453125e-06'],
    ];
    for (const [name, max, minNormal, minSubnormal] of rows) {
      const info = formatInfo(formatByName(name));
      expect([
        toDecimalString(info.max),
        toDecimalString(info.minNormal!),
        toDecimalString(info.smallestPositive),
      ]).toEqual([max, minNormal, minSubnormal]);
    }
    expect(toDecimalString(formatInfo(formatByName('bf16')).max)).toBe(
      '338953138925153547590470800371487866880',
    ); // (2-2^-7)·2^127
  });
});
