import { describe, expect, it } from 'vitest';
import { toNumber } from '../value-number.ts';
import { BITMOD_FP4_CANDIDATES, RAZER_KERNEL_CANDIDATES, RAZER_OCP_CANDIDATES } from './block-presets.ts';
import { dequantizeCodebookGroup, quantizeCodebookGroup } from './codebook-group.ts';

describe('per-group codebook choice (RaZeR SV, BitMoD type)', () => {
  it('picks the RaZeR special value that represents the group best', () => {
    const plus8 = quantizeCodebookGroup([8, 1, -1, 2], RAZER_OCP_CANDIDATES);
    expect(plus8.index).toBe(1); // SV +8, scale 8/8 = 1
    expect(plus8.codes[0]).toBe(0x8);
    const minus5 = quantizeCodebookGroup([-5, 6, 1], RAZER_OCP_CANDIDATES);
    expect(minus5.index).toBe(2); // SV -5 represents -5 exactly at scale 1
    expect(dequantizeCodebookGroup(minus5, RAZER_OCP_CANDIDATES).map(toNumber)).toEqual([-5, 6, 1]);
    const kernel = quantizeCodebookGroup([-5, 6, 1], RAZER_KERNEL_CANDIDATES);
    expect(kernel.index).toBe(2);
    expect(kernel.codes[0]).toBe(0x3); // the kernel layout's SV code
  });

  it('picks the BitMoD type and handles an all-zero group', () => {
    expect(quantizeCodebookGroup([10, 12, -3], BITMOD_FP4_CANDIDATES).index).toBe(0); // er_pos holds +10
    expect(quantizeCodebookGroup([-16, 4, 1], BITMOD_FP4_CANDIDATES).index).toBe(3); // ea_neg holds -16
    expect(quantizeCodebookGroup([0, 0], RAZER_OCP_CANDIDATES)).toEqual({
      index: 0,
      scaleCode: 0,
      codes: [0, 0],
    });
  });
});
