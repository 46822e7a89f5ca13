// bitserial_gemv: the streaming GEMV whose chunk takes one term ±2^k of every weight per cycle, as
// BitMoD's bit-serial PE does (docs/bitserial-gemv.md): radix-4 Booth digits for INT8/INT6/INT4, the
// set bits of FP4 and BitMoD codes. Its streams, jobs, group close and faults are gemv's.
import { z } from 'zod';
import { defineGenerator } from '../define.ts';
import { coreCache } from './core-cache.ts';
import { choiceParam } from '../generator.ts';
import { gemvHlsDesign } from '../gemv/hls.ts';
import { buildGemv, checkGemvParams, gemvFields, type GemvParams } from '../gemv/gemv.ts';

/** Weights whose values are a few terms ±2^k each (and no NaN code). */
export const BITSERIAL_WEIGHTS = [
  'int8',
  'int6',
  'int4',
  'int3',
  'int2',
  'uint4',
  'uint3',
  'uint2',
  'uint1',
  'odd2',
  'odd1',
  'e2m1fn',
  'bitmod',
  'razer',
] as const;
export const BITSERIAL_ACTIVATIONS = ['fp16', 'bf16', 'e4m3fn', 'int8', 'int4'] as const;
export const SCALE_PRODUCTS = ['parallel', 'serial'] as const;

// No packing or multiplier choice: no product is multiplied.
const { multipliers: _multipliers, packing: _packing, ...sharedFields } = gemvFields;

export const bitserialGemvParams = z
  .object({
    ...sharedFields,
    weight: choiceParam(BITSERIAL_WEIGHTS)
      .default('bitmod')
      .describe(
        "Weights: two's complement int8, int6 (FP6-LLM's planes), int4, int3, int2 and unsigned uint4 … uint1 (zero point per group) as radix-4 Booth digits (⌈B/2⌉ cycles per chunk, ⌈(B + 1)/2⌉ unsigned); odd2, odd1 (±3, ±1), e2m1fn, bitmod (a 2-bit dtype per group) and razer (a 2-bit sv per group) as their set bits (2 cycles, odd1 one).",
      ),
    activation: choiceParam(BITSERIAL_ACTIVATIONS)
      .default('fp16')
      .describe(
        "Activations: fp16 and e4m3fn exact, bf16 on the group's aligned grid, int8 and int4 codes with a scale of their own (activationScale).",
      ),
    scaleProduct: choiceParam(SCALE_PRODUCTS)
      .default('parallel')
      .describe(
        "The group's scale times its exact value: 'parallel', one multiplier per close unit (pipelined by scaleLatency), or 'serial', BitMoD's bit-serial dequantization: one bit of the scale's significand per cycle (12 cycles for fp16), a shift-and-add unit for each row a close unit serves.",
      ),
  })
  .superRefine((p, ctx) => {
    if (p.interleave > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['interleave'],
        message:
          'a bit-serial core holds each chunk for its terms, which moves the visits of interleaved blocks: use 1',
      });
    if (p.scaleProduct === 'serial' && p.scaleLatency > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['scaleLatency'],
        message: 'a serial scale product has no pipeline stages (it takes a cycle per scale bit): use 0',
      });
    checkGemvParams(gemvCoreOf(p), ctx);
  });

export type BitserialGemvParams = z.output<typeof bitserialGemvParams>;

function gemvCoreOf(p: BitserialGemvParams): GemvParams {
  const { scaleProduct, ...shared } = p;
  return {
    ...shared,
    ...(scaleProduct === 'serial' ? { serialScale: true } : {}),
    multipliers: 'auto',
    packing: 'sequential',
    terms: true,
    origin: { generator: 'bitserial_gemv', params: p },
  } as GemvParams;
}

export const bitserialGemvCore = coreCache<BitserialGemvParams>(gemvCoreOf);

export const bitserialGemv = defineGenerator({
  name: 'bitserial_gemv',
  family: 'gemv',
  summary:
    'Streaming GEMV with bit-serial products (BitMoD): one Booth digit or set bit of every weight per cycle, exact per group, fp32 across groups',
  params: bitserialGemvParams,
  build: (p) => buildGemv(bitserialGemvCore(p)),
  hls: (p) => gemvHlsDesign(bitserialGemvCore(p)),
});
