import type { Signal } from '../hdl/signal.ts';
import { boothProduct } from './booth-product.ts';

/**
 * How a unit forms an integer product. behavioural: Verilog `*`, which synthesis maps to DSP blocks
 * where it may (or to its generic array of adders). booth4: radix-4 Booth partial products summed on
 * carry chains, for LUT fabric (boothProduct). auto: the unit's own default (behavioural, or a
 * shift-and-add product for significands of a few bits), or for a clock request judged on a target
 * without DSP blocks, the multiplier the unit names for that (multiplier-param.ts).
 */
export const MULTIPLIERS = ['auto', 'booth4', 'behavioural'] as const;
export type Multiplier = (typeof MULTIPLIERS)[number];

/** The exact product a×b (the type `a.mul(b)` has), formed by the chosen multiplier. */
export function multiply(a: Signal, b: Signal, multiplier: Multiplier, prefix: string): Signal {
  return multiplier === 'booth4' ? boothProduct(a, b, prefix) : a.mul(b);
}

/**
 * The module-name suffix of an explicit multiplier that builds other Verilog than auto does
 * (`_booth4`, `_behavioural`); none for auto or for the one auto builds anyway (`autoBuilds`).
 */
export function multiplierTag(multiplier: Multiplier | undefined, autoBuilds?: Multiplier): string {
  return multiplier === undefined || multiplier === 'auto' || multiplier === autoBuilds
    ? ''
    : `_${multiplier}`;
}
