// mx_dot's default plan must tell its golden model from each nearest wrong model (testbenches/golden/
// variant.ts): the scale applied once, products rounded one by one, the NaN scale ignored, every
// other rounding, overflow and subnormal rule of the output, and for DotGeneral the blocks' Dots
// rounded and added one by one.
import { describe, expect, it } from 'vitest';
import { parseParams } from '../../generators/generator.ts';
import { mxDot } from '../../generators/mac/mx_dot.ts';
import { ROUNDING_MODES } from '../../generators/formats/index.ts';
import { unitOutcomes } from '../mutation/harness.ts';
import { MUTATION_TABLES } from '../mutation/tables.ts';

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

/**
 * The variants each config's plan must kill: the scale applied once, products rounded one by one, a
 * DotGeneral's blocks rounded one by one, the NaN scale ignored, every other rounding, overflow saturating
 * and subnormals flushed. Left out where the variant is no other model: NVFP4 blocks (16 E2M1 elements,
 * E4M3 scales) reach neither the overflow threshold nor the subnormal range of fp32 or bf16, and have
 * no E8M0 NaN scale; rounding toward zero saturates at the largest finite value anyway.
 */
function mustKill(p: { aFormat: unknown; rounding: unknown; accumulate: unknown }): string[] {
  const nvfp4 = p.aFormat === 'nvfp4';
  return [
    'mx_dot.one-scale',
    'mx_dot.round-products',
    ...(p.accumulate === 'exact' ? ['mx_dot.round-blocks'] : []),
    ...(nvfp4 ? [] : ['mx_dot.scale-nan-ignored', 'subnormals flush']),
    ...ROUNDING_MODES.filter((r) => r !== p.rounding).map((r) => `rounding ${r}`),
    ...(nvfp4 || p.rounding === 'rtz' ? [] : ['overflow saturate']),
  ];
}

// The mutation harness (testbenches/mutation/harness.ts) replays each variant's golden model on the
// plan's stimulus and stops at the first run that differs; every variant of the mx_dot table that
// applies must be killed, but saturation under rounding toward zero (the same model, see mustKill).
const TABLE = MUTATION_TABLES.find((t) => t.generator === 'mx_dot')!;

describe('mx_dot: the default plan kills every wrong model', () => {
  for (const raw of CONFIGS) {
    it(JSON.stringify(raw), () => {
      const p = parseParams(mxDot, { ...raw, latency: 0 });
      const outcomes = unitOutcomes(TABLE, p as unknown as Record<string, unknown>);
      const equivalent = (variant: string) => variant === 'overflow saturate' && p.rounding === 'rtz';
      const survivors = outcomes.filter((o) => o.outcome === 'survived' && !equivalent(o.variant));
      expect(survivors.map((o) => o.variant)).toEqual([]);
      const killed = outcomes.filter((o) => o.outcome === 'killed').map((o) => o.variant);
      expect(killed).toEqual(expect.arrayContaining(mustKill(p)));
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
