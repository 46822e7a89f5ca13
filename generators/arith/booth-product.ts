import { pairUp } from './pairwise.ts';
import { cat, mux, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';

/** A partial sum: `value` (signed) weighs 2^lsb. */
interface Row {
  lsb: number;
  value: Signal;
}

/**
 * The exact product a×b from radix-4 (modified) Booth partial products, for LUT fabric without DSP
 * blocks. b, read as two's complement (an unsigned b gets a zero bit on top), is recoded into digits
 * d_j = −2·b[2j+1] + b[2j] + b[2j−1] ∈ {−2..2}, half as many as b has bits (Booth 1951; MacSorley
 * 1961, "High-speed arithmetic in binary computers"). Each digit selects 0, ±a or ±2a: a negative one
 * as the ones' complement, its +1 (`neg`) set in the free low bit two places below the next row.
 * The rows are summed in a balanced tree of carry-chain adders: on an FPGA the carry chain is the
 * cheapest compressor, and the LUT in front of each adder bit takes one row's digit selection
 * (5 inputs) with it, so half the rows cost no LUT of their own. The result has the type
 * `a.mul(b)` would have: a.width + b.width bits, signed if either operand is; it is left unnamed
 * for the caller to name.
 */
export function boothProduct(a: Signal, b: Signal, prefix: string): Signal {
  const m = a.builder;
  const width = a.width + b.width;
  const signed = a.signed || b.signed;
  // a as a signed value, one bit wider than that for ±2a.
  const aBits = a.width + (a.signed ? 0 : 1) + 1;
  const multiplicand = (a.signed ? a.sext(aBits) : a.zext(aBits).asSigned()).named(`${prefix}_booth_a`);
  const zero = m.constant(0, SInt(aBits));
  const ones = m.constant(-1, SInt(aBits));
  const bit0 = m.constant(0, UInt(1));
  // b's bit i as two's complement: above its top bit, its sign (signed) or zero (unsigned).
  const bBit = (i: number): Signal =>
    i < 0 ? bit0 : i < b.width ? b.bit(i) : b.signed ? b.bit(b.width - 1) : bit0;
  const digits = Math.ceil((b.width + (b.signed ? 0 : 1)) / 2);

  const rows: Row[] = [];
  let carry: Signal | undefined; // the previous row's +1, when it is negative
  for (let j = 0; j < digits; j++) {
    const [high, mid, low] = [bBit(2 * j + 1), bBit(2 * j), bBit(2 * j - 1)];
    const one = mid.xor(low).named(`${prefix}_booth${j}_one`);
    const two = high.and(mid.or(low).not()).or(high.not().and(mid).and(low)).named(`${prefix}_booth${j}_two`);
    const magnitude = mux(one, multiplicand, zero).or(mux(two, multiplicand.shl(1), zero));
    const pattern = magnitude.xor(mux(high, ones, zero)).named(`${prefix}_pp${j}`);
    rows.push(
      carry === undefined
        ? { lsb: 2 * j, value: pattern }
        : { lsb: 2 * j - 2, value: cat(pattern, bit0, carry).asSigned().named(`${prefix}_row${j}`) },
    );
    // An unsigned b's top digit is never negative: no +1 to place.
    carry = m.constantValue(high.id) === 0n ? undefined : high;
  }
  if (carry !== undefined) {
    rows.push({ lsb: 2 * digits - 2, value: carry.zext(2).asSigned().named(`${prefix}_row${digits}`) });
  }

  let level = rows;
  let sums = 0;
  while (level.length > 1) {
    // The last sum is the product: the caller names it.
    const named = level.length > 2;
    level = pairUp(level, (x, y) => {
      const sum = addRows(x, y, width);
      if (named) sum.value.named(`${prefix}_sum${sums++}`);
      return sum;
    });
  }
  // Modulo 2^width, where the product is exact (a lone row may be wider).
  const product = level[0]!.value.resize(width);
  return signed ? product : product.asUnsigned();
}

/**
 * x + y for x.lsb ≤ y.lsb: x's bits below y.lsb pass through, the rest are added. Bits at or above
 * `width` are dropped: the product is taken modulo 2^width, where it is exact.
 */
function addRows(x: Row, y: Row, width: number): Row {
  const shift = y.lsb - x.lsb;
  const low = x.value.width > shift ? x.value : x.value.sext(shift + 1);
  const upper = shift === 0 ? low : low.slice(low.width - 1, shift).asSigned();
  const bits = Math.min(Math.max(upper.width, y.value.width) + 1, width - y.lsb);
  const sum = upper.add(y.value, { width: bits });
  return { lsb: x.lsb, value: shift === 0 ? sum : cat(sum, low.slice(shift - 1, 0)).asSigned() };
}
