// The exact product of two decoded values (element × scale, block scale × tensor scale). A factor whose
// significand is a single bit — an E8M0 scale, a power-of-two element — costs no multiplier: its
// exponent is added and the other significand passes through. A narrow factor (an E2M1, E2M3 or INT4
// significand) multiplies by shifts and adds, which synthesis never maps to a DSP block.

import type { NormalizedFloat, RawFloat } from '../arith/raw-float.ts';
import { mux, select, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';

/** Significands of at most this many bits multiply by shift-and-add. */
const SHIFT_ADD_BITS = 4;
/** A table entry's product takes the scale's significand in slices of this many bits. */
const SLICE_BITS = 3;

/** NaN, Inf and zero of a product: 0 × Inf is NaN, NaN wins, otherwise Inf or zero if a factor is. */
function productClasses(a: NormalizedFloat, b: NormalizedFloat) {
  const isNaN = a.isNaN.or(b.isNaN).or(a.isZero.and(b.isInf)).or(a.isInf.and(b.isZero));
  return {
    isNaN,
    isInf: a.isInf.or(b.isInf).and(isNaN.not()),
    isZero: a.isZero.or(b.isZero).and(isNaN.not()),
  };
}

/**
 * a × b exactly. Both significands are normalized (top bit set when the value is finite and nonzero);
 * the product has at most one leading zero, which `maxLeadingZeros` tells the normalizer. `cut` (if
 * given) is called once: halfway through a shift-and-add tree of partial products, else after the
 * product. With `tabulate` (opt-in, for a factor `a` that is a table's constant entry) a product of
 * two wider significands is built as a constant-coefficient multiplier (tabulatedProduct).
 * `afterLookup` (if given) is called once: between that multiplier's lookups and its additions, else
 * before the product.
 */
export function exactProduct(
  a: NormalizedFloat,
  b: NormalizedFloat,
  prefix: string,
  cut?: () => void,
  tabulate = false,
  afterLookup?: () => void,
): RawFloat {
  const sign = a.sign.xor(b.sign).named(`${prefix}_sign`);
  const classes = productClasses(a, b);
  const isNaN = classes.isNaN.named(`${prefix}_is_nan`);
  const isInf = classes.isInf.named(`${prefix}_is_inf`);
  const isZero = classes.isZero.named(`${prefix}_is_zero`);
  // A one-bit significand is 1: the product is the other factor, shifted by the exponent sum.
  if (a.sig.width === 1 || b.sig.width === 1) {
    const sig = a.sig.width === 1 ? b.sig : a.sig;
    const exp = a.exp.add(b.exp).named(`${prefix}_exp`);
    afterLookup?.();
    cut?.();
    return { sign, exp, sig, isZero, isInf, isNaN, maxLeadingZeros: 0 };
  }
  const [narrow, wide] = a.sig.width <= b.sig.width ? [a.sig, b.sig] : [b.sig, a.sig];
  // sig·2^(ea−wa+1)·2^(eb−wb+1): the product's top bit (of wa+wb) weighs 2^(ea+eb+1).
  // (A table's entry exponent is a constant: added to the 1 first, it leaves one adder.)
  const exp = (
    tabulate
      ? b.exp.add(a.exp.add(1), { width: Math.max(a.exp.width, b.exp.width) + 2 })
      : a.exp.add(b.exp).add(1)
  ).named(`${prefix}_exp`);
  let sig: Signal;
  if (narrow.width <= SHIFT_ADD_BITS) {
    afterLookup?.();
    sig = shiftAddProduct(narrow, wide, prefix, cut);
  } else if (tabulate) sig = tabulatedProduct(a.sig, b.sig, prefix, cut, afterLookup);
  else {
    afterLookup?.();
    sig = narrow.mul(wide);
    cut?.();
  }
  return { sign, exp, sig: sig.named(`${prefix}_sig`), isZero, isInf, isNaN, maxLeadingZeros: 1 };
}

/**
 * narrow × wide as a sum of shifted copies of `wide`, one per bit of `narrow`, added in a balanced
 * tree (`cut`, if given, after half its levels). The top bit of a normalized significand is 1
 * whenever the product matters, so its copy needs no gate.
 */
function shiftAddProduct(narrow: Signal, wide: Signal, prefix: string, cut?: () => void): Signal {
  const m = wide.builder;
  const width = narrow.width + wide.width;
  const zero = m.constant(0, UInt(width));
  const terms = [wide.zext(width).shl(narrow.width - 1)];
  for (let i = narrow.width - 2; i >= 0; i--) terms.push(mux(narrow.bit(i), wide.zext(width).shl(i), zero));
  return addTree(terms, width, prefix, cut);
}

/**
 * entry × variable where `entry` is a constant once the design is flattened (a table's entry): the
 * variable factor in slices of SLICE_BITS bits, each slice × entry picked from the entry's 2^SLICE_BITS
 * multiples (constants after folding: one LUT per bit, a constant-coefficient multiplier as in K. D.
 * Chapman, "Fast integer multipliers fit in FPGAs", Electronics Letters 30(10), 1994), and the slices'
 * terms added in a balanced tree (`cut`, if given, after half its levels; `afterLookup`, if given,
 * between the lookups and the tree). No multiplier cell: synthesis
 * never maps it to a DSP block, whose delay (and the routing to it) is longer than the whole tree.
 */
function tabulatedProduct(
  entry: Signal,
  variable: Signal,
  prefix: string,
  cut?: () => void,
  afterLookup?: () => void,
): Signal {
  const m = entry.builder;
  const width = entry.width + variable.width;
  // k × entry for every slice value k (the sum of entry's shifts by k's set bits), shared by the slices.
  const w = entry.width + SLICE_BITS;
  const multiples = Array.from({ length: 2 ** SLICE_BITS }, (_, k) => {
    let sum: Signal | undefined;
    for (let b = 0; b < SLICE_BITS; b++) {
      if (((k >> b) & 1) === 0) continue;
      const shifted = entry.zext(w).shl(b);
      sum = sum === undefined ? shifted : sum.add(shifted, { width: w });
    }
    return k < 2 ? (sum ?? m.constant(0, UInt(w))) : sum!.named(`${prefix}_x${k}`);
  });
  const terms: Signal[] = [];
  for (let lsb = 0; lsb < variable.width; lsb += SLICE_BITS) {
    const bits = Math.min(SLICE_BITS, variable.width - lsb);
    const term = select(variable.slice(lsb + bits - 1, lsb), multiples.slice(0, 2 ** bits));
    terms.push(term.named(`${prefix}_t${terms.length}`));
  }
  afterLookup?.();
  return addTree(
    terms.map((t, i) => t.zext(width).shl(i * SLICE_BITS)),
    width,
    prefix,
    cut,
  );
}

/** A balanced tree of additions, `cut` (if given) after half its levels. */
function addTree(terms: Signal[], width: number, prefix: string, cut?: () => void): Signal {
  const half = Math.ceil(Math.ceil(Math.log2(terms.length)) / 2);
  let cutDone = false;
  for (let level = 0; terms.length > 1; level++) {
    if (level === half && cut !== undefined) {
      terms = terms.map((t, i) => t.named(`${prefix}_partial${i}`));
      cut();
      cutDone = true;
    }
    terms = Array.from({ length: Math.ceil(terms.length / 2) }, (_, i) =>
      i * 2 + 1 < terms.length ? terms[2 * i]!.add(terms[2 * i + 1]!, { width }) : terms[2 * i]!,
    );
  }
  if (!cutDone) cut?.();
  return terms[0]!;
}

/** The same value with the opposite sign (NaN keeps its own). */
export function negated(v: NormalizedFloat): NormalizedFloat {
  return { ...v, sign: v.sign.not() };
}
