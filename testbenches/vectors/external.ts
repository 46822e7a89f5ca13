import { readVectorLines } from '../../generators/formats/conformance/fixtures.ts';

/** One line of a TestFloat vector file: operands, result and flag byte. */
export interface TestFloatCase {
  operands: number[];
  result: number;
  flags: number;
}

/** Cases of a TestFloat file carried in testbenches/vectors/external/<folder>/ (e.g. 'f16_mul'). */
export function testFloatCases(file: string, folder = 'testfloat'): TestFloatCase[] {
  return readVectorLines(`${folder}/${file}.txt`).map((line) => {
    const fields = line
      .trim()
      .split(/\s+/)
      .map((f) => parseInt(f, 16));
    const flags = fields.pop()!;
    const result = fields.pop()!;
    return { operands: fields, result, flags };
  });
}
