// A small exact reader of NumPy .npy files (format versions 1.0, 2.0 and 3.0: the magic "\x93NUMPY", a
// version, a header length, a Python dict literal with 'descr', 'fortran_order' and 'shape', then the raw
// array; https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html). Float16 and bfloat16
// elements are decoded by the formats library's codecs, float32/float64 by DataView, so every value is
// exact. ml_dtypes saves bfloat16 arrays with the descr '<V2' (two raw bytes); that is read as bfloat16.

import { readFileSync } from 'node:fs';
import { decodeTable, formatByName } from '../../generators/formats/index.ts';

export type NpyDtype = 'float16' | 'bfloat16' | 'float32' | 'float64';

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** The elements in C order, as doubles (every float16/bfloat16/float32 value is a double exactly). */
  data: Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DTYPES: Record<string, NpyDtype> = {
  '<f2': 'float16',
  '<f4': 'float32',
  '<f8': 'float64',
  '<V2': 'bfloat16',
  '|V2': 'bfloat16',
  bfloat16: 'bfloat16',
};
const ITEM_SIZE: Record<NpyDtype, number> = { float16: 2, bfloat16: 2, float32: 4, float64: 8 };

function fail(path: string, reason: string): never {
  throw new Error(`${path}: ${reason}`);
}

function headerField(header: string, key: string): string | undefined {
  const m = new RegExp(`['"]${key}['"]\\s*:\\s*('[^']*'|"[^"]*"|True|False|\\([^)]*\\))`).exec(header);
  return m?.[1];
}

/** Parses .npy bytes; `path` names the file in errors. */
export function parseNpy(bytes: Uint8Array, path: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    fail(path, 'not a .npy file (the magic string \\x93NUMPY is missing)');
  const major = bytes[6]!;
  if (major < 1 || major > 3)
    fail(path, `.npy format version ${major}.${bytes[7]} is not supported (1.0 to 3.0 are)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) fail(path, 'truncated: the header length is cut off');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (bytes.length < dataStart)
    fail(path, `truncated: the header needs ${dataStart} bytes, the file has ${bytes.length}`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(8 + lengthBytes, dataStart),
  );
  const descrText = headerField(header, 'descr');
  const fortran = headerField(header, 'fortran_order');
  const shapeText = headerField(header, 'shape');
  if (!descrText || !fortran || !shapeText) fail(path, `the header is not a .npy header: ${header.trim()}`);
  const descr = descrText.slice(1, -1);
  const dtype = DTYPES[descr];
  if (!dtype) {
    const kind = /^[<>|=]?([a-zA-Z])/.exec(descr)?.[1];
    if (descr.startsWith('>') && (kind === 'f' || kind === 'V'))
      fail(path, `big-endian data ('${descr}') is not supported; save it little-endian (arr.astype('<f4'))`);
    fail(
      path,
      `dtype '${descr}' is not a float type; allowed: float16 '<f2', bfloat16 '<V2', float32 '<f4', float64 '<f8'`,
    );
  }
  if (fortran === 'True')
    fail(path, 'Fortran-ordered arrays are not supported; save a C-ordered array (np.ascontiguousarray)');
  const dims = shapeText
    .slice(1, -1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (dims.some((d) => !/^\d+$/.test(d))) fail(path, `the shape ${shapeText} is not a tuple of integers`);
  const shape = dims.map(Number);
  const count = shape.reduce((a, d) => a * d, 1);
  if (count === 0) fail(path, `the array is empty (shape ${shapeText})`);
  const size = ITEM_SIZE[dtype];
  const need = dataStart + count * size;
  if (bytes.length < need)
    fail(path, `truncated: shape ${shapeText} of ${dtype} needs ${need} bytes, the file has ${bytes.length}`);
  if (bytes.length > need)
    fail(
      path,
      `${bytes.length - need} bytes follow the array's ${count} ${dtype} values (not a plain .npy array)`,
    );
  const data = new Float64Array(count);
  if (dtype === 'float32') for (let i = 0; i < count; i++) data[i] = view.getFloat32(dataStart + 4 * i, true);
  else if (dtype === 'float64')
    for (let i = 0; i < count; i++) data[i] = view.getFloat64(dataStart + 8 * i, true);
  else {
    const table = decodeTable(formatByName(dtype === 'float16' ? 'fp16' : 'bf16'))!;
    for (let i = 0; i < count; i++) data[i] = table[view.getUint16(dataStart + 2 * i, true)]!;
  }
  return { dtype, shape, data };
}

/** Reads a .npy file; errors name the file and the reason. */
export function readNpy(path: string): NpyArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    fail(
      path,
      `cannot be read (${error instanceof Error ? error.message.replace(/^[A-Z]+: /, '') : String(error)})`,
    );
  }
  return parseNpy(bytes, path);
}
