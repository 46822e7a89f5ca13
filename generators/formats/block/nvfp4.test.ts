import { describe, expect, it } from 'vitest';
import { decode } from '../codec.ts';
import { formatByName } from '../presets.ts';
import { toNumber } from '../value-number.ts';
import { dequantizeNvfp4, NVFP4, quantizeNvfp4 } from './nvfp4.ts';

const fp32 = formatByName('fp32');

function blocks(...firsts: number[][]): number[] {
  return firsts.flatMap((f) => [...f, ...Array<number>(16 - f.length).fill(0)]);
}

describe('NVFP4 (docs/mx-nvfp4.md#nvfp4)', () => {
  // Tensor amax 2688 = 6·448 gives s_tensor = 1.
  const values = blocks([2688, -896], [3, 1.75, -0.75], []);

  it('derives the tensor scale, block scales and elements', () => {
    const t = quantizeNvfp4(values);
    expect(toNumber(decode(fp32, t.tensorScaleCode))).toBe(1);
    expect(t.blocks.map((b) => toNumber(decode(NVFP4.blockScale, b.scaleCode)))).toEqual([448, 0.5, 2 ** -9]);
    expect(t.blocks[0]!.elementCodes.slice(0, 2)).toEqual([0x7, 0xc]); // 6, -2
    expect(t.blocks[1]!.elementCodes.slice(0, 3)).toEqual([0x7, 0x6, 0xb]); // 6, 3.5 -> 4 (RNE), -1.5
    expect(t.blocks[2]!.elementCodes.every((c) => c === 0)).toBe(true);
  });

  it('ties to the smaller magnitude with rnz, as the reference quantizer does', () => {
    const t = quantizeNvfp4(values, { rounding: 'rnz' });
    expect(t.blocks[1]!.elementCodes.slice(0, 3)).toEqual([0x7, 0x5, 0xb]); // 3.5 -> 3
  });

  it('dequantizes exactly to e2m1 · s_block · s_tensor', () => {
    const t = quantizeNvfp4(values);
    const back = dequantizeNvfp4(t).map(toNumber);
    expect(back.slice(0, 2)).toEqual([2688, -896]);
    expect(back.slice(16, 19)).toEqual([3, 2, -0.75]);
    expect(back).toHaveLength(48);
  });

  it('takes a given tensor scale and rejects non-finite input', () => {
    const t = quantizeNvfp4([12, 1], { tensorScaleCode: 0x40000000 }); // s_tensor = 2
    expect(toNumber(decode(NVFP4.blockScale, t.blocks[0]!.scaleCode))).toBe(1);
    expect(() => quantizeNvfp4([1, NaN])).toThrow(/value 1 is not finite/);
  });
});
