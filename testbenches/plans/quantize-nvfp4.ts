// NVFP4 blocks for the quantize plan: 16 input codes and an fp32 tensor scale per row, cases chosen
// around the recipe's decisions (docs/mx-nvfp4.md#nvfp4-quantization): zero blocks, specials, unusable
// and subnormal tensor scales, subnormal amax, every E2M1 tie, the E4M3 scale's edges (448, the tie
// above it, the smallest subnormal, half of it, below), both ends of each quotient's range, tensor
// scales of many magnitudes.
import { encodeNumber } from '../../generators/formats/index.ts';
import { Random } from '../vectors/random.ts';
import type { Input } from './quantize.ts';

export const NVFP4_BLOCK = 16;

/** One row: the block's input codes and the tensor scale's fp32 code. */
export interface Nvfp4Row {
  codes: number[];
  tensor: number;
}

/** The fp32 code of x rounded to fp32 (nearest even). */
export function f32(x: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x);
  return view.getUint32(0);
}

function f32Value(code: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, code);
  return view.getFloat32(0);
}

/** The E2M1 midpoints (ties of its rounding) in quarters: 0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5. */
const E2M1_TIES_X4 = [1n, 3n, 5n, 7n, 10n, 14n, 20n];

/** Tensor scale significands of at most 3 bits, so that scale × tie products stay exact where they can. */
const SIMPLE_TENSOR_SIGS = [1n, 3n, 5n, 7n];

/** The exponents a tensor scale of the form 2^k may take so that 6 · 448 · 2^k stays near the input's range. */
function tensorExponents(input: Input): number[] {
  return input.emax < 20 ? [-24, -12, -6, 0] : [-130, -60, -12, 0, 20, 100];
}

/** Zeros, specials, unusable and subnormal tensor scales, and blocks whose amax is subnormal. */
function cornerRows(input: Input, rng: Random): Nvfp4Row[] {
  const rows: Nvfp4Row[] = [];
  const block = (f: (i: number) => number) => Array.from({ length: NVFP4_BLOCK }, (_, i) => f(i));
  const normals = () => block(() => input.normal(rng, rng.below(8) - 4));
  const one = f32(1);
  rows.push({ codes: block(() => 0), tensor: one });
  rows.push({ codes: block((i) => (i % 3 === 0 ? input.signBit : 0)), tensor: f32(2 ** -20) });
  const nan = input.expAllOnes + 1;
  const qnan = input.expAllOnes + 2 ** (input.mantBits - 1);
  for (const special of [nan, qnan, input.expAllOnes, input.expAllOnes + input.signBit])
    for (const at of [0, 7, 15]) {
      const codes = normals();
      codes[at] = special;
      rows.push({ codes, tensor: one });
    }
  // Tensor scales that are not positive finite numbers (0, −0, −1, ±Inf, NaNs), and subnormal ones.
  for (const tensor of [0, 0x80000000, f32(-1), 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001])
    rows.push({ codes: normals(), tensor });
  for (const tensor of [1, 0x00000007, 0x00400000, 0x007fffff]) {
    const amax = 6 * f32Value(tensor) * 2 ** rng.below(9);
    const codes = block(() => input.normal(rng, Math.floor(Math.log2(amax || 1)) - rng.below(4)));
    rows.push({ codes, tensor });
  }
  // Subnormal inputs: all of them (amax subnormal), among zeros, among normals; tensor scales that put
  // the block scale at 1, 2^−8 and 100.
  for (const target of [1, 2 ** -8, 100]) {
    const subnormals = block(() => input.subnormal(rng));
    const amax = input.emin - 1;
    rows.push({ codes: subnormals, tensor: f32(2 ** amax / (6 * target)) });
    rows.push({
      codes: block((i) => (i === 5 ? 1 : 0)),
      tensor: f32(2 ** (input.emin - input.mantBits) / (6 * target)),
    });
    rows.push({
      codes: block((i) =>
        i % 4 === 0 ? input.subnormal(rng) : input.normal(rng, input.emin + rng.below(3)),
      ),
      tensor: f32(2 ** (input.emin + 3) / (6 * target)),
    });
  }
  // The largest inputs under a small tensor scale (the block scale saturates at 448).
  rows.push({
    codes: block((i) => (i < 2 ? input.expAllOnes - 1 + (i === 1 ? input.signBit : 0) : 0)),
    tensor: one,
  });
  return rows;
}

/**
 * Blocks whose scale is an exact E4M3 value s (amax = 6 · s · s_tensor) with the other values on the
 * E2M1 ties times s · s_tensor and on the input codes just beside them.
 */
function tieRows(input: Input, rng: Random, count: number): Nvfp4Row[] {
  const rows: Nvfp4Row[] = [];
  const exps = tensorExponents(input);
  for (let b = 0; rows.length < count && b < count * 20; b++) {
    // s = sb · 2^eb, an E4M3 value with 4 significant bits; s_tensor = st · 2^et.
    const sb = BigInt(8 + rng.below(8));
    const eb = -9 + rng.below(15);
    const st = SIMPLE_TENSOR_SIGS[rng.below(SIMPLE_TENSOR_SIGS.length)]!;
    const et = exps[rng.below(exps.length)]! - rng.below(4);
    const tensor = f32(Number(st) * 2 ** et);
    // amax: 6 · s · s_tensor.
    const amax = input.exact(rng.below(2) as 0 | 1, 6n * sb * st, eb + et);
    if (amax === undefined) continue;
    const codes = [amax];
    for (let tries = 0; codes.length < NVFP4_BLOCK && tries < 200; tries++) {
      const tie = E2M1_TIES_X4[rng.below(E2M1_TIES_X4.length)]!;
      const code = input.exact(rng.below(2) as 0 | 1, tie * sb * st, eb + et - 2);
      if (code === undefined) continue;
      codes.push(code + [0, 0, 1, -1][rng.below(4)]!);
    }
    while (codes.length < NVFP4_BLOCK) codes.push(0);
    rows.push({ codes, tensor });
  }
  return rows;
}

/**
 * Blocks whose amax / (6 · s_tensor) lies on the E4M3 scale's edges: 448, the tie above it (464, beyond
 * max), a tie below it (432), far beyond, the smallest subnormal 2^−9, the tie 1.5 · 2^−9, half of it
 * 2^−10 (a tie with 0), just above that, far below, and a tie between normals (1.0625); the other
 * values spread below amax, some near it (where a scale rounded down makes them clip). And blocks whose
 * amax / (6 · s_tensor) lies at either end of its binade's range: amax's significand near 2 under a
 * power-of-two tensor scale, or 1 under a tensor significand near 2; and elements just above a quarter
 * of the step's binade.
 */
function scaleEdgeRows(input: Input, rng: Random): Nvfp4Row[] {
  const rows: Nvfp4Row[] = [];
  // Targets as (sig, exp): value sig · 2^exp.
  const targets: [bigint, number][] = [
    [7n, 6],
    [29n, 4],
    [27n, 4],
    [1n, 40],
    [1n, -9],
    [3n, -10],
    [1n, -10],
    [65n, -16],
    [1n, -14],
    [17n, -4],
    [15n, -4],
    [9n, 3],
  ];
  for (const [qs, qe] of targets)
    for (const et of tensorExponents(input))
      for (const st of [1n, 3n]) {
        const amax = input.exact(0, 6n * qs * st, qe + et);
        if (amax === undefined) continue;
        const codes = [amax];
        while (codes.length < NVFP4_BLOCK) {
          const near = rng.below(3) === 0;
          const log2 = Math.floor(Math.log2(Number(6n * qs * st))) + qe + et;
          const code = near ? amax - rng.below(4) : input.normal(rng, log2 - rng.below(6), 0);
          codes.push(code + (rng.below(2) === 0 ? input.signBit : 0));
        }
        rows.push({ codes, tensor: f32(Number(st) * 2 ** et) });
      }
  // amax / (6 · s_tensor) in the top of its range: amax's mantissa all ones (or nearly) under a
  // power-of-two tensor scale, so that amax's significand over 1.5 times the tensor's is near 4/3.
  for (const et of tensorExponents(input))
    for (const j of [-6, 0, 5]) {
      const top = (input.normal(rng, et + j, 0) | (2 ** input.mantBits - 1)) >>> 0;
      const codes = [
        top - rng.below(2),
        ...Array.from({ length: NVFP4_BLOCK - 1 }, () => input.normal(rng, et + j - rng.below(3))),
      ];
      rows.push({ codes, tensor: f32(2 ** et) });
      // And at the bottom: amax a power of two under tensor significands from 1.75 to 2 (near 1/3).
      const low = (input.normal(rng, et + j, 0) & ~(2 ** input.mantBits - 1)) >>> 0;
      const others = Array.from({ length: NVFP4_BLOCK - 1 }, () =>
        input.normal(rng, et + j - 1 - rng.below(3)),
      );
      rows.push({ codes: [low, ...others], tensor: f32((1.75 + rng.below(1 << 20) / 2 ** 22) * 2 ** et) });
      rows.push({ codes: [low, ...others], tensor: f32(2 ** (et + 1)) - 1 });
      // The step's significand near 4 (a block scale near 1.875 · 2^j, a tensor significand near 2)
      // and elements that are powers of two: x / step just above 1/4 of a binade.
      const tensor = f32((1.75 + rng.below(1 << 20) / 2 ** 22) * 2 ** et);
      const amax = encodeNumber(input.format, 6 * 1.875 * f32Value(tensor) * 2 ** j).code;
      const powers = Array.from(
        { length: NVFP4_BLOCK - 1 },
        () => (input.normal(rng, et + j - rng.below(6)) & ~(2 ** input.mantBits - 1)) >>> 0,
      );
      rows.push({ codes: [amax, ...powers], tensor });
    }
  return rows;
}

/** Activation-like blocks under tensor scales near the reference amax / 2688 and far from it. */
export function nvfp4RandomRows(input: Input, rng: Random, count: number): Nvfp4Row[] {
  return Array.from({ length: count }, (_, b) => {
    if (b % 8 === 7)
      return {
        codes: Array.from({ length: NVFP4_BLOCK }, () => Number(rng.bits(input.bits))),
        tensor: Number(rng.bits(32)) & 0x7fffffff,
      };
    const level = input.emin - 4 + rng.below(input.emax - input.emin + 5);
    const spread = 1 + rng.below(12);
    const codes = Array.from({ length: NVFP4_BLOCK }, () => {
      const e = level - rng.below(spread);
      return e < input.emin ? (rng.below(3) === 0 ? 0 : input.subnormal(rng)) : input.normal(rng, e);
    });
    // The reference tensor scale for a tensor whose amax is 2^level · 2^j: mostly j ≥ 0 (the block's
    // amax at most the tensor's), a few far either way (the block scale at 2^−9 or 448).
    const j = [0, 0, 1, 2, 4, 7, 11, 16, 24, -1, -12][rng.below(11)]!;
    const scale = (2 ** (level + 1 + j) / 2688) * (1 + rng.below(1 << 20) / 2 ** 20);
    return { codes, tensor: f32(Math.min(Math.max(scale, 2 ** -149), 2 ** 127)) };
  });
}

export function nvfp4CornerRows(input: Input, seed: number): Nvfp4Row[] {
  return [...cornerRows(input, new Random(seed)), ...scaleEdgeRows(input, new Random(seed + 3))];
}

export function nvfp4TieRows(input: Input, seed: number, count: number): Nvfp4Row[] {
  return tieRows(input, new Random(seed), count);
}
