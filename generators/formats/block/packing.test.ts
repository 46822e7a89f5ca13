import { describe, expect, it } from 'vitest';
import {
  AWQ_ORDER,
  AWQ_REVERSE_ORDER,
  gptqStoredZero,
  gptqZeroFromStored,
  packAwqQweight,
  packBits,
  packGptqQweight,
  packWord,
  unpackAwqQweight,
  unpackBits,
  unpackGptqQweight,
  unpackWord,
} from './packing.ts';

const LOGICAL = [0, 1, 2, 3, 4, 5, 6, 7];

describe('INT4 packing (docs/w4a16.md#packing)', () => {
  it('GPTQ packs sequentially: 0..7 -> 0x76543210', () => {
    expect(packWord(LOGICAL, 4)).toBe(0x76543210);
    expect(unpackWord(0x76543210, 4)).toEqual(LOGICAL);
  });

  it('AutoAWQ interleaves: 0..7 -> 0x75316420, logical j in nibble AWQ_REVERSE_ORDER[j]', () => {
    const word = packWord(LOGICAL, 4, AWQ_ORDER);
    expect(word).toBe(0x75316420);
    LOGICAL.forEach((j) => expect(Math.floor(word / 16 ** AWQ_REVERSE_ORDER[j]!) % 16).toBe(j));
    expect(unpackWord(word, 4, AWQ_ORDER)).toEqual(LOGICAL);
  });

  it('packs qweight along K (GPTQ) and along N (AWQ), and unpacks them back', () => {
    const q = Array.from({ length: 16 }, (_, k) => Array.from({ length: 8 }, (_, n) => (k * 3 + n * 5) % 16));
    const gptq = packGptqQweight(q);
    expect([gptq.length, gptq[0]!.length]).toEqual([2, 8]);
    expect(gptq[0]![0]).toBe(packWord([0, 3, 6, 9, 12, 15, 2, 5], 4)); // column 0, rows 0..7
    expect(unpackGptqQweight(gptq)).toEqual(q);
    const awq = packAwqQweight(q);
    expect([awq.length, awq[0]!.length]).toEqual([16, 1]);
    expect(unpackAwqQweight(awq)).toEqual(q);
  });

  it('stores GPTQ v1 zero points minus one', () => {
    expect([0, 1, 8, 15].map((z) => gptqStoredZero(z))).toEqual([15, 0, 7, 14]);
    for (let z = 0; z < 16; z++) expect(gptqZeroFromStored(gptqStoredZero(z))).toBe(z);
  });

  it('rejects values that do not fit', () => {
    expect(() => packWord([16, 0, 0, 0, 0, 0, 0, 0], 4)).toThrow(/does not fit in 4 bits/);
    expect(() => packWord([1, 2], 4)).toThrow(/holds 8 values/);
  });

  it('packs little-endian bit streams', () => {
    expect([...packBits([0x1, 0x2, 0xf], 4)]).toEqual([0x21, 0x0f]);
    const six = [0x3f, 0x01, 0x20, 0x15];
    expect(packBits(six, 6)).toHaveLength(3);
    expect(unpackBits(packBits(six, 6), 6, 4)).toEqual(six);
  });
});
