// Golden model of integer multiply-accumulate, from the arithmetic alone: exact integer products,
// exact sums, then the accumulator's overflow rule. Shares no code with the generator.
import { variantIs } from './variant.ts';

export interface IntMacSpec {
  aSigned: boolean;
  bSigned: boolean;
  accWidth: number;
  overflow: 'wrap' | 'saturate';
}

export interface IntMacStep {
  a: bigint;
  b: bigint;
  clear: boolean;
}

/** The accumulator value after each step, starting from 0 after reset. */
export function intMacGolden(spec: IntMacSpec, steps: readonly IntMacStep[]): bigint[] {
  const signed = spec.aSigned || spec.bSigned;
  const w = BigInt(spec.accWidth);
  const min = signed ? -(2n ** (w - 1n)) : 0n;
  const max = signed ? 2n ** (w - 1n) - 1n : 2n ** w - 1n;
  const modulus = 2n ** w;
  const fit = (v: bigint): bigint => {
    // Mutation 'int_mac.overflow': the other overflow rule (wrap ↔ saturate).
    if ((spec.overflow === 'saturate') !== variantIs('int_mac.overflow'))
      return v < min ? min : v > max ? max : v;
    let r = ((v % modulus) + modulus) % modulus;
    if (signed && r > max) r -= modulus;
    return r;
  };
  let acc = 0n;
  return steps.map(({ a, b, clear }) => {
    const product = a * b;
    // Mutation 'int_mac.clear-late': a clear zeroes the sum after the step instead of starting it.
    acc = variantIs('int_mac.clear-late') && clear ? 0n : fit(clear ? product : acc + product);
    return acc;
  });
}
