// NVFP4 (docs/mx-nvfp4.md#nvfp4): E2M1 elements in blocks of 16, an E4M3 (e4m3fn) scale per block and an FP32
// scale per tensor; x = e2m1(code) · e4m3(s_block) · fp32(s_tensor). The quantizer is the reference one
// ("following FourOverSix"), computed exactly: s_tensor = amax/(6·448) rounded to fp32,
// s_block = e4m3_RNE(clamp(amax_block / s_tensor / 6, 2^-9, 448)), elements = round(w / (s_tensor·s_block)).

import { z } from 'zod';
import { decode, encode, encodeQuotient } from '../codec.ts';
import { dyadicMul } from '../dyadic.ts';
import { formatByName } from '../presets.ts';
import { ROUNDING_MODES } from '../rounding.ts';
import { finite, integer, nan, type ExactValue, type FiniteValue } from '../value.ts';
import { largestMagnitude, requireFinite } from './block-math.ts';

export const NVFP4 = Object.freeze({
  kind: 'nvfp4' as const,
  name: 'nvfp4',
  description: 'NVFP4: E2M1 elements, block 16, E4M3 block scale, FP32 tensor scale',
  element: formatByName('e2m1fn'),
  blockScale: formatByName('e4m3fn'),
  tensorScale: formatByName('fp32'),
  blockSize: 16,
});
export type Nvfp4Format = typeof NVFP4;

/** rounding: element rounding; 'rne' by default, 'rnz' (ties to the smaller magnitude) reproduces the reference code. */
export const nvfp4OptionsSchema = z
  .object({
    rounding: z.enum(ROUNDING_MODES).default('rne'),
    /** The FP32 tensor scale code to use instead of amax/(6·448). */
    tensorScaleCode: z.int().min(0).max(0xffffffff).optional(),
  })
  .strict();
export type Nvfp4Options = z.input<typeof nvfp4OptionsSchema>;

export interface Nvfp4Block {
  readonly scaleCode: number;
  readonly elementCodes: readonly number[];
}

export interface Nvfp4Tensor {
  readonly tensorScaleCode: number;
  readonly blocks: readonly Nvfp4Block[];
}

const SATURATE_RNE = { rounding: 'rne', overflow: 'saturate' } as const;
const E2M1_MAX = integer(6);
const E4M3_MAX = integer(448);
const SMALLEST_BLOCK_SCALE_CODE = 0x01; // 2^-9, the smallest e4m3fn subnormal
const LARGEST_BLOCK_SCALE_CODE = 0x7e; // 448

function defaultTensorScaleCode(values: readonly FiniteValue[]): number {
  const amax = largestMagnitude(values);
  if (amax.sig === 0n) return encode(NVFP4.tensorScale, integer(1)).code;
  return encodeQuotient(NVFP4.tensorScale, amax, dyadicMul(E2M1_MAX, E4M3_MAX), SATURATE_RNE).code;
}

function quantizeBlock(
  values: readonly FiniteValue[],
  tensorScale: FiniteValue,
  rounding: Nvfp4Options['rounding'],
): Nvfp4Block {
  const amax = largestMagnitude(values);
  const raw = encodeQuotient(NVFP4.blockScale, amax, dyadicMul(tensorScale, E2M1_MAX), SATURATE_RNE).code;
  // Rounding is monotonic and both clamp bounds are e4m3fn values, so clamping the code equals clamping first.
  const scaleCode = Math.min(Math.max(raw, SMALLEST_BLOCK_SCALE_CODE), LARGEST_BLOCK_SCALE_CODE);
  const step = dyadicMul(tensorScale, decode(NVFP4.blockScale, scaleCode) as FiniteValue);
  const policy = { rounding, overflow: 'saturate' } as const;
  return { scaleCode, elementCodes: values.map((v) => encodeQuotient(NVFP4.element, v, step, policy).code) };
}

/** Quantizes a tensor (finite values; the last block is padded with zeros). */
export function quantizeNvfp4(
  values: readonly (ExactValue | number)[],
  options: Nvfp4Options = {},
): Nvfp4Tensor {
  const { rounding, tensorScaleCode } = nvfp4OptionsSchema.parse(options);
  const finiteValues = requireFinite(values, 'quantizeNvfp4');
  const tensorCode = tensorScaleCode ?? defaultTensorScaleCode(finiteValues);
  const tensorScale = decode(NVFP4.tensorScale, tensorCode);
  if (tensorScale.kind !== 'finite' || tensorScale.sig === 0n || tensorScale.sign === 1) {
    throw new Error(`quantizeNvfp4: tensorScaleCode ${tensorCode} is not a positive finite fp32`);
  }
  const blocks: Nvfp4Block[] = [];
  for (let i = 0; i < finiteValues.length; i += NVFP4.blockSize) {
    const chunk = finiteValues.slice(i, i + NVFP4.blockSize);
    while (chunk.length < NVFP4.blockSize) chunk.push(finite(0, 0n, 0));
    blocks.push(quantizeBlock(chunk, tensorScale, rounding));
  }
  return { tensorScaleCode: tensorCode, blocks };
}

/** Exact values e2m1 · s_block · s_tensor of every element. */
export function dequantizeNvfp4(tensor: Nvfp4Tensor): ExactValue[] {
  const tensorScale = decode(NVFP4.tensorScale, tensor.tensorScaleCode);
  if (tensorScale.kind !== 'finite')
    return tensor.blocks.flatMap((b) => b.elementCodes.map(() => nan(0, true)));
  return tensor.blocks.flatMap((block): ExactValue[] => {
    const blockScale = decode(NVFP4.blockScale, block.scaleCode);
    if (blockScale.kind !== 'finite') return block.elementCodes.map(() => nan(0, true));
    const step = dyadicMul(tensorScale, blockScale);
    return block.elementCodes.map((c) => dyadicMul(decode(NVFP4.element, c) as FiniteValue, step));
  });
}
