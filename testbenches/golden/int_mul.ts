// Golden model of the integer multiplier: the exact product of two integers.
import { variantIs } from './variant.ts';

export function intMulGolden(a: bigint, b: bigint): bigint {
  return a * b;
}

/** The operands' widths and signedness, as the unit's parameters give them. */
export interface IntMulOperands {
  aWidth: number;
  bWidth: number;
  aSigned: boolean;
  bSigned: boolean;
}

/**
 * The product port's bits for two operand bit patterns: each operand read by its signedness, the
 * product kept in aWidth + bWidth bits. Mutations, the usual slips of a hand-written multiplier:
 * 'int_mul.a-signedness' and 'int_mul.b-signedness' read that operand with the other signedness (a
 * missing or extra sign extension); 'int_mul.product-short' keeps one bit less and extends it back (a
 * product declared a bit too narrow); 'int_mul.product-low-half' keeps only the wider operand's width
 * (a Verilog product sized by its operands' context).
 */
export function intMulBits(p: IntMulOperands, a: bigint, b: bigint): bigint {
  const width = p.aWidth + p.bWidth;
  const read = (bits: bigint, w: number, signed: boolean) => (signed ? BigInt.asIntN(w, bits) : bits);
  const aSigned = p.aSigned !== variantIs('int_mul.a-signedness');
  const bSigned = p.bSigned !== variantIs('int_mul.b-signedness');
  const product = intMulGolden(read(a, p.aWidth, aSigned), read(b, p.bWidth, bSigned));
  const signed = aSigned || bSigned;
  const kept = variantIs('int_mul.product-short')
    ? width - 1
    : variantIs('int_mul.product-low-half')
      ? Math.max(p.aWidth, p.bWidth)
      : width;
  return BigInt.asUintN(width, read(BigInt.asUintN(kept, product), kept, signed));
}
