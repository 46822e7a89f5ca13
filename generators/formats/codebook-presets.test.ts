import { describe, expect, it } from 'vitest';
import { decode, encode, encodeNumber } from './codec.ts';
import { NF4_VALUES } from './codebook-presets.ts';
import { formatBits, type CodebookFormat } from './format.ts';
import { formatByName, PRESETS } from './presets.ts';
import { fromNumber, toNumber } from './value-number.ts';

const CODEBOOKS = PRESETS.filter((f): f is CodebookFormat => f.kind === 'codebook');

function values(name: string): number[] {
  const format = formatByName(name);
  return Array.from({ length: 2 ** formatBits(format) }, (_, c) => toNumber(decode(format, c)));
}

describe('codebook presets', () => {
  it('NF4 constants are float32 values (bitsandbytes keeps them in float32)', () => {
    expect(NF4_VALUES.every((v) => Math.fround(v) === v)).toBe(true);
    expect(values('nf4')[8]).toBe(Math.fround(0.07958029955625534));
  });

  it('fp16 tables hold the nearest fp16 of each constant', () => {
    const fp16 = formatByName('fp16');
    const nf4 = values('nf4');
    values('nf4_fp16').forEach((v, i) => {
      expect(v).toBe(toNumber(decode(fp16, encode(fp16, fromNumber(nf4[i]!)).code)));
      expect(Math.abs(v - nf4[i]!)).toBeLessThanOrEqual(2 ** -12); // half an ulp of [0.5, 1)
    });
  });

  it('supernormal E2M1 variants put their extra value on the -0 code 0x8 (docs/codebooks.md#supernormal-e2m1)', () => {
    const e2m1 = values('e2m1fn');
    for (const [name, extra] of [
      ['fp4_range', 8],
      ['fp4_prec2', 5],
      ['fp4_prec1', 2.5],
    ] as const) {
      const v = values(name);
      expect(v[8]).toBe(extra);
      expect(v.filter((_, c) => c !== 8)).toEqual(e2m1.filter((_, c) => c !== 8));
    }
  });

  it('APoT4 holds the 15 values of llm-datatypes APOT4 as float32, sign-magnitude (docs/codebooks.md#apot4)', () => {
    const apot4 = values('apot4');
    const listed = [-1.0, -0.8, -0.6, -0.4, -0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0].map(
      Math.fround,
    );
    expect([...new Set(apot4)].sort((x, y) => x - y)).toEqual(listed);
    expect(apot4.slice(0, 8)).toEqual(listed.slice(7));
    expect(apot4.slice(9)).toEqual(listed.slice(8).map((v) => -v));
    expect(Object.is(apot4[8], -0)).toBe(true);
  });

  it('BitMoD types are the value sets of docs/bitmod.md#data-types in integer units', () => {
    const set = (name: string) =>
      [...new Set(values(name).map((v) => (Object.is(v, -0) ? 0 : v)))].sort((a, b) => a - b);
    const fp4 = [-12, -8, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6, 8, 12];
    expect(set('bitmod_fp4')).toEqual(fp4);
    expect(set('bitmod_fp4_er_pos')).toEqual([...fp4, 10].sort((a, b) => a - b));
    expect(set('bitmod_fp4_ea_neg')).toEqual([-16, ...fp4]);
    expect(set('bitmod_fp3')).toEqual([-4, -2, -1, 0, 1, 2, 4]);
    expect(set('bitmod_fp3_er_neg')).toEqual([-4, -3, -2, -1, 0, 1, 2, 4]);
    expect(set('bitmod_fp3_ea_pos')).toEqual([-4, -2, -1, 0, 1, 2, 4, 6]);
    expect(set('bitmod_int4')).toEqual([-8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7]); // -8 decodes, never encoded
  });

  it.each(CODEBOOKS.map((f) => [f.name, f] as const))(
    '%s: encoding picks a nearest value (brute force)',
    (_, format) => {
      const table = values(format.name).filter(Number.isFinite);
      for (let i = 0; i < 400; i++) {
        const x = Math.sin(i * 12.9898) * 1.2 * Math.max(...table.map(Math.abs));
        const got = toNumber(decode(format, encodeNumber(format, x).code));
        const best = Math.min(...table.map((v) => Math.abs(v - x)));
        expect(Math.abs(got - x)).toBe(best);
        expect(encode(format, fromNumber(x)).code).toBe(encodeNumber(format, x).code);
      }
    },
  );

  it('codebook ties: RNE generalised, and ties toward -inf (rnd) as research quantizers do', () => {
    const nf4 = formatByName('nf4');
    const mid = (NF4_VALUES[9]! + NF4_VALUES[10]!) / 2;
    expect(encodeNumber(nf4, mid, { rounding: 'rnd' }).code).toBe(9);
    expect(encodeNumber(nf4, -mid, { rounding: 'rnd' }).code).toBe(15 - 10 + 0); // -v10 < -v9: code 5 is lower
    const prec2 = formatByName('fp4_prec2');
    expect(encodeNumber(prec2, 4.5).code).toBe(0x6); // 4 (more trailing zeros) over the supernormal 5
    expect(encodeNumber(prec2, 5.5).code).toBe(0x7); // 6 over 5
    expect(encodeNumber(prec2, 4.5, { rounding: 'rna' }).code).toBe(0x8);
  });
});
