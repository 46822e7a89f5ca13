// The activation formats of the GEMV core: float codes, exact as they are, or two's complement integer
// codes (int8, int4) that carry a scale of their own, one per job (per token) or one per group along K
// (docs/w4a16.md#integer-activations).
import { floatLayout, formatByName, type FloatFormat } from '../formats/index.ts';

export const GEMV_ACTIVATIONS = ['fp16', 'e4m3fn', 'bf16', 'int8', 'int4', 'int4_int8'] as const;
export const INTEGER_ACTIVATIONS = ['int8', 'int4'] as const;
export const ACTIVATION_SCALES = ['token', 'group'] as const;
export const ACTIVATION_SCALE_FORMATS = ['fp16', 'bf16', 'fp32'] as const;

export type ActivationScale = { kind: (typeof ACTIVATION_SCALES)[number]; format: string };

/**
 * COMET's mixed groups (arXiv 2410.12168): 8-bit codes on the x beat, each group int4 or int8 by a flag
 * on its first beat; an int8 group runs twice on int4 products, its high nibbles (×16), then its low
 * ones (docs/w4a16.md#mixed-4-and-8-bit-activations).
 */
export const MIXED_ACTIVATION = 'int4_int8';
/** The chunk kernel's codes in a mixed core: a nibble, sign-extended (high half, int4 group) or not (low half). */
export const NIBBLE_ACTIVATION = 'int5';
const KERNEL_ONLY_BITS: Record<string, number> = { [MIXED_ACTIVATION]: 8, [NIBBLE_ACTIVATION]: 5 };

export function isIntegerActivation(name: string): boolean {
  return (INTEGER_ACTIVATIONS as readonly string[]).includes(name) || name in KERNEL_ONLY_BITS;
}

/** Bits of one activation code (a mixed core's lanes: 8). */
export function activationBits(name: string): number {
  if (name in KERNEL_ONLY_BITS) return KERNEL_ONLY_BITS[name]!;
  const f = formatByName(name);
  return f.kind === 'int' ? f.bits : floatLayout(f as FloatFormat).bits;
}

/** Bits of an activation scale code. */
export function activationScaleBits(scale: ActivationScale): number {
  return floatLayout(formatByName(scale.format) as FloatFormat).bits;
}
