import { unpackFloat, type UnpackedFloat } from '../arith/unpack.ts';
import { signedBits } from '../arith/widths.ts';
import { formatBits, MX_FORMATS, NVFP4, type FloatFormat, type IntFormat } from '../formats/index.ts';
import { mux, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';

/** A block format mx_dot takes: its element format, block size and block scale format. */
export interface DotBlockFormat {
  name: string;
  element: FloatFormat | IntFormat;
  blockSize: number;
  /** e8m0fnu (MX: a power of two) or e4m3fn (NVFP4: a value). */
  scale: FloatFormat;
}

/** The MX formats and NVFP4, by name (docs/mx-nvfp4.md#element-formats, docs/mx-nvfp4.md#nvfp4). */
const NAMES: string[] = [...MX_FORMATS.map((f) => f.name), NVFP4.name];
export const BLOCK_FORMAT_NAMES = NAMES as [string, ...string[]];

export function blockFormat(name: string): DotBlockFormat {
  if (name === NVFP4.name)
    return {
      name,
      element: NVFP4.element as FloatFormat,
      blockSize: NVFP4.blockSize,
      scale: NVFP4.blockScale as FloatFormat,
    };
  const mx = MX_FORMATS.find((f) => f.name === name);
  if (mx === undefined) throw new Error(`unknown block format '${name}'`);
  const element = mx.element;
  if (element.kind !== 'float' && (element.kind !== 'int' || !element.signed))
    throw new Error(`${name}: ${element.name} is not an MX element format`);
  return { name, element, blockSize: mx.blockSize, scale: mx.scale as FloatFormat };
}

/**
 * One MX or NVFP4 element code taken apart as a float. A float element is unpacked as such; an MXINT8 element
 * (int8 · 2^-6, docs/mx-nvfp4.md#element-formats) becomes sign and 8-bit magnitude (0x80 is −2, magnitude
 * 128) with the constant exponent 1: value = magnitude · 2^(1 − 7).
 */
export function unpackMxElement(
  code: Signal,
  element: FloatFormat | IntFormat,
  prefix: string,
): UnpackedFloat {
  if (element.kind === 'float') return unpackFloat(code, element, prefix);
  const m = code.builder;
  const bits = formatBits(element);
  const zero = m.constant(0, UInt(1));
  const sign = code.msb().named(`${prefix}_sign`);
  const negated = m.constant(0, UInt(bits)).sub(code, { width: bits });
  // The magnitude's top bit weighs 2^(bits − 1 − fracBits): that is the exponent of its MSB position.
  const exp = bits - 1 - element.fracBits;
  return {
    sign,
    exp: m.constant(exp, SInt(signedBits(exp, exp))),
    sig: mux(sign, negated, code).named(`${prefix}_sig`),
    isZero: code.orR().not().named(`${prefix}_is_zero`),
    isInf: zero,
    isNaN: zero,
    isSignalingNaN: zero,
    isSubnormal: zero,
    expRange: { min: exp, max: exp },
  };
}
