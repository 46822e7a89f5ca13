// fp_convert's golden model under stochastic rounding (docs/fp_convert.md#stochastic-rounding):
// hand-computed cases at the edges of f + r ≥ 2^R, and the defining property that the result is
// unbiased: over every r, its mean is the value itself when the dropped part fits in R bits.
import { describe, expect, it } from 'vitest';
import {
  decode,
  floatLayout,
  formatByName,
  type ExactValue,
  type FiniteValue,
  type FloatFormat,
} from '../../generators/formats/index.ts';
import { withVariant } from './variant.ts';
import { fpConvertGolden, sourceValue, type FpConvertSpec } from './fp_convert.ts';

const spec = (outFormat: string, stochasticBits: number, inFormat = 'fp32'): FpConvertSpec => ({
  inFormat,
  inWidth: 8,
  outFormat,
  outWidth: 8,
  policy: {},
  inputSubnormals: 'keep',
  nanToInt: 'zero',
  stochasticBits,
});

const INVALID = 0x10;
const UNDERFLOW = 0x02;
const INEXACT = 0x01;
const OVERFLOW = 0x04;

describe('fp_convert golden model: stochastic rounding, by hand', () => {
  // [what, output format, R, fp32 code, r, result code, flag byte]
  const cases: [string, string, number, number, number, number, number][] = [
    // 1 + 2^−4 into e4m3fn (quantum 2^−3): the dropped half quantum is f = 1000b = 8.
    ['a tie, f + r = 15: toward zero', 'e4m3fn', 4, 0x3f880000, 7, 0x38, INEXACT],
    ['a tie, f + r = 16: away', 'e4m3fn', 4, 0x3f880000, 8, 0x39, INEXACT],
    ['negative, away from zero', 'e4m3fn', 4, 0xbf880000, 8, 0xb9, INEXACT],
    // 1 + 2^−4 + 2^−8 + 2^−20: the bits below the top 4 dropped ones are not read.
    ['bits below f ignored, f + r = 15', 'e4m3fn', 4, 0x3f888008, 7, 0x38, INEXACT],
    ['exact: never rounded, whatever r', 'e4m3fn', 4, 0x3fa00000, 15, 0x3a, 0],
    // 2^−10 + 2^−12 into e4m3fn: f at the subnormal quantum 2^−9 is 1010b = 10.
    ['subnormal quantum, f + r = 15: ±0', 'e4m3fn', 4, 0x3aa00000, 5, 0x00, UNDERFLOW | INEXACT],
    ['subnormal quantum, f + r = 16: 2^−9', 'e4m3fn', 4, 0x3aa00000, 6, 0x01, UNDERFLOW | INEXACT],
    // 464 = 448 + 16 into e4m3fn (quantum 32 at the top): away is 480, beyond 448: saturated.
    ['the overflow edge, toward zero', 'e4m3fn', 4, 0x43e80000, 7, 0x7e, INEXACT],
    ['the overflow edge, away: saturated', 'e4m3fn', 4, 0x43e80000, 8, 0x7e, OVERFLOW | INEXACT],
    // 65520 = 65504 + 16 into fp16 (IEEE overflow): toward zero the largest finite, away +Inf.
    ['IEEE overflow, toward zero', 'fp16', 4, 0x477ff000, 7, 0x7bff, INEXACT],
    ['IEEE overflow, away: +Inf', 'fp16', 4, 0x477ff000, 8, 0x7c00, OVERFLOW | INEXACT],
    ['1e38, toward zero: the largest finite, overflow', 'fp16', 4, 0x7e967699, 0, 0x7bff, OVERFLOW | INEXACT],
    ['−0 stays −0', 'fp16', 4, 0x80000000, 15, 0x8000, 0],
    ['NaN: the canonical NaN', 'fp16', 4, 0x7fc00001, 15, 0x7e00, 0],
    ['−Inf into a format without Inf: −max, invalid', 'e4m3fn', 4, 0xff800000, 15, 0xfe, INVALID],
  ];
  it.each(cases)('%s', (_, out, R, code, r, want, flags) => {
    expect(fpConvertGolden(spec(out, R), BigInt(code), BigInt(r))).toEqual({ code: BigInt(want), flags });
  });

  it('the variants disagree where the plan aims at them', () => {
    const s = spec('e4m3fn', 4);
    // f + r = 2^R exactly: away; the strict comparison stays toward zero.
    expect(
      withVariant({ tag: 'fp_convert.stochastic-strict' }, () => fpConvertGolden(s, 0x3f880000n, 8n).code),
    ).toBe(0x38n);
    // f = 1000b, f + r = 2^R − 1, bits below f: jammed into f's last bit they make it 2^R.
    expect(
      withVariant(
        { tag: 'fp_convert.stochastic-sticky-jammed' },
        () => fpConvertGolden(s, 0x3f888008n, 7n).code,
      ),
    ).toBe(0x39n);
    // 2^−10 + 2^−12 measured at its own binade's quantum 2^−13: f = 0100b, 4 + 6 < 16: ±0.
    expect(
      withVariant(
        { tag: 'fp_convert.stochastic-normal-quantum' },
        () => fpConvertGolden(s, 0x3aa00000n, 6n).code,
      ),
    ).toBe(0x00n);
  });

  it('needs the random bits', () => {
    expect(() => fpConvertGolden(spec('e4m3fn', 4), 0x3f880000n)).toThrow(/random bits/);
  });
});

describe('fp_convert golden model: stochastic rounding is unbiased', () => {
  it('fp16 → e4m3fn, R = 8: over all 256 r the mean result is the value (every finite fp16 nonzero below 448 whose dropped part is f exactly)', () => {
    const s = spec('e4m3fn', 8, 'fp16');
    const e4m3 = formatByName('e4m3fn') as FloatFormat;
    let checked = 0;
    for (let code = 0; code < 0x10000; code++) {
      const x = sourceValue(s, BigInt(code));
      // Beyond the largest finite value (448) the result saturates; off the grid f is not all of it.
      if (x.kind !== 'finite' || x.sig === 0n || Math.abs(toNumber(x)) >= 448 || !onGrid(x, e4m3, 8))
        continue;
      let sum = 0;
      for (let r = 0n; r < 256n; r++)
        sum += toNumber(decode(e4m3, Number(fpConvertGolden(s, BigInt(code), r).code)));
      expect(sum / 256, `fp16 code ${code.toString(16)}`).toBe(toNumber(x));
      checked++;
    }
    expect(checked).toBeGreaterThan(20_000);
  });
});

function toNumber(v: ExactValue): number {
  return v.kind === 'finite' ? (v.sign ? -1 : 1) * Number(v.sig) * 2 ** v.exp : NaN;
}

/** Whether x is a multiple of 2^−R of the result's quantum (f is then its whole dropped part). */
function onGrid(x: FiniteValue, format: FloatFormat, R: number): boolean {
  const e = x.sig.toString(2).length - 1 + x.exp;
  return x.exp >= Math.max(e, floatLayout(format).emin) - format.mantBits - R;
}
