import { pairUp } from './pairwise.ts';
import { mux, type Signal } from '../hdl/signal.ts';

/**
 * The exact product wide × narrow from adders instead of a multiplier: one copy of the wide operand per
 * bit of the narrow one, shifted to that bit's weight and gated by it, summed in a balanced tree. A signed
 * narrow operand's top bit weighs −2^(n−1) (two's complement), so its copy is subtracted. The result has
 * the type `wide.mul(narrow)` would have: wide.width + narrow.width bits, signed if either operand is.
 * Meant for a narrow operand of a few bits (a 4-bit weight, a 4-bit significand), where n − 1 adders in
 * LUTs cost less than a DSP block and are not slower than one. With `cut`, a pipeline cut is placed
 * after the tree's first level of adders (the gated copies summed in pairs), so that no stage holds
 * more than half the tree's adders in series; it is placed exactly once, whatever the tree's depth.
 */
export function shiftAddProduct(wide: Signal, narrow: Signal, prefix: string, cut?: () => void): Signal {
  const pairs = shiftAddPairs(wide, narrow, prefix);
  cut?.();
  return shiftAddSum(pairs);
}

/** A shift-and-add product up to its tree's first level of adders (see shiftAddProduct). */
export interface ShiftAddPairs {
  /** The gated copies summed in pairs (the copies themselves when there are fewer than two). */
  level: Signal[];
  /** The copy a signed narrow operand's top bit subtracts. */
  subtracted?: Signal;
  zero: Signal;
  width: number;
  prefix: string;
}

/**
 * The first half of shiftAddProduct, for a block of many products that cuts its pipeline once after
 * all their first levels (one cut for all of them, placed by the caller between this and shiftAddSum).
 */
export function shiftAddPairs(wide: Signal, narrow: Signal, prefix: string): ShiftAddPairs {
  const m = wide.builder;
  const width = wide.width + narrow.width;
  const signed = wide.signed || narrow.signed;
  // The wide operand at the product's width and signedness (an unsigned one is zero-extended first).
  const base = signed ? (wide.signed ? wide.sext(width) : wide.zext(width).asSigned()) : wide.zext(width);
  const zero = m.constant(0, base.type);
  const top = narrow.width - 1;
  const added: Signal[] = [];
  let subtracted: Signal | undefined;
  for (let bit = 0; bit <= top; bit++) {
    const copy = mux(narrow.bit(bit), base.shl(bit), zero).named(`${prefix}_pp${bit}`);
    if (bit === top && narrow.signed) subtracted = copy;
    else added.push(copy);
  }
  const level = pairUp(added, (a, b) => a.add(b, { width }));
  return { level, ...(subtracted ? { subtracted } : {}), zero, width, prefix };
}

/** The rest of shiftAddProduct's tree after its first level, and the subtraction. */
export function shiftAddSum({ level: first, subtracted, zero, width, prefix }: ShiftAddPairs): Signal {
  let level = first;
  while (level.length > 1) level = pairUp(level, (a, b) => a.add(b, { width }));
  const sum = level[0] ?? zero;
  return (subtracted === undefined ? sum : sum.sub(subtracted, { width })).named(`${prefix}_product`);
}
