// The element decoders against an external reference: ml_dtypes 0.6.0's code tables (every code point
// as f32 bits, and ml_dtypes' own conversions to binary16 and bfloat16). Each code goes through a
// dequantizer without scale (and the E8M0 table through the scale decoder), in the TypeScript evaluator.

import { describe, expect, it } from 'vitest';
import { parseHex, readCsv } from '../formats/conformance/fixtures.ts';
import { parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { dequant, type DequantParams } from './dequant.ts';

const FLOAT_TABLES: [file: string, format: string][] = [
  ['float4_e2m1fn', 'e2m1fn'],
  ['float6_e2m3fn', 'e2m3fn'],
  ['float6_e3m2fn', 'e3m2fn'],
  ['float8_e4m3fn', 'e4m3fn'],
  ['float8_e5m2', 'e5m2'],
  ['float8_e4m3fnuz', 'e4m3fnuz'],
  ['float8_e5m2fnuz', 'e5m2fnuz'],
  ['float8_e4m3b11fnuz', 'e4m3b11fnuz'],
  ['float8_e4m3', 'e4m3'],
  ['float8_e3m4', 'e3m4'],
];

const OUTPUTS = [
  {
    outFormat: 'fp32',
    column: 'f32',
    nan: (x: bigint) => (x & 0x7f800000n) === 0x7f800000n && (x & 0x7fffffn) !== 0n,
  },
  { outFormat: 'fp16', column: 'half', nan: (x: bigint) => (x & 0x7c00n) === 0x7c00n && (x & 0x3ffn) !== 0n },
  { outFormat: 'bf16', column: 'bf16', nan: (x: bigint) => (x & 0x7f80n) === 0x7f80n && (x & 0x7fn) !== 0n },
] as const;

/** The unit's output for every code (one lane, one vector per code). */
function convertAll(raw: Record<string, unknown>, codes: number): bigint[] {
  const p = parseParams(dequant, { lanes: 1, latency: 0, ...raw }) as DequantParams;
  const stimulus = Array.from({ length: codes }, (_, c) => [BigInt(c), ...(p.scale === 'none' ? [] : [0n])]);
  return runVectors(dequant.build(p), stimulus).map((row) => row[0]!);
}

/** Rows where the unit disagrees with the table: bit-exact, NaN for NaN (ml_dtypes' NaN payloads and signs vary). */
function disagreements(
  rows: Record<string, string>[],
  got: readonly bigint[],
  column: string,
  isNaN: (x: bigint) => boolean,
): string[] {
  return rows.flatMap((row, i) => {
    const expected = BigInt(parseHex(row[column]!));
    const actual = got[i]!;
    const agree = isNaN(expected) ? isNaN(actual) : actual === expected;
    return agree ? [] : [`code ${row.code}: expected ${row[column]}, got ${actual.toString(16)}`];
  });
}

describe('element decoders against ml_dtypes code tables', () => {
  for (const [file, format] of FLOAT_TABLES) {
    const rows = readCsv(`mldtypes/codepoints_${file}.csv`);
    // 8-bit formats as a 256-entry table are slow to build here; the 4- and 6-bit ones cover the table path.
    const architectures = rows.length > 64 ? (['lanes'] as const) : (['lanes', 'table'] as const);
    for (const architecture of architectures) {
      it(`${format}: every code to fp32, fp16 and bf16 (${architecture})`, () => {
        for (const out of OUTPUTS) {
          const got = convertAll(
            { format, scale: 'none', outFormat: out.outFormat, architecture },
            rows.length,
          );
          expect(disagreements(rows, got, out.column, out.nan)).toEqual([]);
        }
      });
    }
  }

  for (const format of ['int4', 'uint4']) {
    it(`${format}: every code`, () => {
      const rows = readCsv(`mldtypes/codepoints_${format}.csv`);
      // 8-bit formats as a 256-entry table are slow to build here; the 4- and 6-bit ones cover the table path.
      const architectures = rows.length > 64 ? (['lanes'] as const) : (['lanes', 'table'] as const);
      for (const architecture of architectures) {
        const got = convertAll({ format, scale: 'none', outFormat: 'fp32', architecture }, 16);
        const values = rows.map((r) => ({ code: parseHex(r.code!), value: Number(r.value) }));
        const asNumbers = got.map((bits) => new Float32Array(new Uint32Array([Number(bits)]).buffer)[0]!);
        expect(values.map((v) => asNumbers[v.code])).toEqual(values.map((v) => v.value));
      }
    });
  }

  it('e8m0fnu: every scale code (element 1.0) to fp32, in each architecture', () => {
    const rows = readCsv('mldtypes/codepoints_float8_e8m0fnu.csv');
    for (const architecture of ['lanes', 'shared-exponent'] as const) {
      const p = parseParams(dequant, {
        format: 'e2m1fn',
        scale: 'e8m0fnu',
        outFormat: 'fp32',
        lanes: 1,
        latency: 0,
        architecture,
      }) as DequantParams;
      const got = runVectors(
        dequant.build(p),
        rows.map((r) => [0x2n, BigInt(parseHex(r.code!))]),
      ).map((row) => row[0]!);
      expect(disagreements(rows, got, 'f32', OUTPUTS[0].nan)).toEqual([]);
    }
  });
});
