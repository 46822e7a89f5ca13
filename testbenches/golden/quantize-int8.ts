// Golden model of the group-wise int8 quantizer (docs/mx-nvfp4.md#int8-with-an-fp16-group-scale), with
// exact rationals: the scale amax / 127 rounded to FP16 (nearest even, saturating at 65504, at least
// 2^−24), every element x / scale rounded to an integer and clamped to ±127.
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

/** FP16's canonical NaN, the scale of a group with a NaN or an infinity; its largest finite value and least subnormal. */
export const INT8_SCALE_NAN = 0x7e00;
const LARGEST_SCALE = 0x7bff; // 65504
const SMALLEST_SCALE = 0x0001; // 2^−24

function below(a: ExactInput, b: ExactInput): boolean {
  const e = Math.min(a.exp, b.exp);
  return a.sig << BigInt(a.exp - e) < b.sig << BigInt(b.exp - e);
}

/** (−1)^sign · num / den rounded to an integer (ties by `rounding`), clamped to ±127, two's complement. */
function roundToInt8(sign: number, num: bigint, den: bigint, rounding: string): number {
  const floor = num / den;
  const twice = 2n * (num - floor * den);
  const up =
    twice > den || (twice === den && (rounding === 'rna' || (rounding === 'rne' && (floor & 1n) === 1n)));
  let n = up ? floor + 1n : floor;
  if (n > 127n && !variantIs('quantize.no-clamp')) n = 127n;
  const byte = Number(n & 0xffn);
  return sign === 1 && byte !== 0 ? 256 - byte : byte;
}

/** One group of input codes: its FP16 scale code and int8 codes. A NaN or an infinity gives the NaN scale and zeros. */
export function quantizeInt8Golden(spec: QuantizeSpec, codes: readonly number[]): QuantizedBlock {
  const input = formatByName(spec.inFormat);
  const values = codes.map((c) => decode(input, c));
  if (values.some((v) => v.kind !== 'finite') && !variantIs('quantize.specials-ignored'))
    return { scale: INT8_SCALE_NAN, elements: codes.map(() => 0) };
  const inputs = finiteInputs(spec, values);
  const amax = inputs.reduce((a, v) => (below(a, v) ? v : a));
  // amax / 127 = (amax.sig · 2^amax.exp) / 127.
  const [num, den] =
    amax.exp >= 0 ? [amax.sig << BigInt(amax.exp), 127n] : [amax.sig, 127n << BigInt(-amax.exp)];
  let scale = roundQuotientToElement('fp16', 0, num, den, 'rne');
  if (scale === 0 && !variantIs('quantize.scale-zero')) scale = SMALLEST_SCALE;
  // (The no-clamp variant wraps elements beyond ±127, not the scale.)
  if (scale > LARGEST_SCALE) scale = LARGEST_SCALE;
  if (scale === 0) return { scale, elements: inputs.map(() => 0) };
  // The scale-unrounded variant divides by amax / 127 itself.
  const s =
    variantIs('quantize.scale-unrounded') && num !== 0n
      ? { num, den }
      : (() => {
          const v = decode(formatByName('fp16'), scale) as FiniteValue;
          return v.exp >= 0
            ? { num: v.sig << BigInt(v.exp), den: 1n }
            : { num: v.sig, den: 1n << BigInt(-v.exp) };
        })();
  const rounding = elementRounding(spec);
  const elements = inputs.map((v) => {
    // |x| / s = (v.sig · 2^v.exp) · s.den / s.num.
    const [n, d] = v.exp >= 0 ? [v.sig << BigInt(v.exp), 1n] : [v.sig, 1n << BigInt(-v.exp)];
    return roundToInt8(v.sign, n * s.den, d * s.num, rounding);
  });
  return { scale, elements };
}
