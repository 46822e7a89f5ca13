/** l(m) of docs/lmul.md#definition: L-Mul replaces xm·ym with 2^-l(m). */
export function lmulL(m: number): number {
  return m <= 3 ? m : m === 4 ? 3 : 4;
}

/** OFFSET of docs/lmul.md#one-adder-form: the bias in the exponent field minus 2^-l(m) in mantissa units, subtracted from |a| + |b|. */
export function lmulOffset(bias: number, m: number): number {
  return (bias << m) - ((1 << m) >> lmulL(m));
}
