import { describe, expect, it } from 'vitest';
import type { FloatFormat } from '../formats/index.ts';
import { formatByName } from '../formats/index.ts';
import { kulischLayout, kulischSumLayout } from './kulisch.ts';

const f = (name: string) => formatByName(name) as FloatFormat;

describe('Kulisch accumulator widths of docs/kulisch.md#width', () => {
  it.each([
    ['e2m1fn', 16, 13],
    ['e2m1fn', 32, 14],
    ['e2m1fn', 128, 16],
    ['e2m3fn', 32, 18],
    ['e3m2fn', 32, 24],
    ['e4m3fn', 16, 41],
    ['e4m3fn', 32, 42],
    ['e4m3fn', 128, 44],
    ['e5m2', 32, 70],
    ['fp16', 32, 86],
    ['bf16', 128, 530],
  ])('%s × %s, k = %i: %i bits', (name, k, width) => {
    expect(kulischLayout(f(name), f(name), k).width).toBe(width);
  });

  it('puts the LSB at q_A·q_B', () => {
    expect(kulischLayout(f('e4m3fn'), f('e4m3fn'), 32).lsbExp).toBe(-18);
    expect(kulischLayout(f('e2m1fn'), f('e4m3fn'), 32).lsbExp).toBe(-10);
  });

  it('sizes a sum of values of one format by its own grid (L-Mul products are values of their format)', () => {
    // bf16: q = 2^-133, max = 255·2^120, so K = 255·2^253 (261 bits); 32 of them need 266 bits and a sign.
    expect(kulischSumLayout(f('bf16'), 32)).toEqual({ width: 267, lsbExp: -133 });
    // e4m3fn: q = 2^-9, max = 448 = 7·2^6, so K = 7·2^15 (18 bits); 16 of them need 22 bits and a sign.
    expect(kulischSumLayout(f('e4m3fn'), 16)).toEqual({ width: 23, lsbExp: -9 });
  });
});
