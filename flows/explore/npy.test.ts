import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { projectPath } from '../../generators/emit/paths.ts';
import { parseNpy, readNpy } from './npy.ts';

// Written by numpy 2.4 / ml_dtypes 0.7 (testbenches/fixtures/npy/make_fixtures.py).
const fixture = (name: string) => projectPath('testbenches', 'fixtures', 'npy', name);

describe('.npy reader', () => {
  it('reads float32 in C order with its shape, every value exact', () => {
    const a = readNpy(fixture('f32_2x3.npy'));
    expect(a.dtype).toBe('float32');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1.5, -2, Math.fround(0.1), 2 ** -149, Math.fround(3e38), -0]);
    expect(Object.is(a.data[5], -0)).toBe(true);
  });

  it('reads float16, subnormals and the largest value included', () => {
    const a = readNpy(fixture('f16_6.npy'));
    expect(a.dtype).toBe('float16');
    // 1/3 rounds to 0x3555 = 1365/4096.
    expect(Array.from(a.data)).toEqual([1, -2.5, 65504, 2 ** -24, -0, 1365 / 4096]);
  });

  it("reads ml_dtypes' bfloat16 (saved as '<V2')", () => {
    const a = readNpy(fixture('bf16_4.npy'));
    expect(a.dtype).toBe('bfloat16');
    expect(Array.from(a.data)).toEqual([1, -3.140625, 1.5 * 2 ** 127, 2 ** -133]);
  });

  it('reads float64, format version 2.0 headers and 0-d arrays', () => {
    expect(Array.from(readNpy(fixture('f64_3.npy')).data)).toEqual([0.1, -1e300, 5e-324]);
    const v2 = readNpy(fixture('f32_v2.npy'));
    expect(v2.shape).toEqual([2, 2]);
    expect(Array.from(v2.data)).toEqual([0, 1, 2, 3]);
    const scalar = readNpy(fixture('scalar_f32.npy'));
    expect(scalar.shape).toEqual([]);
    expect(Array.from(scalar.data)).toEqual([7.25]);
  });

  it.each([
    ['missing.npy', /missing\.npy: cannot be read \(.*no such file/i],
    ['not_npy.npy', /not_npy\.npy: not a \.npy file/],
    [
      'truncated_f32.npy',
      /truncated_f32\.npy: truncated: shape \(2, 3\) of float32 needs 152 bytes, the file has 147/,
    ],
    ['truncated_header.npy', /truncated_header\.npy: truncated: the header needs 128 bytes/],
    ['int32.npy', /int32\.npy: dtype '<i4' is not a float type; allowed: float16/],
    ['empty_f32.npy', /empty_f32\.npy: the array is empty \(shape \(0, 4\)\)/],
    ['big_endian_f32.npy', /big_endian_f32\.npy: big-endian data \('>f4'\) is not supported/],
    ['fortran_f32.npy', /fortran_f32\.npy: Fortran-ordered arrays are not supported/],
  ])('%s: the error names the file and the reason', (name, message) => {
    expect(() => readNpy(fixture(name))).toThrow(message);
  });

  it('rejects an unknown format version and bytes after the array', () => {
    expect(() => parseNpy(new Uint8Array(0), 'x.npy')).toThrow(/x\.npy: not a \.npy file/);
    const good = new Uint8Array(readFileSync(fixture('f32_v2.npy')));
    const v9 = good.slice();
    v9[6] = 9;
    expect(() => parseNpy(v9, 'v9.npy')).toThrow(/v9\.npy: \.npy format version 9\.0 is not supported/);
    const longer = new Uint8Array(good.length + 4);
    longer.set(good);
    expect(() => parseNpy(longer, 'long.npy')).toThrow(/long\.npy: 4 bytes follow the array/);
  });
});
