// The activation formats of the GEMV core: float codes, exact as they are, or two's complement integer
// codes (int8, int4) that carry a scale of their own, one per job (per token) or one per group along K
// (docs/w4a16.md#integer-activations).
import { floatLayout, formatByName, type FloatFormat } from '../formats/index.ts';

export const GEMV_ACTIVATIONS = ['fp16', 'e4m3fn', 'bf16', 'int8', 'int4'] as const;
export const INTEGER_ACTIVATIONS = ['int8', 'int4'] as const;
export const ACTIVATION_SCALES = ['token', 'group'] as const;
export const ACTIVATION_SCALE_FORMATS = ['fp16', 'bf16', 'fp32'] as const;

export type ActivationScale = { kind: (typeof ACTIVATION_SCALES)[number]; format: string };

export function isIntegerActivation(name: string): boolean {
  return (INTEGER_ACTIVATIONS as readonly string[]).includes(name);
}

/** Bits of one activation code. */
export function activationBits(name: string): number {
  const f = formatByName(name);
  return f.kind === 'int' ? f.bits : floatLayout(f as FloatFormat).bits;
}

/** Bits of an activation scale code. */
export function activationScaleBits(scale: ActivationScale): number {
  return floatLayout(formatByName(scale.format) as FloatFormat).bits;
}
