// Decoding an ExMy float code: fields, then zero / subnormal / normal / Inf / NaN.

import type { FloatLayout } from './float-layout.ts';
import type { FloatFormat } from './format.ts';
import { finite, inf, nan, type ExactValue, type Sign } from './value.ts';

export type CodeClass = 'zero' | 'subnormal' | 'normal' | 'inf' | 'nan' | 'finite' | 'unused';

interface Fields {
  sign: Sign;
  expField: number;
  mant: number;
}

function fields(layout: FloatLayout, code: number): Fields {
  const sign: Sign = layout.signWeight !== 0 && code >= layout.signWeight ? 1 : 0;
  const magnitude = code - sign * layout.signWeight;
  const expField = Math.floor(magnitude / layout.hidden);
  return { sign, expField, mant: magnitude - expField * layout.hidden };
}

export function classifyFloat(format: FloatFormat, layout: FloatLayout, code: number): CodeClass {
  const { sign, expField, mant } = fields(layout, code);
  if (format.specials === 'fnuz' && sign === 1 && expField === 0 && mant === 0) return 'nan';
  if (format.specials === 'ieee' && expField === layout.expFieldMax) return mant === 0 ? 'inf' : 'nan';
  if (format.specials === 'fn' && expField === layout.expFieldMax && mant === layout.hidden - 1) return 'nan';
  if (!format.subnormals || expField > 0) return 'normal';
  return mant === 0 ? 'zero' : 'subnormal';
}

export function decodeFloat(format: FloatFormat, layout: FloatLayout, code: number): ExactValue {
  const kind = classifyFloat(format, layout, code);
  const { sign, expField, mant } = fields(layout, code);
  switch (kind) {
    case 'nan':
      // IEEE quiet NaNs have the top mantissa bit set; fn and fnuz NaNs have no signalling variant.
      return nan(sign, format.specials !== 'ieee' || mant >= layout.hidden / 2);
    case 'inf':
      return inf(sign);
    case 'zero':
      return finite(sign, 0n, 0);
    case 'subnormal':
      return finite(sign, BigInt(mant), layout.emin - layout.mantBits);
    default:
      return finite(sign, BigInt(layout.hidden + mant), expField - layout.bias - layout.mantBits);
  }
}
