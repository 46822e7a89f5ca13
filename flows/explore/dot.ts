// Dot-product error of `explore --activation` (docs/explore.md#dot-products): W as rows of K weights, x a
// sample of K activations; y = W·x in fp64 against ŷ = Ŵ·x̂, the dequantized weights times the
// activations rounded to the activation format, summed in fp64. The catalog's MACs and GEMV cores sum
// their products exactly and round once at the output, so ŷ is what they compute before that rounding.

import {
  decodeNumber,
  encodeNumber,
  formatByName,
  formatNames,
  type Format,
} from '../../generators/formats/index.ts';

export const DEFAULT_DOT_LENGTH = 4096;

/** An activation format: a signed float format of the formats library (activations carry no scale here). */
export function parseActivationFormat(name: string): Format {
  const floats = formatNames().filter((n) => {
    const f = formatByName(n);
    return f.kind === 'float' && f.signed;
  });
  if (!floats.includes(name))
    throw new Error(
      `--activation '${name}' is not allowed: use a signed float format (${floats.join(', ')})`,
    );
  return formatByName(name);
}

/** Each value rounded to `format` (nearest even, saturating), read back as a double. */
export function roundActivations(format: Format, x: Float64Array): Float64Array {
  return x.map((v) =>
    decodeNumber(format, encodeNumber(format, v, { rounding: 'rne', overflow: 'saturate' }).code),
  );
}

/**
 * sqrt(Σ_r (ŷ_r − y_r)² / Σ_r y_r²) over the floor(n / K) rows of K weights (elements past the last full row
 * are left out): y_r = Σ_j w[rK + j]·x[j], ŷ_r the same with ŵ and x̂.
 */
export function dotRelativeError(
  w: Float64Array,
  wq: Float64Array,
  x: Float64Array,
  xq: Float64Array,
): number {
  const k = x.length;
  const rows = Math.floor(w.length / k);
  if (rows === 0)
    throw new Error(`dot products: the tensor has ${w.length} elements, fewer than one row of ${k}`);
  let signal = 0;
  let noise = 0;
  for (let r = 0; r < rows; r++) {
    let y = 0;
    let yq = 0;
    for (let j = 0; j < k; j++) {
      y += w[r * k + j]! * x[j]!;
      yq += wq[r * k + j]! * xq[j]!;
    }
    signal += y * y;
    noise += (yq - y) ** 2;
  }
  return signal === 0 ? (noise === 0 ? 0 : Infinity) : Math.sqrt(noise / signal);
}
