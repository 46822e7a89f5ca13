// RaZeR (docs/razer.md): E2M1 whose redundant -0 code stands for a per-group special value (SV), picked by
// a 2-bit group index from a small set. Two code layouts: the OCP one (the -0 code 0x8 holds the SV) and
// the v1 GEMV kernel's own (docs/razer.md#kernel-layout: bit 0 = sign, bits 3:1 = magnitude index;
// 0x2 = +0, 0x3 = the SV).

import { parseFormat, type CodebookFormat } from './format.ts';
import { e2m1WithNegativeZeroAs } from './codebook-presets.ts';

/** The evaluated SV set in E2M1 units, indexed by the group metadata `mod` (+5, +8, -5, -8). */
export const RAZER_SPECIAL_VALUES: readonly number[] = [5, 8, -5, -8];

export type RazerLayout = 'ocp' | 'kernel';

/** The kernel's magnitude order for index k = 0..7: 0.5, zero slot, 1, 1.5, 2, 3, 4, 6. */
const KERNEL_MAGNITUDES: readonly (number | 'zero')[] = [0.5, 'zero', 1, 1.5, 2, 3, 4, 6];

function kernelValues(specialValue: number): number[] {
  return Array.from({ length: 16 }, (_, code) => {
    const magnitude = KERNEL_MAGNITUDES[code >> 1]!;
    const negative = (code & 1) === 1;
    if (magnitude === 'zero') return negative ? specialValue : 0;
    return negative ? -magnitude : magnitude;
  });
}

/** The RaZeR element format for one SV in one layout. */
export function razerFormat(
  layout: RazerLayout,
  specialValue: number,
  name = `razer_${layout}_sv${specialValue}`,
): CodebookFormat {
  const values = layout === 'ocp' ? e2m1WithNegativeZeroAs(specialValue) : kernelValues(specialValue);
  const description = `RaZeR E2M1, ${layout === 'ocp' ? 'OCP layout (-0 code 0x8)' : 'v1 GEMV kernel layout (code 0x3)'} = SV ${specialValue}`;
  return Object.freeze(
    parseFormat({ kind: 'codebook', name, bits: 4, values, description }),
  ) as CodebookFormat;
}

/** One format per group index: formats[mod] decodes a group whose metadata is mod. */
export function razerFormats(
  layout: RazerLayout,
  specialValues: readonly number[] = RAZER_SPECIAL_VALUES,
): CodebookFormat[] {
  const prefix = layout === 'ocp' ? 'razer_ocp' : 'razer_gemv';
  return specialValues.map((sv, mod) => razerFormat(layout, sv, `${prefix}_sv${mod}`));
}
