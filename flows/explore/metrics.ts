// Accuracy of a dequantized tensor against the original (docs/explore.md#metrics).

export interface Accuracy {
  /** mean (x - x̂)² */
  mse: number;
  /** 10·log10(Σx² / Σ(x - x̂)²) in dB; Infinity when x̂ = x. */
  sqnrDb: number;
  /** max |x - x̂| */
  maxError: number;
  /** KL(P ‖ Q) in nats between the histograms of x (P) and x̂ (Q), KL_BINS bins over [-max|x|, max|x|], both smoothed. */
  kl: number;
}

export const KL_BINS = 256;
/**
 * One pseudo-count added to every bin of both P and Q (Laplace smoothing): x̂ takes only the format's grid
 * values, so bins between grid points are empty and an unsmoothed KL(P ‖ Q) would be infinite for every
 * coarse format; smoothing both sides keeps KL = 0 when the histograms agree.
 */
export const KL_PSEUDO_COUNT = 1;

function histogram(values: Float64Array, amax: number): Float64Array {
  const h = new Float64Array(KL_BINS);
  for (const v of values) {
    const b = Math.floor(((v + amax) / (2 * amax)) * KL_BINS);
    h[Math.min(Math.max(b, 0), KL_BINS - 1)]! += 1;
  }
  return h;
}

export function klDivergence(x: Float64Array, xq: Float64Array): number {
  let amax = 0;
  for (const v of x) amax = Math.max(amax, Math.abs(v));
  if (amax === 0) return 0;
  const p = histogram(x, amax);
  const q = histogram(xq, amax);
  const pTotal = x.length + KL_BINS * KL_PSEUDO_COUNT;
  const qTotal = xq.length + KL_BINS * KL_PSEUDO_COUNT;
  let kl = 0;
  for (let b = 0; b < KL_BINS; b++) {
    const pb = (p[b]! + KL_PSEUDO_COUNT) / pTotal;
    kl += pb * Math.log(pb / ((q[b]! + KL_PSEUDO_COUNT) / qTotal));
  }
  return kl;
}

export function accuracy(x: Float64Array, xq: Float64Array): Accuracy {
  if (x.length !== xq.length) throw new Error(`accuracy: ${x.length} values against ${xq.length}`);
  if (x.length === 0) throw new Error('accuracy: the tensor is empty');
  let signal = 0;
  let noise = 0;
  let maxError = 0;
  for (let i = 0; i < x.length; i++) {
    const e = x[i]! - xq[i]!;
    signal += x[i]! * x[i]!;
    noise += e * e;
    maxError = Math.max(maxError, Math.abs(e));
  }
  return {
    mse: noise / x.length,
    sqnrDb: noise === 0 ? Infinity : 10 * Math.log10(signal / noise),
    maxError,
    kl: klDivergence(x, xq),
  };
}
