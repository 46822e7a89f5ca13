// Bit-level helpers on non-negative BigInts; BigInt has no bit-length or count-trailing-zeros builtin.

const TWO_POW_53 = 0x20000000000000n;

/** Number of bits of a non-negative integer below 2^53 (0 for 0). */
export function numberBitLength(n: number): number {
  if (n < 0x100000000) return 32 - Math.clz32(n);
  return 64 - Math.clz32(Math.floor(n / 0x100000000));
}

/** Number of bits of a non-negative BigInt (0 for 0n). */
export function bitLength(n: bigint): number {
  if (n < TWO_POW_53) return numberBitLength(Number(n));
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + numberBitLength(parseInt(hex[0]!, 16));
}

/** Sign of a · 2^aExp - b · 2^bExp for non-negative a, b. */
export function compareScaled(a: bigint, aExp: number, b: bigint, bExp: number): -1 | 0 | 1 {
  const base = Math.min(aExp, bExp);
  const x = a << BigInt(aExp - base);
  const y = b << BigInt(bExp - base);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Number of trailing zero bits of a positive BigInt. */
export function trailingZeros(n: bigint): number {
  return bitLength(n & -n) - 1;
}
