// The MX quantizer's golden model against whole blocks computed by a second implementation of OCP
// Algorithm 1, in numpy with ml_dtypes' element casts (testbenches/vectors/external/README.md,
// mx-quantize): every scale and every element code must match; and each wrong variant of the golden
// model that applies must miss some block, so that the vectors could tell a wrong model.
import { describe, expect, it } from 'vitest';
import { MX_VECTOR_FORMATS, MX_VECTOR_INPUTS, mxQuantizeCases } from '../vectors/mx-quantize.ts';
import { quantizeGolden, type QuantizeSpec } from './quantize.ts';
import { withVariant } from './variant.ts';

const PAIRS: [string, string][] = MX_VECTOR_FORMATS.flatMap((format) =>
  MX_VECTOR_INPUTS.map((inFormat): [string, string] => [format, inFormat]),
);

/** The rules the vectors were made with: ties to even, subnormal inputs kept. */
const spec = (format: string, inFormat: string): QuantizeSpec => ({
  format,
  inFormat,
  rounding: 'rne',
  inputSubnormals: 'keep',
});

/** The blocks the golden model quantizes differently, described for a failure message. */
function mismatches(format: string, inFormat: string): string[] {
  return mxQuantizeCases(format, inFormat).flatMap((c, i) => {
    const ours = quantizeGolden(spec(format, inFormat), c.inputs);
    if (ours.scale === c.scale && ours.elements.every((e, j) => e === c.elements[j])) return [];
    const hex = (codes: number[]) => codes.map((x) => x.toString(16)).join(' ');
    return [
      `block ${i} (${c.tag}): scale ${ours.scale} vs ${c.scale}, elements ${hex(ours.elements)} vs ${hex(c.elements)}`,
    ];
  });
}

/** Wrong variants of the golden model (testbenches/mutation/tables.ts), with the inputs they apply to. */
const VARIANTS: [string, (inFormat: string) => boolean][] = [
  ['quantize.other-rounding', () => true],
  ['quantize.ties-toward-zero', () => true],
  ['quantize.shared-exponent-up', () => true],
  ['quantize.shared-exponent-down', () => true],
  // fp16 inputs never need a scale below 2^-127.
  ['quantize.no-scale-floor', (inFormat) => inFormat !== 'fp16'],
  ['quantize.no-clamp', () => true],
  ['quantize.specials-ignored', () => true],
  ['quantize.input-subnormals', () => true],
];

describe('quantize golden model against numpy + ml_dtypes MX blocks', () => {
  it.each(PAIRS)('%s from %s: every scale and element code', (format, inFormat) => {
    expect(mxQuantizeCases(format, inFormat).length).toBeGreaterThan(150);
    const missed = mismatches(format, inFormat);
    expect(missed.length, missed.slice(0, 3).join('\n')).toBe(0);
  });

  it.each(VARIANTS)('the variant %s misses blocks of every file it applies to', (tag, applies) => {
    const counts = PAIRS.filter(([, inFormat]) => applies(inFormat)).map(([format, inFormat]) => ({
      file: `${format}_${inFormat}`,
      blocks: withVariant({ tag }, () => mismatches(format, inFormat).length),
    }));
    expect(counts.filter((m) => m.blocks === 0)).toEqual([]);
  });
});
