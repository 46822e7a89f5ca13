import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../flows/target.ts';

// One rule for RaZeR special values in every generator that takes them.
const razerUnits = {
  dequant: { format: 'razer_ocp', lanes: 4 },
  mixed_mac: { weight: 'razer' },
  gemv: { weight: 'razer' },
} as const;

describe('RaZeR special values follow one rule everywhere', () => {
  for (const [generator, params] of Object.entries(razerUnits)) {
    it(`${generator}: refuses 0.1 (not a multiple of 0.5), naming the entry`, () => {
      expect(() => resolveTarget(generator, { ...params, specialValues: [0.1, 8, -5, -8] })).toThrow(
        /parameter 'specialValues' = \[0.1,8,-5,-8\] is not allowed: entry 0 \(0.1\) is not a multiple of 0.5/,
      );
    });

    it(`${generator}: refuses 1e300 (outside -64 … 63.5)`, () => {
      expect(() => resolveTarget(generator, { ...params, specialValues: [5, 1e300, -5, -8] })).toThrow(
        /entry 1 \(1e\+300\) is outside -64 … 63.5/,
      );
    });

    it(`${generator}: accepts the ends of the range, -64 and 63.5`, () => {
      expect(
        resolveTarget(generator, { ...params, specialValues: [-64, 63.5, 0.5, -0.5] }).params,
      ).toMatchObject({
        specialValues: [-64, 63.5, 0.5, -0.5],
      });
    });
  }
});
