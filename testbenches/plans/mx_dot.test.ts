// mx_dot's default plan must tell its golden model from each nearest wrong model (testbenches/golden/
// variant.ts): the scale applied once, products rounded one by one, the NaN scale ignored, every
// other rounding, overflow and subnormal rule of the output, and for DotGeneral the blocks' Dots
// rounded and added one by one.
import { describe, expect, it } from 'vitest';
import { parseParams } from '../../generators/generator.ts';
import { mxDot } from '../../generators/mac/mx_dot.ts';
import { ROUNDING_MODES, type Policy } from '../../generators/formats/index.ts';
import { withVariant, type GoldenVariant } from '../golden/variant.ts';
import { mxDotPlan } from './mx_dot.ts';

const CONFIGS = [
  { aFormat: 'mxfp8_e4m3', bFormat: 'mxfp8_e4m3', outFormat: 'fp32' },
  { aFormat: 'mxfp8_e5m2', bFormat: 'mxfp8_e4m3', outFormat: 'bf16' },
  { aFormat: 'mxfp4', bFormat: 'mxfp4', outFormat: 'fp32' },
  { aFormat: 'mxfp6_e2m3', bFormat: 'mxfp6_e3m2', outFormat: 'bf16' },
  { aFormat: 'mxint8', bFormat: 'mxint8', outFormat: 'fp32' },
  { aFormat: 'mxint8', bFormat: 'mxfp4', outFormat: 'bf16', rounding: 'rtz' },
  { aFormat: 'nvfp4', bFormat: 'nvfp4', outFormat: 'bf16' },
  // DotGeneral: runs of blocks summed exactly, rounded once.
  { aFormat: 'mxfp8_e4m3', bFormat: 'mxfp8_e4m3', outFormat: 'fp32', accumulate: 'exact' },
  { aFormat: 'mxfp8_e5m2', bFormat: 'mxfp4', outFormat: 'bf16', accumulate: 'exact', rounding: 'rup' },
  { aFormat: 'nvfp4', bFormat: 'nvfp4', outFormat: 'bf16', accumulate: 'exact' },
];

// undefined where the variant is no other model: NVFP4 blocks (16 E2M1 elements, E4M3 scales) reach
// neither the overflow threshold nor the subnormal range of fp32 or bf16, and have no E8M0 NaN scale.
const VARIANTS: {
  name: string;
  change: (own: Policy, nvfp4: boolean, exact: boolean) => GoldenVariant | undefined;
}[] = [
  // A DotGeneral kept in the output format: every block's Dot rounded, then each addition.
  { name: 'round-blocks', change: (_, __, exact) => (exact ? { tag: 'mx_dot.round-blocks' } : undefined) },
  { name: 'one-scale', change: () => ({ tag: 'mx_dot.one-scale' }) },
  { name: 'round-products', change: () => ({ tag: 'mx_dot.round-products' }) },
  {
    name: 'scale-nan-ignored',
    change: (_, nvfp4) => (nvfp4 ? undefined : { tag: 'mx_dot.scale-nan-ignored' }),
  },
  ...ROUNDING_MODES.map((rounding) => ({
    name: `rounding ${rounding}`,
    change: (own: Policy) => (own.rounding === rounding ? undefined : { policy: { rounding } }),
  })),
  // Rounding toward zero saturates at the largest finite value anyway: then no other model.
  {
    name: 'overflow saturate',
    change: (own, nvfp4) =>
      own.rounding === 'rtz' || nvfp4 ? undefined : { policy: { overflow: 'saturate' } },
  },
  {
    name: 'subnormals flushed',
    change: (_, nvfp4) => (nvfp4 ? undefined : { policy: { subnormals: 'flush' } }),
  },
];

describe('mx_dot: the default plan kills every wrong model', () => {
  for (const raw of CONFIGS) {
    it(JSON.stringify(raw), () => {
      const p = parseParams(mxDot, { ...raw, latency: 0 });
      const right = mxDotPlan.vectors(p, { kind: 'default' }, 1).expected;
      const survivors = VARIANTS.filter(({ change }) => {
        const own = { rounding: p.rounding as Policy['rounding'] };
        const variant = change(own, p.aFormat === 'nvfp4', p.accumulate === 'exact');
        if (variant === undefined) return false;
        const wrong = withVariant(variant, () => mxDotPlan.vectors(p, { kind: 'default' }, 1).expected);
        return wrong.every((row, i) => row[0] === right[i]![0]);
      }).map((v) => v.name);
      expect(survivors).toEqual([]);
    });
  }
});

describe('mx_dot parameters', () => {
  it('refuses a block size the format does not fix, naming the parameter', () => {
    expect(() => parseParams(mxDot, { blockSize: 16 })).toThrow(
      /'blockSize' = 16 is not allowed: mxfp8_e4m3 and mxfp8_e4m3 blocks hold 32 elements/,
    );
    expect(parseParams(mxDot, { blockSize: 32 }).blockSize).toBe(32);
  });
  it('pairs nvfp4 only with nvfp4, at its block of 16', () => {
    expect(() => parseParams(mxDot, { aFormat: 'nvfp4', bFormat: 'mxfp4' })).toThrow(
      /'bFormat' = "mxfp4" is not allowed: nvfp4 pairs only with nvfp4/,
    );
    expect(() => parseParams(mxDot, { aFormat: 'nvfp4', bFormat: 'nvfp4', blockSize: 32 })).toThrow(
      /'blockSize' = 32 is not allowed: nvfp4 and nvfp4 blocks hold 16 elements/,
    );
  });
  it('takes only fp32 and bf16 results', () => {
    expect(() => parseParams(mxDot, { outFormat: 'fp16' })).toThrow(/'outFormat' = "fp16" is not allowed/);
  });
});
