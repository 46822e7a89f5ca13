import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode } from '../codec.ts';
import { formatByName } from '../presets.ts';
import { toNumber } from '../value-number.ts';
import { dequantizeIntGroup, quantizeGroupwiseInt } from './groupwise-int.ts';

const fp16 = formatByName('fp16');

describe('group-wise INT4 with FP16 scale and zero point (docs/w4a16.md#asymmetric-quantization)', () => {
  it('follows the AWQ formulas on a worked example', () => {
    const [group] = quantizeGroupwiseInt([-1, 2, 0, 0.5], { groupSize: 4 });
    expect(group!.scaleCode).toBe(0x3266); // fp16(3/15) = 0.199951171875
    const s = toNumber(decode(fp16, group!.scaleCode));
    expect(group!.zero).toBe(5); // -round(-1/s) = -round(-5.0012)
    expect(group!.codes).toEqual([0, 15, 5, 8]); // round(w/s) + 5: -5, 10, 0, 2.5 -> 2 (RNE)
    expect(dequantizeIntGroup(group!).map(toNumber)).toEqual([-5, 10, 0, 3].map((n) => n * s));
  });

  it('splits into groups and keeps the error within half a step where nothing clamps', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (values) => {
          const groups = quantizeGroupwiseInt(values);
          expect(groups).toHaveLength(Math.ceil(values.length / 128));
          groups.forEach((g, gi) => {
            const s = toNumber(decode(fp16, g.scaleCode));
            const back = dequantizeIntGroup(g).map(toNumber);
            g.codes.forEach((q, i) => {
              expect(q >= 0 && q <= 15).toBe(true);
              if (q > 0 && q < 15)
                expect(Math.abs(back[i]! - values[gi * 128 + i]!)).toBeLessThanOrEqual(s / 2 + 1e-12);
            });
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('uses the 1e-5 floor for a constant group', () => {
    const [group] = quantizeGroupwiseInt([0.25, 0.25]);
    expect(toNumber(decode(fp16, group!.scaleCode))).toBe(toNumber(decode(fp16, 0x000b))); // fp16(1e-5/15)
  });
});
