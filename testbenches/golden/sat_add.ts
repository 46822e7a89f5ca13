// Golden model of the saturating adder: the exact sum, clamped to the range of a width-bit integer.

export function satAddGolden(a: bigint, b: bigint, width: number, signed: boolean): bigint {
  const w = BigInt(width);
  const [min, max] = signed ? [-(1n << (w - 1n)), (1n << (w - 1n)) - 1n] : [0n, (1n << w) - 1n];
  const sum = a + b;
  return sum < min ? min : sum > max ? max : sum;
}
