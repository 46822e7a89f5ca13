// lut_gemv: the streaming GEMV whose products are table lookups (T-MAC, LUT Tensor Core;
// docs/lut-gemv.md). Its streams, jobs, group close and faults are gemv's; only the chunk differs.
import { z } from 'zod';
import { defineGenerator } from '../define.ts';
import { coreCache } from './core-cache.ts';
import { boolParam, choiceParam, intParam } from '../generator.ts';
import { GEMV_WEIGHT_FORMATS, type GemvWeightName } from '../formats/gemv-weights.ts';
import { gemvHlsDesign } from '../gemv/hls.ts';
import { buildGemv, checkGemvParams, gemvFields, type GemvParams } from '../gemv/gemv.ts';

/** Activations a table can hold: integers as they are, floats as exact integers or on an aligned grid. */
export const LUT_ACTIVATIONS = ['int8', 'int4', 'fp16', 'bf16', 'e4m3fn'] as const;
export const WEIGHT_CODINGS = ['uint', 'int', 'odd'] as const;
export const TABLE_FORMATS = ['exact', 'int8'] as const;

// Weights are integers, whole codes, and their products are lookups: no weight format, special values,
// packing or multiplier choice.
const {
  weight: _weight,
  specialValues: _specialValues,
  multipliers: _multipliers,
  packing: _packing,
  ...sharedFields
} = gemvFields;

export const lutGemvParams = z
  .object({
    ...sharedFields,
    activation: choiceParam(LUT_ACTIVATIONS)
      .default('int8')
      .describe(
        "Activations: int8 and int4 codes with a scale of their own (activationScale), or fp16, e4m3fn (exact tables) and bf16 (tables on the group's aligned grid).",
      ),
    wBits: intParam(1, 8)
      .default(2)
      .describe('Weight bits B: each code is B bit planes, each indexing the tables.'),
    weightCoding: choiceParam(WEIGHT_CODINGS)
      .default('uint')
      .describe(
        "'uint': codes 0..2^B − 1 with a zero point per group (asymmetric); 'int': two's complement (B ≥ 2); 'odd': the odd levels 2q − (2^B − 1), ±1 … ±(2^B − 1), symmetric without a zero point.",
      ),
    g: intParam(1, 8)
      .default(2)
      .describe(
        "Activations per table: each table holds the 2^g sums of g lanes and serves every row; lanes must be a multiple of g. 2 is the smallest on ECP5 and xc7 (T-MAC's CPU kernels use 4).",
      ),
    mirror: boolParam()
      .default(false)
      .describe(
        'Mirrored tables: 2^(g−1) entries of Σ ±a, a lookup whose last bit is 0 negating its complement’s entry.',
      ),
    tableFormat: choiceParam(TABLE_FORMATS)
      .default('exact')
      .describe(
        "'exact' entries, or 'int8': every entry rounded (to nearest, ties to even) to ±127 units of a power-of-two scale per chunk, as T-MAC quantizes its tables; narrower lookups and sums, a result that differs from the exact one (docs/lut-gemv.md#quantized-tables).",
      ),
    serial: boolParam()
      .default(false)
      .describe(
        'Bit-serial: one weight bit plane per cycle, so a chunk takes wBits cycles on one set of lookups (P·S/wBits MACs per cycle); else every plane in the same cycle.',
      ),
  })
  .superRefine((p, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (!(`${p.weightCoding}${p.wBits}` in GEMV_WEIGHT_FORMATS)) {
      // A wBits out of range is reported by its own field; a 1-bit int is the one coding missing.
      if (p.weightCoding === 'int' && p.wBits === 1)
        issue(
          'weightCoding',
          "'int' needs wBits ≥ 2 (a 1-bit two's complement code is 0 or −1); use 'odd' (±1) or 'uint'",
        );
      return;
    }
    if (p.serial && p.wBits < 2)
      issue(
        'serial',
        'needs wBits ≥ 2: a 1-bit weight has one plane, which the parallel core takes in one cycle too',
      );
    if (p.serial && p.interleave > 1)
      issue(
        'interleave',
        'a serial core holds each chunk for wBits cycles, which moves the visits of interleaved blocks: use 1',
      );
    if (p.lanes % p.g !== 0)
      issue(
        'g',
        `must divide lanes (${p.lanes}): each table takes g of the chunk's lanes; use 1, 2, 4 or 8 up to lanes`,
      );
    checkGemvParams(gemvOf(p), ctx);
  });

export type LutGemvParams = z.output<typeof lutGemvParams>;

/** The gemv core a lut_gemv is: its weights as `${coding}${B}`, its chunk's products by lookup. */
export function gemvOf(p: LutGemvParams): GemvParams {
  const { wBits, weightCoding, g, mirror, serial, tableFormat, ...shared } = p;
  return {
    ...shared,
    weight: `${weightCoding}${wBits}` as GemvWeightName,
    multipliers: 'auto',
    packing: 'sequential',
    lut: { inputs: g, mirror, serial, ...(tableFormat === 'int8' ? { tableFormat } : {}) },
    origin: { generator: 'lut_gemv', params: p },
  } as GemvParams;
}

export const lutGemvCore = coreCache<LutGemvParams>(gemvOf);

export const lutGemv = defineGenerator({
  name: 'lut_gemv',
  family: 'gemv',
  summary:
    'Streaming GEMV without multipliers: tables of activation sums indexed by the weights’ bit planes (T-MAC), exact per group, fp32 across groups',
  params: lutGemvParams,
  build: (p) => buildGemv(lutGemvCore(p)),
  hls: (p) => gemvHlsDesign(lutGemvCore(p)),
});
