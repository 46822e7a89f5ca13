// Golden model of the dequantizer, from the math of docs/ (w4a16.md, mx-nvfp4.md, razer.md) with the
// formats library's exact arithmetic: unpack the word (sequential, or AutoAWQ's order via unpackWord),
// decode each code in its element format (RaZeR/BitMoD: the group's candidate codebook), then
//   sub-mul:  round((q − z) · s [· s_tensor])         one rounding of the exact value
//   fma:      round(q·s + zs),  zs = round(−s·z)      (TinyChat: scaled zeros, __hfma2)
//   mul-add:  round(round(q·s) + zs)                  (no FMA)
// MX: x = 2^(X−127) · P (docs/mx-nvfp4.md#mx-block), NVFP4: x = e2m1 · s_block · s_tensor
// (docs/mx-nvfp4.md#nvfp4), W4A16: (q − z)·s (docs/w4a16.md#zero-point). Shares no code with the
// datapath.
import {
  AWQ_ORDER,
  BITMOD_FP3_CANDIDATES,
  BITMOD_FP4_CANDIDATES,
  MX_FORMATS,
  NVFP4,
  add,
  decode,
  decodeNumber,
  encode,
  encodeNumber,
  exactAdd,
  exactMul,
  finite,
  fma,
  formatBits,
  formatByName,
  mul,
  negate,
  razerFormats,
  resolvePolicy,
  unpackWord,
  type ExactValue,
  type FloatFormat,
  type Format,
  type Policy,
} from '../../generators/formats/index.ts';
import { variantIs, variantPolicy, variantTagged } from './variant.ts';

export interface DequantSpec {
  /** Element format name as the generator's `format` parameter spells it. */
  format: string;
  lanes: number;
  /** Bits per lane slot in the packed word (the code sits in its low bits). */
  slotBits: number;
  packing: 'sequential' | 'awq';
  /** Scale format name, or 'none'. */
  scale: string;
  tensorScale: boolean;
  /** Zero-point format name, or 'none'. */
  zeroPoint: string;
  order: 'sub-mul' | 'fma' | 'mul-add';
  /** RaZeR special values by sv index. */
  specialValues: readonly number[];
  outFormat: string;
  policy: Policy;
}

/** One vector's inputs; fields a unit does not have are ignored. */
export interface DequantInputs {
  word: bigint;
  scale: number;
  tensorScale: number;
  zero: number;
  /** RaZeR sv / BitMoD dtype index. */
  select: number;
}

/** The element format of a group: the candidate its selector picks, or the format itself. */
export function elementFormat(spec: DequantSpec, select: number): Format {
  switch (spec.format) {
    case 'razer_ocp':
      return razerFormats('ocp', spec.specialValues)[select]!;
    case 'razer_kernel':
      return razerFormats('kernel', spec.specialValues)[select]!;
    case 'bitmod_fp4_mixed':
      return BITMOD_FP4_CANDIDATES[select]!;
    case 'bitmod_fp3_mixed':
      return BITMOD_FP3_CANDIDATES[select]!;
    case NVFP4.name:
      return NVFP4.element;
  }
  const mx = MX_FORMATS.find((f) => f.name === spec.format);
  return mx !== undefined ? mx.element : formatByName(spec.format);
}

const codeBits = new WeakMap<DequantSpec, number>();

/** The codes of a word in element order. */
export function wordCodes(spec: DequantSpec, word: bigint): number[] {
  let bits = codeBits.get(spec);
  if (bits === undefined) {
    bits = formatBits(elementFormat(spec, 0));
    codeBits.set(spec, bits);
  }
  if (spec.packing === 'awq') {
    return Array.from({ length: spec.lanes / 8 }, (_, k) =>
      unpackWord(Number(BigInt.asUintN(32, word >> BigInt(32 * k))), 4, AWQ_ORDER),
    ).flat();
  }
  return Array.from({ length: spec.lanes }, (_, j) =>
    Number(BigInt.asUintN(bits, word >> BigInt(spec.slotBits * j))),
  );
}

/** A golden model bound to one unit's parameters: the packed output word of each input vector. */
export function dequantGolden(spec: DequantSpec): (inputs: DequantInputs) => bigint {
  // Mutations: 'dequant.packing' reads the word in the other order (sequential ↔ AutoAWQ), 'dequant.order'
  // uses the next order (sub-mul → fma → mul-add → sub-mul), 'dequant.no-zero-point' drops the zero point.
  spec = {
    ...spec,
    policy: variantPolicy(spec.policy),
    ...(variantIs('dequant.packing') ? { packing: spec.packing === 'awq' ? 'sequential' : 'awq' } : {}),
    ...(variantIs('dequant.order') ? { order: NEXT_ORDER[spec.order] } : {}),
  };
  const out = formatByName(spec.outFormat);
  const outBits = BigInt(formatBits(out));
  const zeroSign = resolvePolicy(out, spec.policy).rounding === 'rdown' ? 1 : 0;
  const scaleFormat = spec.scale === 'none' ? undefined : formatByName(spec.scale);
  const zeroFormat = spec.zeroPoint === 'none' ? undefined : formatByName(spec.zeroPoint);
  const fp32 = formatByName('fp32');
  const elements = [0, 1, 2, 3].map((select) => elementFormat(spec, select));
  // Doubles hold every intermediate exactly when the significands' product fits in 53 bits, and
  // round-to-nearest gives x − x = +0 as the exact model does unless rounding is toward −∞.
  const fast =
    !variantTagged() &&
    spec.order === 'sub-mul' &&
    zeroSign === 0 &&
    (zeroFormat === undefined || zeroFormat.kind === 'int') &&
    Math.max(...elements.map(significandBits)) +
      (zeroFormat === undefined ? 0 : 10) +
      (scaleFormat === undefined ? 0 : significandBits(scaleFormat)) +
      (spec.tensorScale ? 24 : 0) <=
      53;
  return (inputs) => {
    const element = elements[inputs.select]!;
    const s = scaleFormat === undefined ? undefined : scaleValue(scaleFormat, inputs.scale);
    const t =
      spec.tensorScale && !variantIs('dequant.no-tensor-scale')
        ? decode(fp32, inputs.tensorScale)
        : undefined;
    const z =
      zeroFormat === undefined || variantIs('dequant.no-zero-point')
        ? undefined
        : decode(zeroFormat, inputs.zero);
    // zs = round(−s·z) in the output format, for the orders that add a scaled zero point.
    const zs = spec.order === 'sub-mul' ? undefined : decode(out, mul(out, s!, negate(z!), spec.policy).code);
    const lane = (code: number): number => {
      if (fast) {
        // The same arithmetic in doubles, where every product is exact (encodeNumber = encode then).
        let x = decodeNumber(element, code);
        if (zeroFormat !== undefined) x -= decodeNumber(zeroFormat, inputs.zero);
        if (scaleFormat !== undefined) x *= decodeNumber(scaleFormat, inputs.scale);
        if (spec.tensorScale) x *= decodeNumber(fp32, inputs.tensorScale);
        return encodeNumber(out, x, spec.policy).code;
      }
      const q = decode(element, code);
      if (spec.order === 'fma') return fma(out, q, s!, zs!, spec.policy).code;
      if (spec.order === 'mul-add')
        return add(out, decode(out, mul(out, q, s!, spec.policy).code), zs!, spec.policy).code;
      let x: ExactValue = z === undefined ? q : exactAdd(q, negate(z), zeroSign).value;
      if (s !== undefined) x = exactMul(x, s).value;
      if (t !== undefined) x = exactMul(x, t).value;
      return encode(out, x, spec.policy).code;
    };
    // Lanes share the group's inputs: each distinct code is computed once per word.
    const seen = new Map<number, number>();
    let packed = 0n;
    wordCodes(spec, inputs.word).forEach((code, j) => {
      let result = seen.get(code);
      if (result === undefined) {
        result = lane(code);
        seen.set(code, result);
      }
      packed |= BigInt(result) << (outBits * BigInt(j));
    });
    return packed;
  };
}

const NEXT_ORDER = { 'sub-mul': 'fma', fma: 'mul-add', 'mul-add': 'sub-mul' } as const;

/**
 * A scale code's value. Mutations: 'dequant.scale-exponent' doubles every finite scale (an exponent off
 * by one), 'dequant.nan-scale' reads a NaN scale as the value its code would have without the NaN rule.
 */
function scaleValue(format: Format, code: number): ExactValue {
  const s = decode(format, code);
  if (variantIs('dequant.scale-exponent') && s.kind === 'finite') return { ...s, exp: s.exp + 1 };
  if (variantIs('dequant.nan-scale') && s.kind === 'nan' && format.kind === 'float') {
    // The code read as an ordinary number: sign, biased exponent, fraction.
    const f = format as FloatFormat;
    const sign = f.signed ? (((code >> (f.expBits + f.mantBits)) & 1) as 0 | 1) : 0;
    const e = (code >> f.mantBits) & ((1 << f.expBits) - 1);
    const m = code & ((1 << f.mantBits) - 1);
    return finite(sign, BigInt((1 << f.mantBits) + m), e - f.bias - f.mantBits);
  }
  return s;
}

/** The widest significand (odd part) of any finite value of the format, in bits. */
function significandBits(format: Format): number {
  if (format.kind === 'float') return format.mantBits + 1;
  if (format.kind === 'int') return format.bits;
  let bits = 0;
  for (let c = 0; c < 2 ** formatBits(format); c++) {
    const v = decode(format, c);
    if (v.kind === 'finite') bits = Math.max(bits, v.sig.toString(2).length);
  }
  return bits;
}
