// Named block formats, and the candidate codebook sets of the per-group selectors.

import type { CodebookFormat } from '../format.ts';
import { formatByName } from '../presets.ts';
import { razerFormats } from '../razer.ts';
import { MX_FORMATS, type MxFormat } from './mx.ts';
import { NVFP4, type Nvfp4Format } from './nvfp4.ts';

export interface GroupwiseIntFormat {
  readonly kind: 'groupwise-int';
  readonly name: string;
  readonly description: string;
  readonly bits: number;
  readonly groupSize: number;
}

export type BlockFormat = MxFormat | Nvfp4Format | GroupwiseIntFormat;

export const INT4_G128: GroupwiseIntFormat = Object.freeze({
  kind: 'groupwise-int',
  name: 'int4_g128',
  description:
    'W4A16 group-wise uint4 with FP16 scale and integer zero point, group 128 (AWQ/GPTQ); GPTQ or AWQ packing',
  bits: 4,
  groupSize: 128,
});

export const BLOCK_FORMATS: readonly BlockFormat[] = [...MX_FORMATS, NVFP4, INT4_G128];

/** RaZeR weight candidates (SV +5, +8, -5, -8 by `mod`), in either code layout. */
export const RAZER_OCP_CANDIDATES: readonly CodebookFormat[] = razerFormats('ocp');
export const RAZER_KERNEL_CANDIDATES: readonly CodebookFormat[] = razerFormats('kernel');

/** BitMoD's 4-bit type set in selection order {er_pos, er_neg, ea_pos, ea_neg}. */
export const BITMOD_FP4_CANDIDATES: readonly CodebookFormat[] = ['er_pos', 'er_neg', 'ea_pos', 'ea_neg'].map(
  (t) => formatByName(`bitmod_fp4_${t}`) as CodebookFormat,
);
export const BITMOD_FP3_CANDIDATES: readonly CodebookFormat[] = ['er_pos', 'er_neg', 'ea_pos', 'ea_neg'].map(
  (t) => formatByName(`bitmod_fp3_${t}`) as CodebookFormat,
);

export function blockFormatNames(): string[] {
  return BLOCK_FORMATS.map((f) => f.name);
}

/** The block format of that name; throws listing the known ones. */
export function blockFormatByName(name: string): BlockFormat {
  const format = BLOCK_FORMATS.find((f) => f.name === name);
  if (!format)
    throw new Error(`unknown block format '${name}'; known block formats: ${blockFormatNames().join(', ')}`);
  return format;
}
