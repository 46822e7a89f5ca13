// Constants derived from a float format's parameters: exponent range, largest finite value, special codes.

import type { FloatFormat } from './format.ts';

export interface FloatLayout {
  readonly bits: number;
  readonly mantBits: number;
  /** 2^mantBits: the hidden bit's weight in significand units. */
  readonly hidden: number;
  readonly bias: number;
  /** Code weight of the sign bit; 0 for unsigned formats. */
  readonly signWeight: number;
  readonly expFieldMax: number;
  /** Exponent of the smallest normal binade. */
  readonly emin: number;
  /** Largest finite value = maxUnits · 2^maxQ, with maxUnits in [hidden, 2·hidden). */
  readonly maxUnits: number;
  readonly maxQ: number;
  /** Positive codes of the largest finite value and the smallest positive value. */
  readonly maxCode: number;
  readonly minPositiveCode: number;
  readonly hasZero: boolean;
  readonly hasNegativeZero: boolean;
  readonly hasInf: boolean;
  readonly hasNaN: boolean;
  /** +Inf code, when the format has Inf. */
  readonly infCode: number | undefined;
  /** The positive quiet NaN with the top mantissa bit set (ieee), all ones (fn), or the -0 code (fnuz). */
  readonly canonicalNaNCode: number | undefined;
  /** Whether NaN codes come in both signs (ieee and fn); fnuz and unsigned formats have one NaN sign. */
  readonly nanHasSign: boolean;
}

const cache = new WeakMap<FloatFormat, FloatLayout>();

export function floatLayout(format: FloatFormat): FloatLayout {
  let layout = cache.get(format);
  if (!layout) {
    layout = computeLayout(format);
    cache.set(format, layout);
  }
  return layout;
}

function computeLayout(f: FloatFormat): FloatLayout {
  const bits = (f.signed ? 1 : 0) + f.expBits + f.mantBits;
  const hidden = 2 ** f.mantBits;
  const expFieldMax = 2 ** f.expBits - 1;
  const signWeight = f.signed ? 2 ** (bits - 1) : 0;
  const { expField, mant } = largestFinite(f, expFieldMax, hidden);
  const emin = (f.subnormals ? 1 : 0) - f.bias;
  return {
    bits,
    mantBits: f.mantBits,
    hidden,
    bias: f.bias,
    signWeight,
    expFieldMax,
    emin,
    maxUnits: hidden + mant,
    maxQ: expField - f.bias - f.mantBits,
    maxCode: expField * hidden + mant,
    minPositiveCode: f.subnormals ? 1 : 0,
    hasZero: f.subnormals,
    hasNegativeZero: f.subnormals && f.signed && f.specials !== 'fnuz',
    hasInf: f.specials === 'ieee',
    hasNaN: f.specials !== 'none',
    infCode: f.specials === 'ieee' ? expFieldMax * hidden : undefined,
    canonicalNaNCode: canonicalNaN(f, expFieldMax, hidden, signWeight),
    nanHasSign: f.signed && (f.specials === 'ieee' || f.specials === 'fn'),
  };
}

/** Exponent field and mantissa of the largest finite value. */
function largestFinite(
  f: FloatFormat,
  expFieldMax: number,
  hidden: number,
): { expField: number; mant: number } {
  switch (f.specials) {
    case 'ieee':
      return { expField: expFieldMax - 1, mant: hidden - 1 };
    case 'fn':
      // All ones is NaN; without mantissa bits that takes the whole top exponent.
      return hidden === 1
        ? { expField: expFieldMax - 1, mant: 0 }
        : { expField: expFieldMax, mant: hidden - 2 };
    case 'fnuz':
    case 'none':
      return { expField: expFieldMax, mant: hidden - 1 };
  }
}

function canonicalNaN(
  f: FloatFormat,
  expFieldMax: number,
  hidden: number,
  signWeight: number,
): number | undefined {
  switch (f.specials) {
    case 'ieee':
      return expFieldMax * hidden + hidden / 2;
    case 'fn':
      return expFieldMax * hidden + hidden - 1;
    case 'fnuz':
      return signWeight;
    case 'none':
      return undefined;
  }
}
