// int8 groups for the quantize plan (docs/mx-nvfp4.md#int8-with-an-fp16-group-scale): zero groups,
// specials, subnormal inputs and amax, a scale that saturates at 65504 or rounds to 0, scales on ties of
// the FP16 rounding, elements on every tie k + 1/2 of the integer rounding and beside it, and
// activation-like random groups.
import { Random } from '../vectors/random.ts';
import type { Input } from './quantize.ts';

/** Corner groups of n values. */
export function int8CornerGroups(input: Input, n: number, seed: number): number[][] {
  const rng = new Random(seed);
  const groups: number[][] = [];
  const fill = (f: (i: number) => number) => groups.push(Array.from({ length: n }, (_, i) => f(i)));
  const normals = () => () => input.normal(rng, rng.below(12) - 6);
  fill(() => 0);
  fill((i) => (i % 3 === 0 ? input.signBit : 0));
  const nan = input.expAllOnes + 1;
  const qnan = input.expAllOnes + 2 ** (input.mantBits - 1);
  for (const special of [nan, qnan, input.expAllOnes, input.expAllOnes + input.signBit])
    for (const at of [0, n >> 1, n - 1]) {
      const f = normals();
      fill((i) => (i === at ? special : f()));
    }
  // Subnormal inputs: all of them (amax subnormal), one alone, among normals.
  fill(() => input.subnormal(rng));
  fill((i) => (i === n - 1 ? 1 : 0));
  fill((i) => (i % 4 === 0 ? input.subnormal(rng) : input.normal(rng, input.emin + rng.below(3))));
  // The largest finite values (a scale beyond 65504 saturates, the elements clamp), the smallest normals,
  // and amax levels where amax / 127 falls below FP16's least subnormal (the scale is raised to 2^−24).
  fill((i) =>
    i < 2
      ? input.expAllOnes - 1 + (i === 1 ? input.signBit : 0)
      : input.normal(rng, input.emax - rng.below(8)),
  );
  fill(() => input.normal(rng, input.emin));
  for (const level of [-33, -32, -31, -30, -24, -14, 15, 16, 22, 23, 24])
    fill((i) => input.normal(rng, level - (i === 0 ? 0 : rng.below(6))));
  // amax / 127 on a tie of the FP16 rounding, 127 · (2m + 1) · 2^k (FP32 inputs hold it), and beside it.
  for (const k of [-30, -12, -1, 4]) {
    const amax = input.exact(0, 127n * BigInt(2 * (1024 + rng.below(1024)) + 1), k);
    if (amax === undefined) continue;
    for (const nudge of [0, 1, -1])
      fill((i) => (i === 0 ? amax + nudge : input.normal(rng, k + 10 - rng.below(8))));
  }
  return groups;
}

/**
 * Groups whose scale is exact, 2^e (amax = 127 · 2^e), with the other values on the ties (k + 1/2) · 2^e
 * of the integer rounding and on the input codes just beside them.
 */
export function int8TieGroups(input: Input, n: number, seed: number, count: number): number[][] {
  const rng = new Random(seed);
  const groups: number[][] = [];
  for (let b = 0; groups.length < count && b < count * 10; b++) {
    const e = -20 + rng.below(30);
    const amax = input.exact(rng.below(2) as 0 | 1, 127n, e);
    if (amax === undefined) continue;
    const group = [amax];
    while (group.length < n) {
      const k = BigInt(rng.below(127));
      const code = input.exact(rng.below(2) as 0 | 1, 2n * k + 1n, e - 1);
      if (code !== undefined) group.push(code + [0, 0, 1, -1][rng.below(4)]!);
    }
    groups.push(group);
  }
  return groups;
}

/** Activation-like groups: each value a random magnitude around a group level that spans the range. */
export function int8RandomGroups(input: Input, n: number, seed: number, count: number): number[][] {
  const rng = new Random(seed);
  return Array.from({ length: count }, (_, b) => {
    if (b % 8 === 7) return Array.from({ length: n }, () => Number(rng.bits(input.bits)));
    const level = input.emin - 4 + rng.below(input.emax - input.emin + 5);
    const spread = 1 + rng.below(12);
    return Array.from({ length: n }, () => {
      const e = level - rng.below(spread);
      return e < input.emin ? (rng.below(3) === 0 ? 0 : input.subnormal(rng)) : input.normal(rng, e);
    });
  });
}
