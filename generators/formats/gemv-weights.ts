// The weight formats a GEMV core takes, by the name of its `weight` parameter (docs/razer.md,
// docs/bitmod.md, docs/codebooks.md, docs/mx-nvfp4.md, docs/w4a16.md): the element formats each code is
// decoded with (one per value of the group's selector for RaZeR and BitMoD), how a code lies in the
// weight beat, and what the format fixes about scales and groups. It lives in the formats library so
// that the golden model reads it without the generator.

import { BITMOD_FP4_CANDIDATES } from './block/block-presets.ts';
import { parseFormat, type Format } from './format.ts';
import { formatByName } from './presets.ts';
import { RAZER_SPECIAL_VALUES, razerFormats } from './razer.ts';

/** The integer weights of every width, as `${coding}${bits}` names (int4, int6, int8 and uint4 are listed above). */
type IntegerCoding = 'uint' | 'int' | 'odd';
type Width = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;
type IntegerWeightName = `${IntegerCoding}${Width}`;
function integerWeightNames(coding: IntegerCoding, from: number, to: number): IntegerWeightName[] {
  const named = new Set(['uint4', 'int4', 'int6', 'int8']);
  return Array.from({ length: to - from + 1 }, (_, i) => `${coding}${from + i}` as IntegerWeightName).filter(
    (name) => !named.has(name),
  );
}

export const GEMV_WEIGHTS = [
  'uint4',
  'int4',
  'e2m1fn',
  'razer',
  'nf4',
  'mxfp4',
  'nvfp4',
  'e4m3fn',
  'sf4',
  'fp4_range',
  'fp4_prec2',
  'bitmod',
  'apot4',
  'int6',
  'e3m2fn',
  'e2m3fn',
  'int8',
  ...integerWeightNames('uint', 1, 8),
  ...integerWeightNames('int', 2, 8),
  ...integerWeightNames('odd', 1, 8),
] as const;
export type GemvWeightName = (typeof GEMV_WEIGHTS)[number];

/** A per-group index in the scale beat that picks one of the weight's element formats. */
export interface GroupSelector {
  /** Its name in the scale beat and on the chunk kernel's port. */
  field: 'sv' | 'dtype';
  bits: number;
  doc: string;
  /** The selected formats depend on the `specialValues` parameter (RaZeR). */
  specialValues: boolean;
}

export interface GemvWeight {
  bits: number;
  /**
   * Integer weights as a sum over their bit planes b_p (docs/lut-gemv.md#bit-planes):
   * value = Σ_p coefficients[p]·b_p + offset, bit p of the code being b_p. Absent for float and
   * codebook weights, whose values are not linear in their bits.
   */
  planeCoding?: { coefficients: readonly bigint[]; offset: bigint };
  /** Element formats, indexed by the group's selector when there is one; one format otherwise. */
  formats(specialValues: readonly number[]): Format[];
  selector?: GroupSelector;
  /**
   * Bit planes, as FP6-LLM stores 6-bit weights (docs/w4a16.md#bit-planes): each code splits into
   * fields of these widths from its top bit down, and the weight beat carries each field of all its
   * codes as one plane, the first plane lowest. Absent: each code whole, one after the other.
   */
  planes?: readonly number[];
  /** Asymmetric integer codes: a per-group zero point z enters as −z·Σa (docs/w4a16.md#restructured-gemv). */
  zeroPoint: boolean;
  /** Block formats fix the scale format and the group size. */
  block?: { scale: string; group: number };
  description: string;
}

const one = (name: string) => () => [formatByName(name)];

/**
 * INT6 weights, two's complement. Not a named preset: as one, `dequant` and the explorer would take it
 * as an element format too, which is beyond these weights.
 */
const INT6 = Object.freeze(
  parseFormat({ kind: 'int', name: 'int6', bits: 6, signed: true, description: "6-bit two's complement" }),
);

/** An integer coding's value as a sum over the code's bits: Σ_p coefficients[p]·b_p + offset. */
function planeCoding(coding: IntegerCoding, bits: number): GemvWeight['planeCoding'] {
  const weights = Array.from({ length: bits }, (_, p) => 1n << BigInt(p));
  if (coding === 'uint') return { coefficients: weights, offset: 0n };
  if (coding === 'int') return { coefficients: weights.map((c, p) => (p === bits - 1 ? -c : c)), offset: 0n };
  return { coefficients: weights.map((c) => 2n * c), offset: 1n - (1n << BigInt(bits)) };
}

/**
 * Unsigned codes with a zero point (uintB), two's complement codes (intB) and odd levels
 * 2q − (2^B − 1) (oddB: ±1, ±3, …, symmetric about zero without a zero point, the only symmetric
 * 1-bit coding; T-MAC's mirrored tables, docs/lut-gemv.md#weight-codings).
 */
function integerWeight(coding: IntegerCoding, bits: number): GemvWeight {
  if (coding === 'uint')
    return {
      bits,
      formats: () => [parseFormat({ kind: 'int', name: `uint${bits}`, bits, signed: false })],
      planeCoding: planeCoding('uint', bits),
      zeroPoint: true,
      description: `asymmetric INT${bits}: w = (q − z)·s with a uint${bits} zero point per group`,
    };
  if (coding === 'int')
    return {
      bits,
      formats: () => [parseFormat({ kind: 'int', name: `int${bits}`, bits, signed: true })],
      planeCoding: planeCoding('int', bits),
      zeroPoint: false,
      description: `symmetric INT${bits}: w = q·s, two's complement`,
    };
  const top = (1 << bits) - 1;
  return {
    bits,
    formats: () => [
      parseFormat({
        kind: 'codebook',
        name: `odd${bits}`,
        bits,
        values: Array.from({ length: 1 << bits }, (_, q) => 2 * q - top),
      }),
    ],
    planeCoding: planeCoding('odd', bits),
    zeroPoint: false,
    description: `odd levels: w = (2q − ${top})·s, ±1${bits > 1 ? ` … ±${top}` : ''}, symmetric without a zero point`,
  };
}

const INTEGER_WEIGHTS = Object.fromEntries(
  GEMV_WEIGHTS.flatMap((name) => {
    const match = /^(uint|int|odd)(\d)$/.exec(name);
    return match ? [[name, integerWeight(match[1] as IntegerCoding, Number(match[2]))]] : [];
  }),
) as Record<IntegerWeightName, GemvWeight>;

export const GEMV_WEIGHT_FORMATS: Record<GemvWeightName, GemvWeight> = {
  ...INTEGER_WEIGHTS,
  uint4: {
    bits: 4,
    formats: one('uint4'),
    planeCoding: planeCoding('uint', 4),
    zeroPoint: true,
    description: 'asymmetric INT4 (AWQ/GPTQ): w = (q − z)·s with a uint4 zero point per group',
  },
  int4: {
    bits: 4,
    formats: one('int4'),
    planeCoding: planeCoding('int', 4),
    zeroPoint: false,
    description: 'symmetric INT4: w = q·s',
  },
  e2m1fn: { bits: 4, formats: one('e2m1fn'), zeroPoint: false, description: 'FP4 E2M1 with a group scale' },
  razer: {
    bits: 4,
    formats: (sv) => razerFormats('ocp', sv),
    selector: { field: 'sv', bits: 2, doc: 'per row: the group special-value index', specialValues: true },
    zeroPoint: false,
    description: 'RaZeR FP4 (OCP layout): code 0x8 is the group special value picked by a 2-bit sv',
  },
  nf4: {
    bits: 4,
    formats: one('nf4'),
    zeroPoint: false,
    description: 'NF4 codebook (QLoRA) with a group scale',
  },
  mxfp4: {
    bits: 4,
    formats: one('e2m1fn'),
    zeroPoint: false,
    block: { scale: 'e8m0fnu', group: 32 },
    description: 'OCP MXFP4: E2M1 elements, one E8M0 scale per 32',
  },
  nvfp4: {
    bits: 4,
    formats: one('e2m1fn'),
    zeroPoint: false,
    block: { scale: 'e4m3fn', group: 16 },
    description: 'NVFP4: E2M1 elements, one E4M3 scale per 16',
  },
  e4m3fn: {
    bits: 8,
    formats: one('e4m3fn'),
    zeroPoint: false,
    description: 'FP8 E4M3 weights with a group scale',
  },
  sf4: {
    bits: 4,
    formats: one('sf4'),
    zeroPoint: false,
    description: 'SF4 codebook (Student Float, ν = 5) with a group scale',
  },
  fp4_range: {
    bits: 4,
    formats: one('fp4_range'),
    zeroPoint: false,
    description: 'E2M1 "super-range": the -0 code 0x8 holds +8; a group scale',
  },
  fp4_prec2: {
    bits: 4,
    formats: one('fp4_prec2'),
    zeroPoint: false,
    description: 'E2M1 "super-precision": the -0 code 0x8 holds +5; a group scale',
  },
  bitmod: {
    bits: 4,
    formats: () => [...BITMOD_FP4_CANDIDATES],
    selector: {
      field: 'dtype',
      bits: 2,
      doc: 'per row: the group data type (0 er_pos, 1 er_neg, 2 ea_pos, 3 ea_neg)',
      specialValues: false,
    },
    zeroPoint: false,
    description:
      'BitMoD mixed FP4 (E2M1 × 2): a 2-bit dtype per group picks er_pos, er_neg, ea_pos or ea_neg (code 0x8 = +10, −10, +16, −16)',
  },
  apot4: {
    bits: 4,
    formats: one('apot4'),
    zeroPoint: false,
    description: 'APoT4 codebook (llm-datatypes), sign-magnitude, with a group scale',
  },
  int6: {
    bits: 6,
    formats: () => [INT6],
    planes: [2, 4],
    planeCoding: planeCoding('int', 6),
    zeroPoint: false,
    description: "INT6 (two's complement, −32..31) with a group scale, in FP6-LLM's 2 + 4 bit planes",
  },
  e3m2fn: {
    bits: 6,
    formats: one('e3m2fn'),
    planes: [2, 4],
    zeroPoint: false,
    description: "FP6 E3M2 with a group scale, in FP6-LLM's 2 + 4 bit planes",
  },
  e2m3fn: {
    bits: 6,
    formats: one('e2m3fn'),
    planes: [2, 4],
    zeroPoint: false,
    description: "FP6 E2M3 with a group scale, in FP6-LLM's 2 + 4 bit planes",
  },
  int8: {
    bits: 8,
    formats: one('int8'),
    planeCoding: planeCoding('int', 8),
    zeroPoint: false,
    description: "symmetric INT8 (W8A8 with int8 activations): w = q·s, two's complement −128..127",
  },
};

/** The weights whose group selector depends on `specialValues`. */
export const SPECIAL_VALUE_WEIGHTS = GEMV_WEIGHTS.filter(
  (w) => GEMV_WEIGHT_FORMATS[w].selector?.specialValues,
);

export { RAZER_SPECIAL_VALUES };
