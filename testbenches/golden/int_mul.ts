// Golden model of the integer multiplier: the exact product of two integers.

export function intMulGolden(a: bigint, b: bigint): bigint {
  return a * b;
}
