// Weight formats as `bitsmith explore` quantizes them, each with its own scale rule (docs/explore.md#formats):
// - a scalar format (int, float or codebook) in groups: scale = scaleFormat(absmax / max), elements
//   rounded (RNE, saturating) from value / scale exactly, ŵ = element · scale;
// - MX formats: OCP's shared-exponent rule (docs/mx-nvfp4.md#conversion-to-mx), blocks of 32;
// - NVFP4: the E4M3 block scale and FP32 tensor scale of docs/mx-nvfp4.md#nvfp4, blocks of 16;
// - asymmetric group-wise INT (docs/w4a16.md#asymmetric-quantization): FP16 scale, integer zero point;
// - per-group codebook selection (RaZeR docs/razer.md, BitMoD docs/bitmod.md): FP16 scale, index per group.
// Every rounding is one of the formats library's exact codecs; doubles only carry the inputs (exact) and
// the dequantized values (rounded to the nearest double once, for the statistics).

import {
  BITMOD_FP3_CANDIDATES,
  BITMOD_FP4_CANDIDATES,
  MX_FORMATS,
  NVFP4,
  RAZER_OCP_CANDIDATES,
  decode,
  dequantizeIntGroup,
  dequantizeMxBlock,
  dequantizeNvfp4,
  encodeQuotient,
  finite,
  formatBits,
  formatByName,
  formatInfo,
  formatNames,
  fromNumber,
  parseFormat,
  quantizeDequantizeCodebookGroups,
  quantizeGroupwiseInt,
  quantizeMx,
  quantizeNvfp4,
  toNumber,
  type CodebookFormat,
  type ExactValue,
  type FiniteValue,
  type Format,
  type MxFormat,
} from '../../generators/formats/index.ts';

/** A weight format with everything its quantizer needs. */
export type WeightFormat =
  | { kind: 'scalar'; name: string; format: Format; group: number; scale: Format; scaleName: string }
  | { kind: 'mx'; name: string; format: MxFormat; group: number }
  | { kind: 'nvfp4'; name: string; group: 16 }
  | { kind: 'int-asym'; name: string; bits: number; group: number }
  | { kind: 'select'; name: string; candidates: readonly CodebookFormat[]; group: number };

/** The group size when neither the spec nor --group gives one (the W4A16 convention). */
export const DEFAULT_GROUP = 128;
export const DEFAULT_SCALE = 'fp16';

const SELECTORS: Record<string, readonly CodebookFormat[]> = {
  razer: RAZER_OCP_CANDIDATES,
  bitmod_fp4: BITMOD_FP4_CANDIDATES,
  bitmod_fp3: BITMOD_FP3_CANDIDATES,
};
const ASYMMETRIC = /^int([2-8])_asym$/;
/** Two's-complement widths the formats library has no preset for (int5..int7 for the INT4-to-INT8 ladder). */
const EXTRA_INT = /^int([5-7])$/;

/** A named format, or a two's-complement int5..int7 built on the library's integer codec. */
function elementFormat(name: string): Format {
  const extra = EXTRA_INT.exec(name);
  if (extra) {
    const bits = Number(extra[1]);
    return parseFormat({
      kind: 'int',
      name,
      bits,
      signed: true,
      description: `${bits}-bit two's complement`,
    });
  }
  return formatByName(name);
}

/** Named sets for --formats. */
export const FORMAT_SETS: Record<string, readonly string[]> = {
  '4bit': ['int4', 'int4_asym', 'e2m1fn', 'nf4', 'sf4', 'mxfp4', 'nvfp4', 'razer', 'bitmod_fp4'],
  '8bit': ['int8', 'e4m3fn', 'e5m2', 'mxfp8_e4m3', 'mxfp8_e5m2', 'mxint8'],
  mx: MX_FORMATS.map((f) => f.name),
};

export function weightFormatNames(): string[] {
  return [
    ...formatNames(),
    'int5',
    'int6',
    'int7',
    ...MX_FORMATS.map((f) => f.name),
    'nvfp4',
    ...[2, 3, 4, 5, 6, 7, 8].map((b) => `int${b}_asym`),
    ...Object.keys(SELECTORS),
  ];
}

function fixedGroup(name: string, fixed: number, group: number | undefined): number {
  if (group !== undefined && group !== fixed)
    throw new Error(`group size ${group} is not allowed for '${name}': its blocks hold ${fixed} elements`);
  return fixed;
}

/**
 * A format spec `name[:g<group>][:<scale format>]`, e.g. `nf4:g64`, `e2m1fn:g32:e8m0fnu`, `mxfp4`.
 * `defaultGroup` is --group; it applies where the spec gives none and the format has a free group size.
 */
export function parseWeightFormat(spec: string, defaultGroup?: number): WeightFormat {
  const [name = '', ...rest] = spec.trim().split(':');
  let group: number | undefined;
  let scaleName: string | undefined;
  for (const part of rest) {
    if (/^g\d+$/.test(part)) {
      group = Number(part.slice(1));
      if (!Number.isSafeInteger(group) || group < 1)
        throw new Error(
          `format '${spec}': group size ${part.slice(1)} is not allowed; use a positive integer`,
        );
    } else if (scaleName === undefined && part !== '') scaleName = part;
    else
      throw new Error(
        `format '${spec}': '${part}' is not allowed; the form is name[:g<group>][:<scale format>]`,
      );
  }
  const noScale = (what: string) => {
    if (scaleName !== undefined)
      throw new Error(`format '${spec}': a scale format is not allowed for '${name}' (${what})`);
  };
  const mx = MX_FORMATS.find((f) => f.name === name);
  if (mx) {
    noScale('its scale is E8M0');
    return { kind: 'mx', name, format: mx, group: fixedGroup(name, mx.blockSize, group) };
  }
  if (name === 'nvfp4') {
    noScale('its scales are E4M3 per block and FP32 per tensor');
    fixedGroup(name, NVFP4.blockSize, group);
    return { kind: 'nvfp4', name, group: 16 };
  }
  const asym = ASYMMETRIC.exec(name);
  if (asym) {
    noScale('its scale is FP16 with an integer zero point');
    const g = group ?? defaultGroup ?? DEFAULT_GROUP;
    return { kind: 'int-asym', name: `${name}:g${g}`, bits: Number(asym[1]), group: g };
  }
  const candidates = SELECTORS[name];
  if (candidates) {
    noScale('its scale is FP16');
    const g = group ?? defaultGroup ?? DEFAULT_GROUP;
    return { kind: 'select', name: `${name}:g${g}`, candidates, group: g };
  }
  let format: Format;
  try {
    format = elementFormat(name);
  } catch {
    throw new Error(
      `unknown format '${name}' in '${spec}'; allowed: ${weightFormatNames().join(', ')} or a set: ${Object.keys(FORMAT_SETS).join(', ')}`,
    );
  }
  const lowest = formatInfo(format).lowest;
  if (lowest.kind === 'finite' && lowest.sign === 0)
    throw new Error(
      `format '${name}' is not allowed with absmax scaling: it has no negative values (use int${formatBits(format)}_asym for an unsigned integer with a zero point)`,
    );
  const scaleFormatName = scaleName ?? DEFAULT_SCALE;
  let scale: Format;
  try {
    scale = formatByName(scaleFormatName);
  } catch {
    throw new Error(
      `format '${spec}': unknown scale format '${scaleFormatName}'; allowed: ${formatNames().join(', ')}`,
    );
  }
  const g = group ?? defaultGroup ?? DEFAULT_GROUP;
  const suffix = scaleFormatName === DEFAULT_SCALE ? '' : `:${scaleFormatName}`;
  return {
    kind: 'scalar',
    name: `${name}:g${g}${suffix}`,
    format,
    group: g,
    scale,
    scaleName: scaleFormatName,
  };
}

/** Expands a --formats list: comma-separated specs and set names. */
export function parseWeightFormats(list: string, defaultGroup?: number): WeightFormat[] {
  const specs = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (specs.length === 0)
    throw new Error(
      `--formats '${list}' is not allowed: give format names or a set (${Object.keys(FORMAT_SETS).join(', ')})`,
    );
  return specs.flatMap((s) => (FORMAT_SETS[s] ?? [s]).map((f) => parseWeightFormat(f, defaultGroup)));
}

/** Storage bits per element, scales and per-group metadata included (NVFP4: 4 + 8/16 = 4.5; its one FP32 tensor scale is left out). */
export function bitsPerElement(w: WeightFormat): number {
  switch (w.kind) {
    case 'scalar':
      return formatBits(w.format) + formatBits(w.scale) / w.group;
    case 'mx':
      return formatBits(w.format.element) + formatBits(w.format.scale) / w.group;
    case 'nvfp4':
      return formatBits(NVFP4.element) + formatBits(NVFP4.blockScale) / NVFP4.blockSize;
    case 'int-asym':
      return w.bits + (16 + w.bits) / w.group;
    case 'select':
      return formatBits(w.candidates[0]!) + (16 + Math.ceil(Math.log2(w.candidates.length))) / w.group;
  }
}

const SATURATE_RNE = { rounding: 'rne', overflow: 'saturate' } as const;
const ZERO = finite(0, 0n, 0);

function exactOf(values: Float64Array, from: number, to: number): FiniteValue[] {
  const out: FiniteValue[] = [];
  for (let i = from; i < to; i++) {
    const v = fromNumber(values[i]!);
    if (v.kind !== 'finite') throw new Error(`value ${i} (${values[i]}) is not finite`);
    out.push(v);
  }
  return out;
}

function largestMagnitude(values: readonly FiniteValue[]): FiniteValue {
  let best = ZERO;
  let bestNumber = 0;
  for (const v of values) {
    // Doubles hold the inputs exactly, so comparing them compares the exact values.
    const m = Math.abs(toNumber(v));
    if (m > bestNumber) [best, bestNumber] = [finite(0, v.sig, v.exp), m];
  }
  return best;
}

/** s = scale(amax / max), at least the scale format's smallest positive value so every group can be divided. */
function groupScale(amax: FiniteValue, max: FiniteValue, scale: Format): FiniteValue {
  let s = decode(scale, encodeQuotient(scale, amax, max, SATURATE_RNE).code);
  if (s.kind !== 'finite' || s.sig === 0n) s = formatInfo(scale).smallestPositive;
  return s as FiniteValue;
}

/** The clip search's ratios: 1 (plain absmax) down to 0.5 in steps of 0.05. */
export const CLIP_RATIOS: readonly number[] = Array.from({ length: 11 }, (_, k) => (100 - 5 * k) / 100);

export interface QuantizeOptions {
  /**
   * Clip search (scalar formats only): per group, each ratio r gives the scale scaleFormat(r·absmax / max)
   * (elements beyond r·absmax saturate), and the r of least squared error is kept; ties keep the earlier r.
   */
  clipRatios?: readonly number[];
}

function quantizeScalar(
  w: Extract<WeightFormat, { kind: 'scalar' }>,
  values: Float64Array,
  out: Float64Array,
  clipRatios: readonly number[],
) {
  const max = formatInfo(w.format).max as FiniteValue;
  const ratios = clipRatios.map((r) => fromNumber(r) as FiniteValue);
  const table = new Map<number, ExactValue>();
  const element = (code: number) => {
    let v = table.get(code);
    if (!v) table.set(code, (v = decode(w.format, code)));
    return v as FiniteValue;
  };
  const trial = new Float64Array(w.group);
  for (let start = 0; start < values.length; start += w.group) {
    const end = Math.min(start + w.group, values.length);
    const group = exactOf(values, start, end);
    const amax = largestMagnitude(group);
    if (amax.sig === 0n) continue; // out is zero already
    let best = Infinity;
    for (const r of ratios) {
      // r·amax is exact: both are dyadic.
      const s = groupScale(finite(0, amax.sig * r.sig, amax.exp + r.exp), max, w.scale);
      let error = 0;
      for (let i = start; i < end; i++) {
        const code = encodeQuotient(w.format, group[i - start]!, s, SATURATE_RNE).code;
        const e = element(code);
        const q = toNumber(finite(e.sign ^ s.sign ? 1 : 0, e.sig * s.sig, e.exp + s.exp));
        trial[i - start] = q;
        error += (values[i]! - q) ** 2;
      }
      if (error < best) {
        best = error;
        out.set(trial.subarray(0, end - start), start);
      }
    }
  }
}

function copyExact(values: readonly ExactValue[], out: Float64Array, at: number, count: number) {
  for (let i = 0; i < count; i++) out[at + i] = toNumber(values[i]!);
}

/** The dequantized tensor ŵ of `values` in weight format `w` (same length). */
export function quantizeDequantize(
  w: WeightFormat,
  values: Float64Array,
  options: QuantizeOptions = {},
): Float64Array {
  const clipRatios = options.clipRatios ?? [1];
  for (const r of clipRatios)
    if (!(r > 0 && r <= 1)) throw new Error(`clip ratio ${r} is not allowed: use ratios in (0, 1]`);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++)
    if (!Number.isFinite(values[i]!)) throw new Error(`value ${i} (${values[i]}) is not finite`);
  switch (w.kind) {
    case 'scalar':
      quantizeScalar(w, values, out, clipRatios);
      break;
    case 'mx': {
      const blocks = quantizeMx(w.format, Array.from(values));
      blocks.forEach((b, k) => {
        const at = k * w.group;
        copyExact(dequantizeMxBlock(w.format, b), out, at, Math.min(w.group, values.length - at));
      });
      break;
    }
    case 'nvfp4':
      copyExact(dequantizeNvfp4(quantizeNvfp4(Array.from(values))), out, 0, values.length);
      break;
    case 'int-asym': {
      const groups = quantizeGroupwiseInt(Array.from(values), { bits: w.bits, groupSize: w.group });
      groups.forEach((g, k) => copyExact(dequantizeIntGroup(g), out, k * w.group, g.codes.length));
      break;
    }
    case 'select':
      // The same values as quantizeCodebookGroup and dequantizeCodebookGroup per group, in doubles.
      out.set(quantizeDequantizeCodebookGroups(values, w.group, w.candidates));
      break;
  }
  return out;
}
