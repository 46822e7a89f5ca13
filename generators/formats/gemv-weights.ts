// The weight formats a GEMV core takes, by the name of its `weight` parameter (docs/razer.md,
// docs/codebooks.md, docs/mx-nvfp4.md, docs/w4a16.md): the element formats each code is decoded with
// (one per value of the group's `sv` index for RaZeR), and what the format fixes about scales and
// groups. It lives in the formats library so that the golden model reads it without the generator.

import type { Format } from './format.ts';
import { formatByName } from './presets.ts';
import { RAZER_SPECIAL_VALUES, razerFormats } from './razer.ts';

export const GEMV_WEIGHTS = ['uint4', 'int4', 'e2m1fn', 'razer', 'nf4', 'mxfp4', 'nvfp4', 'e4m3fn'] as const;
export type GemvWeightName = (typeof GEMV_WEIGHTS)[number];

export interface GemvWeight {
  bits: number;
  /** Element formats, indexed by the group's 2-bit `sv` input for RaZeR; one format otherwise. */
  formats(specialValues: readonly number[]): Format[];
  /** Asymmetric integer codes: a per-group zero point z enters as −z·Σa (docs/w4a16.md#restructured-gemv). */
  zeroPoint: boolean;
  /** Block formats fix the scale format and the group size. */
  block?: { scale: string; group: number };
  description: string;
}

const one = (name: string) => () => [formatByName(name)];

export const GEMV_WEIGHT_FORMATS: Record<GemvWeightName, GemvWeight> = {
  uint4: {
    bits: 4,
    formats: one('uint4'),
    zeroPoint: true,
    description: 'asymmetric INT4 (AWQ/GPTQ): w = (q − z)·s with a uint4 zero point per group',
  },
  int4: { bits: 4, formats: one('int4'), zeroPoint: false, description: 'symmetric INT4: w = q·s' },
  e2m1fn: { bits: 4, formats: one('e2m1fn'), zeroPoint: false, description: 'FP4 E2M1 with a group scale' },
  razer: {
    bits: 4,
    formats: (sv) => razerFormats('ocp', sv),
    zeroPoint: false,
    description: 'RaZeR FP4 (OCP layout): code 0x8 is the group special value picked by a 2-bit sv',
  },
  nf4: {
    bits: 4,
    formats: one('nf4'),
    zeroPoint: false,
    description: 'NF4 codebook (QLoRA) with a group scale',
  },
  mxfp4: {
    bits: 4,
    formats: one('e2m1fn'),
    zeroPoint: false,
    block: { scale: 'e8m0fnu', group: 32 },
    description: 'OCP MXFP4: E2M1 elements, one E8M0 scale per 32',
  },
  nvfp4: {
    bits: 4,
    formats: one('e2m1fn'),
    zeroPoint: false,
    block: { scale: 'e4m3fn', group: 16 },
    description: 'NVFP4: E2M1 elements, one E4M3 scale per 16',
  },
  e4m3fn: {
    bits: 8,
    formats: one('e4m3fn'),
    zeroPoint: false,
    description: 'FP8 E4M3 weights with a group scale',
  },
};

export { RAZER_SPECIAL_VALUES };
