// MX quantization blocks computed with numpy and ml_dtypes from OCP MX Algorithm 1, carried in
// testbenches/vectors/external/mx-quantize/ (origin, rules and line format in that folder's README).

import { hasVectorFile, parseHex, readVectorLines } from '../../generators/formats/conformance/fixtures.ts';

/** The element formats and input formats the vectors cover: one file for each pair. */
export const MX_VECTOR_FORMATS = [
  'mxfp8_e4m3',
  'mxfp8_e5m2',
  'mxfp6_e3m2',
  'mxfp6_e2m3',
  'mxfp4',
  'mxint8',
] as const;
export const MX_VECTOR_INPUTS = ['fp32', 'bf16', 'fp16'] as const;

const BLOCK = 32;

/** One block: 32 input codes, the E8M0 scale code, 32 element codes and what kind of block it is. */
export interface MxQuantizeCase {
  inputs: number[];
  scale: number;
  elements: number[];
  /** Descriptive only, e.g. 'tie', 'clamp', 'subnormal-amax'. */
  tag: string;
}

function parseCase(line: string): MxQuantizeCase {
  const fields = line.split(' ');
  if (fields.length !== 2 * BLOCK + 2) throw new Error(`not an MX quantization vector: '${line}'`);
  return {
    inputs: fields.slice(0, BLOCK).map(parseHex),
    scale: parseHex(fields[BLOCK]!),
    elements: fields.slice(BLOCK + 1, 2 * BLOCK + 1).map(parseHex),
    tag: fields[2 * BLOCK + 1]!,
  };
}

/** The blocks of one format from one input format; none when no file is carried for the pair. */
export function mxQuantizeCases(format: string, inFormat: string): MxQuantizeCase[] {
  const file = `mx-quantize/${format}_${inFormat}.txt`;
  return hasVectorFile(file) ? readVectorLines(file).map(parseCase) : [];
}
