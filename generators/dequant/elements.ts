// The element formats a dequantizer takes (docs/README.md), by the name the `format` parameter uses:
// every scalar code format of at most 8 bits in the formats library, the per-group selectable codebook
// families (RaZeR's special value, BitMoD's data type) and the block formats (MX, NVFP4), which fix
// their scale format.

import {
  BITMOD_FP3_CANDIDATES,
  BITMOD_FP4_CANDIDATES,
  MX_FORMATS,
  NVFP4,
  PRESETS,
  RAZER_SPECIAL_VALUES,
  formatBits,
  formatByName,
  razerFormats,
  type CodebookFormat,
  type Format,
} from '../formats/index.ts';

/** Scale formats of the `scale` parameter; 'none' converts the element alone. */
export const SCALE_NAMES = ['fp16', 'bf16', 'fp32', 'e8m0fnu', 'e4m3fn', 'none'] as const;
export type ScaleName = (typeof SCALE_NAMES)[number];

/** Zero-point formats of the `zeroPoint` parameter (asymmetric integer formats only). */
export const ZERO_POINT_NAMES = ['none', 'int4', 'uint4', 'int8', 'uint8', 'fp16'] as const;
export type ZeroPointName = (typeof ZERO_POINT_NAMES)[number];

/** A 2-bit per-group input that picks one of four codebooks. */
export interface GroupSelector {
  port: 'sv' | 'dtype';
  doc: string;
  /** The candidate codebooks, indexed by the selector (RaZeR: by its special values). */
  candidates(specialValues: readonly number[]): CodebookFormat[];
}

export interface ElementSpec {
  name: string;
  bits: number;
  /** The scalar format of the codes (for selectable families: the first candidate). */
  format: Format;
  selector?: GroupSelector;
  /** Block formats fix their scale format and block size. */
  block?: { scale: ScaleName; size: number; tensorScale: boolean };
  /** Whether a zero point may apply: unsigned and two's complement integers without a fixed scale. */
  zeroPoint: boolean;
  /** RaZeR: the special values are a parameter. */
  specialValues: boolean;
  description: string;
}

// The block format 'mxint8' (below) owns that name; its element is the scalar preset of the same name.
const SCALAR = PRESETS.filter((f) => formatBits(f) <= 8 && f.name !== 'e8m0fnu' && f.name !== 'mxint8');

function scalar(format: Format): ElementSpec {
  const integer = format.kind === 'int' && !format.symmetric && format.fracBits === 0;
  return {
    name: format.name,
    bits: formatBits(format),
    format,
    zeroPoint: integer,
    specialValues: false,
    description: format.description ?? format.name,
  };
}

function selectable(
  name: string,
  port: GroupSelector['port'],
  doc: string,
  candidates: GroupSelector['candidates'],
  specialValues: boolean,
  description: string,
): ElementSpec {
  const first = candidates(RAZER_SPECIAL_VALUES)[0]!;
  return {
    name,
    bits: first.bits,
    format: first,
    selector: { port, doc, candidates },
    zeroPoint: false,
    specialValues,
    description,
  };
}

const BLOCKS: ElementSpec[] = [
  ...MX_FORMATS.map((mx): ElementSpec => ({
    name: mx.name,
    bits: formatBits(mx.element),
    format: mx.element,
    block: { scale: 'e8m0fnu', size: mx.blockSize, tensorScale: false },
    zeroPoint: false,
    specialValues: false,
    description: mx.description,
  })),
  {
    name: NVFP4.name,
    bits: formatBits(NVFP4.element),
    format: NVFP4.element,
    block: { scale: 'e4m3fn', size: NVFP4.blockSize, tensorScale: true },
    zeroPoint: false,
    specialValues: false,
    description: NVFP4.description,
  },
];

/** Every element format by name: scalar presets, selectable codebook families, block formats. */
export const ELEMENTS: readonly ElementSpec[] = [
  ...SCALAR.map(scalar),
  selectable(
    'razer_ocp',
    'sv',
    'RaZeR special-value index of the group (0..3)',
    (svs) => razerFormats('ocp', svs),
    true,
    'RaZeR E2M1, OCP layout: the -0 code 0x8 is the group special value SV[sv]',
  ),
  selectable(
    'razer_kernel',
    'sv',
    'RaZeR special-value index of the group (0..3)',
    (svs) => razerFormats('kernel', svs),
    true,
    'RaZeR E2M1, v1 GEMV kernel layout (bit 0 sign, code 0x3 = SV[sv], 0x2 = +0)',
  ),
  selectable(
    'bitmod_fp4_mixed',
    'dtype',
    'BitMoD data type of the group: 0 er_pos, 1 er_neg, 2 ea_pos, 3 ea_neg',
    () => [...BITMOD_FP4_CANDIDATES],
    false,
    'BitMoD FP4 with a per-group data type (extra resolution ±10 or extra asymmetry ±16, integer units)',
  ),
  selectable(
    'bitmod_fp3_mixed',
    'dtype',
    'BitMoD data type of the group: 0 er_pos, 1 er_neg, 2 ea_pos, 3 ea_neg',
    () => [...BITMOD_FP3_CANDIDATES],
    false,
    'BitMoD FP3 with a per-group data type (extra resolution ±3 or extra asymmetry ±6)',
  ),
  ...BLOCKS,
];

export const ELEMENT_NAMES = ELEMENTS.map((e) => e.name) as [string, ...string[]];

export function elementSpec(name: string): ElementSpec {
  const spec = ELEMENTS.find((e) => e.name === name);
  if (spec === undefined) throw new Error(`unknown element format '${name}'`);
  return spec;
}

/** The scale a format uses when none is named: a block format's own, else fp16. */
export function defaultScale(element: ElementSpec): ScaleName {
  return element.block?.scale ?? 'fp16';
}

/** The format of a scale input, or undefined for 'none'. */
export function scaleFormat(name: ScaleName): Format | undefined {
  return name === 'none' ? undefined : formatByName(name);
}

export function zeroPointFormat(name: ZeroPointName): Format | undefined {
  return name === 'none' ? undefined : formatByName(name);
}
