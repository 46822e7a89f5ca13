// The NVFP4 and int8 quantize plans' default vectors tell the golden model from each of its wrong
// variants that apply (testbenches/mutation/tables.ts), as the mutation test does for catalog IPs
// (neither has a quantizer in the catalog); that the NVFP4 plan holds the cases it names; and that an MX
// plan replays the numpy + ml_dtypes blocks carried for its formats.
import { describe, expect, it } from 'vitest';
import { parseParams } from '../../generators/generator.ts';
import { quantize, type QuantizeParams } from '../../generators/quantize/quantize.ts';
import { withVariant } from '../golden/variant.ts';
import { MUTATION_TABLES } from '../mutation/tables.ts';
import { mxQuantizeCases } from '../vectors/mx-quantize.ts';
import { quantizeExpected, quantizePlan } from './quantize.ts';

const params = (extra: Record<string, unknown>) =>
  parseParams(quantize, { format: 'nvfp4', ...extra }) as QuantizeParams;

describe('quantize plan, NVFP4 and int8', () => {
  const table = MUTATION_TABLES.find((t) => t.generator === 'quantize')!;
  for (const extra of [
    { inFormat: 'bf16' },
    { inFormat: 'fp32', scaleRounding: 'up', rounding: 'rnz' },
    { format: 'int8', inFormat: 'bf16' },
    { format: 'int8', inFormat: 'fp16', rounding: 'rna', groupSize: 8 },
  ])
    it(`kills every variant that applies (${JSON.stringify(extra)})`, () => {
      const p = params(extra);
      const vectors = quantizePlan.vectors(p, { kind: 'default' }, 1);
      const applied = table.variants.filter(
        (v) => (v.appliesTo?.(p as never) ?? true) === true,
      ) as typeof table.variants;
      expect(applied.map((v) => v.name)).toEqual(
        expect.arrayContaining(
          p.format === 'int8'
            ? ['quantize.scale-unrounded', 'quantize.scale-zero']
            : ['quantize.scale-rounding', 'quantize.tensor-scale-ignored'],
        ),
      );
      const survivors = applied.filter((v) =>
        withVariant(v.change, () =>
          vectors.stimulus.every((row, i) => {
            const [scale, elements] = quantizeExpected(p, row[0]!, row[1]);
            return scale === vectors.expected[i]![0] && elements === vectors.expected[i]![1];
          }),
        ),
      );
      expect(survivors.map((v) => v.name)).toEqual([]);
    });

  it('gives every port a bit pattern of its width, from every input format', () => {
    for (const [inFormat, bits] of [
      ['fp32', 32],
      ['fp16', 16],
      ['bf16', 16],
    ] as const) {
      const vectors = quantizePlan.vectors(params({ inFormat }), { kind: 'default' }, 1);
      for (const [x, tensor] of vectors.stimulus) {
        expect(x! >= 0n && x! < 1n << BigInt(16 * bits), `${inFormat} x ${x}`).toBe(true);
        expect(tensor! >= 0n && tensor! < 1n << 32n, `${inFormat} tensor ${tensor}`).toBe(true);
      }
    }
  });

  it('holds NaN blocks, both limits of the block scale and every E2M1 code', () => {
    const p = params({ inFormat: 'bf16' });
    const vectors = quantizePlan.vectors(p, { kind: 'corner' }, 1);
    const scales = vectors.expected.map(([scale]) => Number(scale));
    for (const code of [0x7f, 0x01, 0x7e]) expect(scales.filter((s) => s === code).length).toBeGreaterThan(5);
    const elements = vectors.expected.flatMap(([, e]) =>
      Array.from({ length: 16 }, (_, i) => Number((e! >> BigInt(4 * i)) & 0xfn)),
    );
    expect(new Set(elements).size).toBe(16);
  });
});

describe('quantize plan, MX', () => {
  it('replays the numpy + ml_dtypes blocks of its format and input format, expected as they were computed', () => {
    const p = parseParams(quantize, { format: 'mxfp8_e4m3', inFormat: 'fp32' }) as QuantizeParams;
    const cases = mxQuantizeCases(p.format, p.inFormat);
    const vectors = quantizePlan.vectors(p, { kind: 'corner' }, 1);
    const rows = new Map(vectors.stimulus.map(([x], i) => [x!, vectors.expected[i]!]));
    const pack = (codes: number[], bits: number) =>
      codes.reduce((acc, c, i) => acc | (BigInt(c) << BigInt(bits * i)), 0n);
    expect(cases.length).toBeGreaterThan(150);
    for (const c of cases)
      expect(rows.get(pack(c.inputs, 32)), c.tag).toEqual([BigInt(c.scale), pack(c.elements, 8)]);
  });
});
