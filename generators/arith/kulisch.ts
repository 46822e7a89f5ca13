import { floatLayout, type FloatFormat, type IntFormat } from '../formats/index.ts';

export interface KulischLayout {
  /** Signed accumulator width: bitlen(k·K_A·K_B) + 1 (docs/kulisch.md#width). */
  width: number;
  /** Exponent of the accumulator's LSB: q_A·q_B = 2^lsbExp. */
  lsbExp: number;
}

/**
 * Every finite value of a float format is an integer multiple of q = 2^(emin − M); K = max/q. A
 * fixed-point integer (MXINT8's int8 · 2^-6) has q = 2^-fracBits and K = its largest magnitude code.
 */
function grid(format: FloatFormat | IntFormat): { qExp: number; K: bigint } {
  if (format.kind === 'int')
    return { qExp: -format.fracBits, K: 1n << BigInt(format.signed ? format.bits - 1 : format.bits) };
  const layout = floatLayout(format);
  const qExp = layout.emin - format.mantBits;
  // max = maxUnits · 2^maxQ, so K = maxUnits · 2^(maxQ − qExp).
  return { qExp, K: BigInt(layout.maxUnits) << BigInt(layout.maxQ - qExp) };
}

/** The exact accumulator for sums of k products of A and B (docs/kulisch.md#width: W_acc = bitlen(k·K_A·K_B) + 1). */
export function kulischLayout(
  a: FloatFormat | IntFormat,
  b: FloatFormat | IntFormat,
  k: number,
): KulischLayout {
  const ga = grid(a);
  const gb = grid(b);
  return { width: (BigInt(k) * ga.K * gb.K).toString(2).length + 1, lsbExp: ga.qExp + gb.qExp };
}

/** The exact accumulator for sums of k values of one format (products already rounded to it, as L-Mul's). */
export function kulischSumLayout(format: FloatFormat, k: number): KulischLayout {
  const g = grid(format);
  return { width: (BigInt(k) * g.K).toString(2).length + 1, lsbExp: g.qExp };
}
