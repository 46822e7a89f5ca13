/** Bits of an unsigned number that holds `max`. */
export function unsignedBits(max: number | bigint): number {
  let n = BigInt(max);
  let bits = 1;
  while (n > 1n) {
    n >>= 1n;
    bits++;
  }
  return bits;
}

/** Bits of a two's complement number that holds every integer in [min, max]. */
export function signedBits(min: number | bigint, max: number | bigint): number {
  const lo = BigInt(min);
  const hi = BigInt(max);
  let bits = 1;
  while (-(1n << BigInt(bits - 1)) > lo || (1n << BigInt(bits - 1)) - 1n < hi) bits++;
  return bits;
}
