// OCP Microscaling (docs/mx-nvfp4.md#mx-block): blocks of 32 elements sharing an E8M0 power-of-two scale.
// Quantization follows OCP Algorithm 1 (docs/mx-nvfp4.md#conversion-to-mx): shared exponent
// floor(log2 amax) - emax_elem, elements rounded (RNE by default) and clamped to ±max. The scale rule is a
// parameter.

import { z } from 'zod';
import { decode, encode } from '../codec.ts';
import { formatInfo } from '../format-info.ts';
import { formatBits, type Format } from '../format.ts';
import { formatByName } from '../presets.ts';
import { resolvePolicy } from '../policy.ts';
import { ROUNDING_MODES } from '../rounding.ts';
import { finite, nan, type ExactValue, type FiniteValue } from '../value.ts';
import { floorLog2, largestMagnitude, log2OfRatio, toExactValues } from './block-math.ts';
import { packBits, unpackBits } from './packing.ts';

export interface MxFormat {
  readonly kind: 'mx';
  readonly name: string;
  readonly description: string;
  readonly element: Format;
  readonly scale: Format;
  readonly blockSize: number;
}

const E8M0_BIAS = 127;
const E8M0_NAN = 0xff;

function mx(name: string, element: string, description: string): MxFormat {
  return Object.freeze({
    kind: 'mx',
    name,
    description,
    element: formatByName(element),
    scale: formatByName('e8m0fnu'),
    blockSize: 32,
  });
}

export const MX_FORMATS: readonly MxFormat[] = [
  mx('mxfp8_e4m3', 'e4m3fn', 'MXFP8 (E4M3 elements), block 32, E8M0 scale'),
  mx('mxfp8_e5m2', 'e5m2', 'MXFP8 (E5M2 elements), block 32, E8M0 scale'),
  mx('mxfp6_e3m2', 'e3m2fn', 'MXFP6 (E3M2 elements), block 32, E8M0 scale'),
  mx('mxfp6_e2m3', 'e2m3fn', 'MXFP6 (E2M3 elements), block 32, E8M0 scale'),
  mx('mxfp4', 'e2m1fn', 'MXFP4 (E2M1 elements), block 32, E8M0 scale'),
  mx('mxint8', 'mxint8', 'MXINT8 (int8 · 2^-6 elements, ±127/64), block 32, E8M0 scale'),
];

/**
 * floor: OCP Algorithm 1, 2^(floor(log2 amax) - emax_elem); elements above max are clamped.
 * ceil: the smallest power of two with amax/X <= max_elem (nothing clamps).
 * nearest: amax/max_elem rounded to the nearest power of two, ties up.
 */
export const MX_SCALE_RULES = ['floor', 'ceil', 'nearest'] as const;

export const mxQuantizeOptionsSchema = z
  .object({
    scaleRule: z.enum(MX_SCALE_RULES).default('floor'),
    rounding: z.enum(ROUNDING_MODES).default('rne'),
  })
  .strict();
export type MxQuantizeOptions = z.input<typeof mxQuantizeOptionsSchema>;

export interface MxBlock {
  readonly scaleCode: number;
  readonly elementCodes: readonly number[];
}

/** emax_elem: the exponent of the element format's largest normal (E4M3 8, E5M2 15, E2M1 2, INT8 0). */
export function elementEmax(format: MxFormat): number {
  return floorLog2(formatInfo(format.element).max as FiniteValue);
}

function sharedExponent(format: MxFormat, amax: FiniteValue, rule: (typeof MX_SCALE_RULES)[number]): number {
  if (rule === 'floor') return floorLog2(amax) - elementEmax(format);
  return log2OfRatio(amax, formatInfo(format.element).max as FiniteValue, rule);
}

/** One block: its E8M0 scale code and element codes. NaN or Inf anywhere gives the NaN scale. */
export function quantizeMxBlock(
  format: MxFormat,
  values: readonly (ExactValue | number)[],
  options: MxQuantizeOptions = {},
): MxBlock {
  const { scaleRule, rounding } = mxQuantizeOptionsSchema.parse(options);
  if (values.length !== format.blockSize)
    throw new Error(`${format.name} blocks hold ${format.blockSize} values, got ${values.length}`);
  const exact = toExactValues(values);
  const zeros = exact.map(() => encode(format.element, finite(0, 0n, 0)).code);
  if (exact.some((v) => v.kind !== 'finite')) return { scaleCode: E8M0_NAN, elementCodes: zeros };
  const finiteValues = exact as FiniteValue[];
  const amax = largestMagnitude(finiteValues);
  if (amax.sig === 0n) return { scaleCode: 0, elementCodes: zeros };
  const shared = Math.max(sharedExponent(format, amax, scaleRule), -E8M0_BIAS);
  if (shared > E8M0_BIAS) return { scaleCode: E8M0_NAN, elementCodes: zeros };
  const policy = resolvePolicy(format.element, { rounding, overflow: 'saturate', subnormals: 'keep' });
  const elementCodes = finiteValues.map(
    (v) => encode(format.element, finite(v.sign, v.sig, v.exp - shared), policy).code,
  );
  return { scaleCode: shared + E8M0_BIAS, elementCodes };
}

/** Exact values X · P_i of a block; a NaN scale makes every value NaN. */
export function dequantizeMxBlock(format: MxFormat, block: MxBlock): ExactValue[] {
  if (block.scaleCode === E8M0_NAN) return block.elementCodes.map(() => nan(0, true));
  const shift = block.scaleCode - E8M0_BIAS;
  return block.elementCodes.map((code) => {
    const v = decode(format.element, code);
    return v.kind === 'finite' ? finite(v.sign, v.sig, v.exp + shift) : v;
  });
}

/** A whole vector, in blocks; the last block is padded with zeros. */
export function quantizeMx(
  format: MxFormat,
  values: readonly (ExactValue | number)[],
  options: MxQuantizeOptions = {},
): MxBlock[] {
  const blocks: MxBlock[] = [];
  for (let i = 0; i < values.length; i += format.blockSize) {
    const chunk = values.slice(i, i + format.blockSize);
    const padded = [...chunk, ...Array<number>(format.blockSize - chunk.length).fill(0)];
    blocks.push(quantizeMxBlock(format, padded, options));
  }
  return blocks;
}

/** Storage of one block: the scale byte, then the elements as a little-endian bit stream (MXFP4: 17 bytes). */
export function packMxBlock(format: MxFormat, block: MxBlock): Uint8Array {
  const elements = packBits(block.elementCodes, formatBits(format.element));
  const bytes = new Uint8Array(1 + elements.length);
  bytes[0] = block.scaleCode;
  bytes.set(elements, 1);
  return bytes;
}

export function unpackMxBlock(format: MxFormat, bytes: Uint8Array): MxBlock {
  return {
    scaleCode: bytes[0]!,
    elementCodes: unpackBits(bytes.subarray(1), formatBits(format.element), format.blockSize),
  };
}
