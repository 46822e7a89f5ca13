import { classify, floatLayout, type FloatFormat } from '../../generators/formats/index.ts';
import type { Random } from './random.ts';

/**
 * Codes where float datapaths break: both zeros, the subnormal and normal extremes, one and its
 * neighbours, the largest finite values, Inf and quiet and signalling NaNs, each with both signs.
 */
export function cornerCodes(format: FloatFormat): number[] {
  const layout = floatLayout(format);
  const hidden = layout.hidden;
  const one = format.bias * hidden; // exponent field = bias: the value 1
  const magnitudes = [
    0,
    1,
    2,
    hidden - 1,
    hidden,
    hidden + 1,
    one - 1,
    one,
    one + 1,
    one + hidden / 2,
    layout.maxCode - hidden,
    layout.maxCode - 1,
    layout.maxCode,
    layout.maxCode + 1,
    layout.expFieldMax * hidden,
    layout.expFieldMax * hidden + 1,
    layout.expFieldMax * hidden + hidden / 2,
    layout.expFieldMax * hidden + hidden - 1,
  ];
  const limit = layout.signWeight > 0 ? layout.signWeight : 2 ** layout.bits;
  const codes = new Set<number>();
  for (const mag of magnitudes) {
    if (!Number.isInteger(mag) || mag < 0 || mag >= limit) continue;
    codes.add(mag);
    if (layout.signWeight > 0) codes.add(mag + layout.signWeight);
  }
  return [...codes].sort((x, y) => x - y);
}

/** A uniformly random code of the format. */
export function randomCode(rng: Random, format: FloatFormat): number {
  return Number(rng.bits(floatLayout(format).bits));
}

/**
 * A random finite code whose unbiased exponent is near `exponent` (within ±spread), with random sign
 * and mantissa: steers products and sums to the edges of a result format.
 */
export function codeNearExponent(rng: Random, format: FloatFormat, exponent: number, spread = 2): number {
  const layout = floatLayout(format);
  const target = exponent + rng.below(2 * spread + 1) - spread;
  const field = Math.min(Math.max(target + format.bias, 0), layout.expFieldMax);
  const code = field * layout.hidden + rng.below(layout.hidden);
  const signed = layout.signWeight > 0 && rng.chance(0.5) ? code + layout.signWeight : code;
  return classify(format, signed) === 'nan' ? signed - 1 : signed;
}
