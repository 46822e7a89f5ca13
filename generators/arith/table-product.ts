import { floatLayout, type FloatFormat } from '../formats/index.ts';
import { HdlError } from '../hdl/errors.ts';
import { cat, mux, select, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { lookup, romModule, tabulate } from '../hdl/tabulate.ts';
import { atMostConstant } from './compare-constant.ts';
import { exactProduct } from './product.ts';
import type { NormalizedFloat } from './raw-float.ts';
import { operandLeadingZeros, type UnpackedFloat } from './unpack.ts';
import { signedBits, unsignedBits } from './widths.ts';

/** The two fractions together have at most this many bits: each table column is one LUT6. */
export const TABLE_INDEX_BITS = 6;

/** Formats whose product tabledProduct can form (the fractions fit one table index). */
export function fitsTable(fa: FloatFormat, fb: FloatFormat): boolean {
  return fa.mantBits + fb.mantBits <= TABLE_INDEX_BITS && fa.mantBits > 0 && fb.mantBits > 0;
}

/**
 * The product of two narrow floats, aligned to `fo` for roundPack with subnormals kept
 * (docs/fp_mul.md#table-product). Subnormal operands are normalized, and the product of the two
 * fractions is looked up in one table: its carry into the next binade, its mantissa at the output's
 * precision, the guard bit and the sticky bit below it, already normalized. The exponent is the sum
 * of the fields, less the subnormal operand's leading zeros, plus the carry. Below the normal range
 * the looked-up significand is shifted right by its distance to emin; beyond M + 2 places only the
 * sticky bit is left.
 *
 * A subnormal result's exponent is not its field (NormalizedFloat.subnormalExpUnset): roundPack sets
 * the field after rounding, where it also sets the special codes, and the rounding adds to the
 * packed magnitude with no mux before it. `cut(point)` places the pipeline cuts it names.
 */
export function tabledProduct(
  a: UnpackedFloat,
  b: UnpackedFloat,
  formats: { a: FloatFormat; b: FloatFormat; out: FloatFormat },
  prefix: string,
  options: {
    flushed: boolean;
    /** Keep the bit below the guard exact (for the underflow flag under tininess after rounding). */
    belowGuard: boolean;
    /** The table's module: its name, and the generator it is part of. */
    rom: { name: string; generator: string };
    cut: (point: 'unpack' | 'product' | 'normalize') => void;
  },
): NormalizedFloat {
  const { a: fa, b: fb, out: fo } = formats;
  if (!fitsTable(fa, fb)) {
    throw new HdlError(
      `${prefix}: a table product needs fractions of ${TABLE_INDEX_BITS} bits or fewer together, not ${fa.mantBits} + ${fb.mantBits}`,
    );
  }
  const m = a.sign.builder;
  const Mo = fo.mantBits;
  const layout = floatLayout(fo);

  // A subnormal's fraction is its mantissa shifted up past its leading one, and its exponent is as
  // many places below its field's (a normal operand's count is 0).
  const fraction = (x: UnpackedFloat, f: FloatFormat, p: string) => {
    const M = f.mantBits;
    if (!f.subnormals || options.flushed) return { frac: x.sig.slice(M - 1, 0), lz: undefined };
    const lz = operandLeadingZeros(x, f, p);
    return {
      frac: x.sig
        .shl(lz)
        .slice(M - 1, 0)
        .named(`${p}_frac`),
      lz,
    };
  };
  const [ua, ub] = [fraction(a, fa, 'a'), fraction(b, fb, 'b')];
  // The output field before rounding counts from this constant: the sum of the effective fields
  // (a subnormal's reads as 1), less the leading zeros, plus the carry, plus `base`.
  const base = fo.bias - fa.bias - fb.bias;
  // When both operands are subnormal the product lies beyond M + 2 places below the output's
  // subnormals whichever count is taken (field at most 1 + 1 − 1 + 1 + base), so where that holds
  // the larger count (an OR) stands for their sum.
  const shift =
    ua.lz === undefined
      ? ub.lz
      : ub.lz === undefined
        ? ua.lz
        : 2 + base <= -Mo - 1
          ? ua.lz.or(ub.lz)
          : ua.lz.add(ub.lz, { width: unsignedBits(fa.mantBits + fb.mantBits + 2) });
  options.cut('unpack');

  const rom = tabulate(fa.mantBits + fb.mantBits, (index) => fractionProduct(index, fb.mantBits, Mo));
  // exactProduct's significand is the table's word {carry, mantissa, guard, sticky}; its exponent
  // (keepBiases) is the sum of the effective fields.
  const product = exactProduct(a, b, `${prefix}_product`, {
    keepBiases: true,
    multiply: () => {
      const t = lookup(
        m,
        romModule(rom, options.rom.name, options.rom.generator),
        cat(ua.frac, ub.frac),
        `${prefix}_table`,
      );
      return cat(t.carry!, t.mant!, t.guard!, t.sticky!);
    },
  });
  // The field before the carry, and the decisions taken from it (tiny, vanishing, how far), beside
  // the table: after it, each is one step from the carry.
  const fieldSum = product.exp;
  const shiftMax = shift === undefined ? 0 : 2 ** shift.width - 1;
  const sumMax = 2 ** fa.expBits + 2 ** fb.expBits - 2;
  const expWidth = signedBits(2 + base - shiftMax, sumMax + base + 1);
  const adjust =
    shift === undefined
      ? m.constant(base, SInt(expWidth))
      : select(
          shift,
          Array.from({ length: shiftMax + 1 }, (_, k) => m.constant(base - k, SInt(expWidth))),
        );
  const before = fieldSum
    .resize(expWidth)
    .asSigned()
    .add(adjust, { width: expWidth })
    .named(`${prefix}_field_base`);
  const belowZero = atMostConstant(before, -1).named(`${prefix}_below_zero`);
  const atZero = before.eq(0).named(`${prefix}_at_zero`);
  const belowGone = atMostConstant(before, -Mo - 2).named(`${prefix}_below_gone`);
  const atGone = before.eq(-Mo - 1).named(`${prefix}_at_gone`);
  const countBits = unsignedBits(Mo);
  const notLow = before
    .slice(countBits - 1, 0)
    .not()
    .named(`${prefix}_field_base_not`);
  options.cut('product');

  const word = product.sig;
  const carry = word.msb();
  const mant = word.slice(Mo + 1, 2);
  const guard = word.bit(1);
  const sticky = word.bit(0);
  const exp = before
    .add(carry.zext(2).asSigned().resize(expWidth), { width: expWidth })
    .named(`${prefix}_field_unrounded`);

  // At or below field 0 the significand {1, mantissa, guard} goes right by 1 − field places,
  // what falls out joins the sticky bit; from M + 2 places on nothing but the sticky bit is left.
  const significand = cat(m.constant(1, UInt(1)), mant, guard);
  const tiny = belowZero.or(atZero.and(carry.not())).named(`${prefix}_tiny`);
  const vanishes = belowGone.or(atGone.and(carry.not())).named(`${prefix}_vanishes`);
  // 1 − field − 1 = −field = ~field_base + 1 − carry, in as many bits as it takes up to M.
  const distance = notLow
    .add(carry.not().zext(countBits), { width: countBits })
    .named(`${prefix}_denorm_distance`);
  // With `belowGuard`, the bit below the guard stays exact where the result can round up to the
  // smallest normal (one place right, field 0: it is the table's guard bit; a zero elsewhere, the
  // sticky bit holding what fell out): tininess after rounding reads it (roundPack rounds a tiny value
  // again, one bit finer). Without, it joins the sticky bit.
  const zero = m.constant(0, UInt(1));
  const below = (word: Signal) => (options.belowGuard ? cat(word, zero) : word);
  const wide = below(significand);
  const shifted = Array.from({ length: Mo + 1 }, (_, k) =>
    options.belowGuard && k === 0 ? cat(significand.shr(1), guard) : below(significand.shr(k + 1)),
  );
  const dropped = Array.from({ length: Mo + 1 }, (_, k) =>
    options.belowGuard && k === 0 ? zero : significand.slice(k, 0).orR(),
  );
  const denormalized = mux(vanishes, m.constant(0, UInt(wide.width)), select(distance, shifted)).named(
    `${prefix}_sig_denorm`,
  );
  const lost = vanishes.or(select(distance, dropped)).named(`${prefix}_denorm_lost`);
  const sig = mux(tiny, denormalized, wide).named(`${prefix}_sig`);
  options.cut('normalize');
  return {
    ...product,
    exp,
    sig,
    sticky: mux(tiny, sticky.or(lost), sticky).named(`${prefix}_sticky`),
    expBias: fo.bias,
    expRange: { min: 0, max: sumMax + base + 1 },
    alignedEmin: layout.emin,
    subnormalExpUnset: true,
  };
}

/**
 * For the table: the product of two significands 1.f and 1.g whose fractions are the index's high
 * and low bits, normalized to M bits of mantissa: whether it carried into the next binade, the
 * mantissa, the guard bit and the OR of the bits below.
 */
function fractionProduct(index: Signal, lowBits: number, M: number): Record<string, Signal> {
  const one = index.builder.constant(1, UInt(1));
  const x = cat(one, index.slice(index.width - 1, lowBits));
  const y = cat(one, index.slice(lowBits - 1, 0));
  const product = x.mul(y);
  const carry = product.msb();
  // Normalized: the leading one at the top, then every bit below it, and zeros past the product's.
  const normalized = cat(mux(carry, product, product.shl(1)), index.builder.constant(0, UInt(M + 2)));
  const top = normalized.width - 2;
  return {
    carry,
    mant: normalized.slice(top, top - M + 1),
    guard: normalized.bit(top - M),
    sticky: normalized.slice(top - M - 1, 0).orR(),
  };
}
