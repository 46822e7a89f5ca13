// Berkeley TestFloat 3e vectors (SoftFloat 3e, RISC-V specialization): results and flags of f16/f32
// mul, add, mulAdd and the f16/f32/bf16 conversions, with the library configured by TESTFLOAT_POLICY.

import { describe, expect, it } from 'vitest';
import { addCodes, fmaCodes, mulCodes } from '../code-arith.ts';
import { convert } from '../convert.ts';
import { testFloatFlagByte, type Encoded } from '../flags.ts';
import { formatByName } from '../presets.ts';
import { TESTFLOAT_POLICY } from '../reference-policies.ts';
import { hex, parseHex, readVectorLines } from './fixtures.ts';

const FORMATS = { f16: formatByName('fp16'), f32: formatByName('fp32'), bf16: formatByName('bf16') };
type Name = keyof typeof FORMATS;

/** File, expected line count (docs/conformance-vectors.md#testfloat), and the operation its operands feed. */
const FILES: [string, number, (codes: number[]) => Encoded][] = [
  ['f16_mul', 46_464, ([a, b]) => mulCodes(FORMATS.f16, a!, b!, TESTFLOAT_POLICY)],
  ['f16_add', 46_464, ([a, b]) => addCodes(FORMATS.f16, a!, b!, TESTFLOAT_POLICY)],
  ['f16_mulAdd', 197_847, ([a, b, c]) => fmaCodes(FORMATS.f16, a!, b!, c!, TESTFLOAT_POLICY)],
  ['f32_mul', 46_464, ([a, b]) => mulCodes(FORMATS.f32, a!, b!, TESTFLOAT_POLICY)],
  ['f32_add', 46_464, ([a, b]) => addCodes(FORMATS.f32, a!, b!, TESTFLOAT_POLICY)],
  ['f32_mulAdd', 197_847, ([a, b, c]) => fmaCodes(FORMATS.f32, a!, b!, c!, TESTFLOAT_POLICY)],
  ...(
    [
      ['f16', 'f32', 408],
      ['f32', 'f16', 600],
      ['f32', 'bf16', 600],
      ['bf16', 'f32', 600],
    ] as [Name, Name, number][]
  ).map(([from, to, count]): [string, number, (codes: number[]) => Encoded] => [
    `${from}_to_${to}`,
    count,
    ([a]) => convert(FORMATS[from], FORMATS[to], a!, TESTFLOAT_POLICY),
  ]),
];

describe('TestFloat 3e', () => {
  it.each(FILES)('%s: result and flags of every line', (file, expectedCount, operation) => {
    const lines = readVectorLines(`testfloat/${file}.txt`);
    expect(lines).toHaveLength(expectedCount);
    const failures: string[] = [];
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      const operands = fields.slice(0, -2).map(parseHex);
      const expected = `${fields[fields.length - 2]} ${fields[fields.length - 1]}`;
      const result = operation(operands);
      const got = `${hex(result.code, fields[fields.length - 2]!.length)} ${hex(testFloatFlagByte(result.flags), 2)}`;
      if (got !== expected && failures.push(`${line} -> got ${got}`) >= 5) break;
    }
    expect(failures).toEqual([]);
    console.log(`TestFloat ${file}.txt: ${lines.length} vectors checked (result and flags), 0 failed`);
  });
});
