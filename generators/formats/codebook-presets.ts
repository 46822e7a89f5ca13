// Codebook formats: NF4, SF4, E2M1 with a "supernormal" value, APoT4 (docs/codebooks.md), RaZeR
// (docs/razer.md) and BitMoD (docs/bitmod.md).
// Values are exact: the float32 constants the reference code holds, or their fp16 rounding where the
// hardware uses an fp16 table.

import { encodeNumber } from './codec.ts';
import { decode } from './codec.ts';
import { FLOAT_PRESETS } from './float-presets.ts';
import { parseFormat, type CodebookFormat } from './format.ts';
import { invertCdf, quantileCodebook, studentT5Cdf } from './quantile-codebook.ts';
import { toNumber } from './value-number.ts';

function codebook(name: string, values: (number | null)[], description: string): CodebookFormat {
  const bits = Math.log2(values.length);
  return Object.freeze(parseFormat({ kind: 'codebook', name, bits, values, description })) as CodebookFormat;
}

const fp16 = FLOAT_PRESETS.find((f) => f.name === 'fp16')!;

/** The fp16 value nearest to x (ties to even): what an fp16 lookup table holds. */
function toFp16(x: number): number {
  return toNumber(decode(fp16, encodeNumber(fp16, x, { rounding: 'rne', overflow: 'saturate' }).code));
}

/** bitsandbytes NF4 (csrc/kernels.cu), codes 0x0..0xF ascending; each constant is a float32. */
export const NF4_VALUES: readonly number[] = [
  -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
  -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
  0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
].map(Math.fround);

/** SF4 (ν = 5) as the llm-datatypes repository lists it (SF4_5), held as float32 like its tensors. */
export const SF4_VALUES: readonly number[] = [
  -1.0, -0.627781, -0.454736, -0.334331, -0.237434, -0.152899, -0.074982, 0.0, 0.065513, 0.132965, 0.204661,
  0.283835, 0.375805, 0.491076, 0.656781, 1.0,
].map(Math.fround);

/** SF4 re-derived in double precision: the NF4 construction with Student-t(5) quantiles. */
export const SF4_EXACT_VALUES: readonly number[] = quantileCodebook((p) => invertCdf(studentT5Cdf, p));

/**
 * APoT4 magnitudes of codes 0..7 as the llm-datatypes repository lists them (APOT4 in
 * neural_compressor/adaptor/torch_utils/weight_only.py), held as float32 like its tensors.
 */
export const APOT4_MAGNITUDES: readonly number[] = [0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0].map(Math.fround);

/** Standard E2M1 magnitudes of codes 0..7 (docs/mx-nvfp4.md#element-formats). */
export const E2M1_MAGNITUDES: readonly number[] = [0, 0.5, 1, 1.5, 2, 3, 4, 6];

/** OCP E2M1 code layout (S EE M) with the -0 code 0b1000 given a value of its own. */
export function e2m1WithNegativeZeroAs(value: number | null, scale = 1): (number | null)[] {
  const positive = E2M1_MAGNITUDES.map((m) => m * scale);
  return [...positive, value, ...positive.slice(1).map((m) => -m)];
}

/**
 * APoT4 in the repository's bit encoding (its FP4_E2M1_BIT table, sign-magnitude): code m holds
 * magnitude m, code 0x8 + m its negative, and 0x8 is −0.
 */
function apot4Values(): number[] {
  return [...APOT4_MAGNITUDES, -0, ...APOT4_MAGNITUDES.slice(1).map((m) => -m)];
}

/** Sign-magnitude 3-bit layout over BitMoD's FP3 magnitudes {0, 1, 2, 4}, -0 code 0b100 given a value. */
function fp3WithNegativeZeroAs(value: number | null): (number | null)[] {
  const positive = [0, 1, 2, 4];
  return [...positive, value, ...positive.slice(1).map((m) => -m)];
}

export const CODEBOOK_PRESETS: readonly CodebookFormat[] = [
  codebook('nf4', [...NF4_VALUES], 'NF4 (QLoRA/bitsandbytes), float32 constants, codes ascending'),
  codebook('nf4_fp16', NF4_VALUES.map(toFp16), 'NF4 as an fp16 lookup table'),
  codebook(
    'sf4',
    [...SF4_VALUES],
    'SF4 Student Float ν=5 (llm-datatypes SF4_5), float32 constants, codes ascending',
  ),
  codebook(
    'sf4_exact',
    [...SF4_EXACT_VALUES],
    'SF4 ν=5 re-derived from the Student-t(5) quantiles in double precision',
  ),
  codebook('sf4_fp16', SF4_VALUES.map(toFp16), 'SF4 ν=5 as an fp16 lookup table'),
  codebook('fp4_range', e2m1WithNegativeZeroAs(8), 'E2M1 "super-range": the -0 code 0x8 holds +8'),
  codebook('fp4_prec2', e2m1WithNegativeZeroAs(5), 'E2M1 "super-precision": the -0 code 0x8 holds +5'),
  codebook('fp4_prec1', e2m1WithNegativeZeroAs(2.5), 'E2M1 with the -0 code 0x8 holding +2.5'),
  codebook(
    'apot4',
    apot4Values(),
    'APoT4 (llm-datatypes APOT4) ±{0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1}, float32 constants, sign-magnitude (0x8 = -0)',
  ),
  codebook('bitmod_fp4', e2m1WithNegativeZeroAs(-0, 2), 'BitMoD FP4 = E2M1 × 2 (integer units)'),
  codebook(
    'bitmod_fp4_er_pos',
    e2m1WithNegativeZeroAs(10, 2),
    'BitMoD FP4 extra resolution +: -0 code holds +10 (integer units)',
  ),
  codebook(
    'bitmod_fp4_er_neg',
    e2m1WithNegativeZeroAs(-10, 2),
    'BitMoD FP4 extra resolution -: -0 code holds -10',
  ),
  codebook(
    'bitmod_fp4_ea_pos',
    e2m1WithNegativeZeroAs(16, 2),
    'BitMoD FP4 extra asymmetry +: -0 code holds +16',
  ),
  codebook(
    'bitmod_fp4_ea_neg',
    e2m1WithNegativeZeroAs(-16, 2),
    'BitMoD FP4 extra asymmetry -: -0 code holds -16',
  ),
  codebook('bitmod_fp3', fp3WithNegativeZeroAs(-0), 'BitMoD FP3 {0, ±1, ±2, ±4}, sign-magnitude'),
  codebook('bitmod_fp3_er_pos', fp3WithNegativeZeroAs(3), 'BitMoD FP3 extra resolution +: -0 code holds +3'),
  codebook('bitmod_fp3_er_neg', fp3WithNegativeZeroAs(-3), 'BitMoD FP3 extra resolution -: -0 code holds -3'),
  codebook('bitmod_fp3_ea_pos', fp3WithNegativeZeroAs(6), 'BitMoD FP3 extra asymmetry +: -0 code holds +6'),
  codebook('bitmod_fp3_ea_neg', fp3WithNegativeZeroAs(-6), 'BitMoD FP3 extra asymmetry -: -0 code holds -6'),
];
