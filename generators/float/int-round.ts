import type { RoundingMode } from '../formats/index.ts';
import type { Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';

/**
 * Whether a magnitude rounded to an integer goes up by one, from its sign, its last kept bit, the
 * guard bit (weight 1/2) and the sticky OR of the bits below, for each rounding mode of
 * docs/ieee-and-fp8.md#policy (nearest with ties to even, away, toward zero or toward −∞; toward
 * zero; toward +∞; toward −∞).
 */
export function intRoundUp(mode: string, sign: Signal, lsb: Signal, guard: Signal, sticky: Signal): Signal {
  switch (mode as RoundingMode) {
    case 'rne':
      return guard.and(sticky.or(lsb));
    case 'rna':
      return guard;
    case 'rnz':
      return guard.and(sticky);
    case 'rnd':
      return guard.and(sticky.or(sign));
    case 'rtz':
      return sign.builder.constant(0, UInt(1));
    case 'rup':
      return sign.not().and(guard.or(sticky));
    case 'rdown':
      return sign.and(guard.or(sticky));
  }
}
