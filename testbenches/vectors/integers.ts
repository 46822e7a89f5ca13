import type { Random } from './random.ts';

/** The integers an n-bit field holds, as a range. */
export function intRange(width: number, signed: boolean): { min: bigint; max: bigint } {
  const w = BigInt(width);
  return signed ? { min: -(2n ** (w - 1n)), max: 2n ** (w - 1n) - 1n } : { min: 0n, max: 2n ** w - 1n };
}

/** Every integer of the field, in increasing order. */
export function allIntegers(width: number, signed: boolean): bigint[] {
  const { min, max } = intRange(width, signed);
  const out: bigint[] = [];
  for (let v = min; v <= max; v++) out.push(v);
  return out;
}

/** The values where integer datapaths break: the bounds, zero, ±1 and their neighbours. */
export function cornerIntegers(width: number, signed: boolean): bigint[] {
  const { min, max } = intRange(width, signed);
  const candidates = [min, min + 1n, -1n, 0n, 1n, 2n, max - 1n, max, max >> 1n, (max >> 1n) + 1n];
  return [...new Set(candidates.filter((v) => v >= min && v <= max))].sort((x, y) =>
    x < y ? -1 : x > y ? 1 : 0,
  );
}

/** A uniformly random integer of the field. */
export function randomInteger(rng: Random, width: number, signed: boolean): bigint {
  const bits = rng.bits(width);
  return signed ? BigInt.asIntN(width, bits) : bits;
}

/** The bit pattern of an integer in `width` bits, as the vector files carry it. */
export function pattern(value: bigint, width: number): bigint {
  return BigInt.asUintN(width, value);
}
