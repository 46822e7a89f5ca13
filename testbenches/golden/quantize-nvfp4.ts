// Golden model of the NVFP4 activation quantizer (docs/mx-nvfp4.md#nvfp4-quantization), from the
// reference recipe with exact rationals: the block scale amax / (6 · s_tensor) rounded to E4M3 (nearest
// even, or up) and kept within 2^−9 … 448, every element x / (s_block · s_tensor) rounded to E2M1 and
// clamped to ±6. Both roundings are quantizeGolden's own quotient rounding (roundQuotientToElement), not
// the formats library's encoder, so that the library's quantizeNvfp4 is a second implementation.
import { decode, formatByName, type FiniteValue } from '../../generators/formats/index.ts';
import {
  elementRounding,
  finiteInputs,
  roundQuotientToElement,
  type ExactInput,
  type QuantizedBlock,
  type QuantizeSpec,
} from './quantize.ts';
import { variantIs } from './variant.ts';

/** The block scale's and the elements' formats among the golden model's element formats. */
const E4M3 = 'mxfp8_e4m3';
const E2M1 = 'mxfp4';
/** e4m3fn's NaN (S.1111.111, positive) and its smallest subnormal 2^−9, the least block scale. */
export const NVFP4_SCALE_NAN = 0x7f;
const SMALLEST_SCALE = 0x01;
const LARGEST_SCALE = 0x7e; // 448

/** Whether |a| < |b|, exactly. */
function below(a: ExactInput, b: ExactInput): boolean {
  const e = Math.min(a.exp, b.exp);
  return a.sig << BigInt(a.exp - e) < b.sig << BigInt(b.exp - e);
}

/** (a.sig · 2^a.exp) / (factor · b.sig · 2^b.exp) as an integer numerator and denominator. */
function quotient(a: ExactInput, b: { sig: bigint; exp: number }, factor: bigint): [bigint, bigint] {
  const e = a.exp - b.exp;
  return [a.sig << BigInt(Math.max(e, 0)), (factor * b.sig) << BigInt(Math.max(-e, 0))];
}

/**
 * One block of 16 input codes and the fp32 tensor scale s_tensor (the value the tensor's codes are
 * multiplied by, as dequantization reads it). A NaN or an infinity in the block, or a tensor scale that
 * is not a positive finite number, gives the NaN scale and zero elements.
 */
export function quantizeNvfp4Golden(
  spec: QuantizeSpec,
  codes: readonly number[],
  tensorScaleCode: number,
): QuantizedBlock {
  const input = formatByName(spec.inFormat);
  const values = codes.map((c) => decode(input, c));
  const tensor = decode(formatByName('fp32'), tensorScaleCode);
  const usable = tensor.kind === 'finite' && tensor.sig !== 0n && tensor.sign === 0;
  const special = values.some((v) => v.kind !== 'finite') && !variantIs('quantize.specials-ignored');
  if (!usable || special) return { scale: NVFP4_SCALE_NAN, elements: codes.map(() => 0) };
  const sTensor = variantIs('quantize.tensor-scale-ignored') ? { sig: 1n, exp: 0 } : (tensor as FiniteValue);
  const inputs = finiteInputs(spec, values);
  const amax = inputs.reduce((a, v) => (below(a, v) ? v : a));

  // s_block = amax / (6 · s_tensor) rounded to E4M3 (saturating at 448), at least 2^−9: a zero block,
  // or one whose scale rounds to 0, gets the smallest scale (the reference clamps before rounding, the
  // same codes).
  const nearest = (spec.scaleRounding ?? 'rne') === 'rne';
  const scaleRounding = nearest !== variantIs('quantize.scale-rounding') ? 'rne' : 'up';
  const [num, den] = quotient(amax, sTensor, 6n);
  let scale = roundQuotientToElement(E4M3, 0, num, den, scaleRounding);
  if (scale === 0 && !variantIs('quantize.scale-zero')) scale = SMALLEST_SCALE;
  // (The no-clamp variant wraps elements beyond ±6, not the scale.)
  if (scale === NVFP4_SCALE_NAN) scale = LARGEST_SCALE;
  if (scale === 0) return { scale, elements: inputs.map((v) => v.sign << 3) };

  const sBlock = decode(formatByName('e4m3fn'), scale) as FiniteValue;
  const step = { sig: sBlock.sig * sTensor.sig, exp: sBlock.exp + sTensor.exp };
  const rounding = elementRounding(spec);
  const elements = inputs.map((v) => {
    const [n, d] = quotient(v, step, 1n);
    return roundQuotientToElement(E2M1, v.sign, n, d, rounding);
  });
  return { scale, elements };
}
