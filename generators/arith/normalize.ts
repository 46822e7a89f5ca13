import { mux } from '../hdl/signal.ts';
import { leadingZeros } from './lzc.ts';
import { signedBits } from './widths.ts';
import type { NormalizedFloat, RawFloat } from './raw-float.ts';

/**
 * Shift the significand left until its top bit is set and lower the exponent to match. A value whose
 * significand has at most one leading zero (a product of normal numbers) needs only a 2:1 mux; any
 * other takes a leading-zero count and a barrel shifter, between which `cut('counted')` may place a
 * pipeline stage; `cutCount`, when given, places one inside the count (leadingZeros' split). A zero
 * significand makes the value zero.
 */
export function normalize(
  raw: RawFloat,
  prefix: string,
  cut: (point: 'counted') => void = () => {},
  cutCount?: () => void,
): NormalizedFloat {
  const width = raw.sig.width;
  const maxLz = Math.min(raw.maxLeadingZeros ?? width, width);
  // One more bit than the input exponent, so that subtracting the shift cannot wrap.
  // With a known exponent range the result's is [min − maxLz, max]; otherwise one spare bit.
  const expRange =
    raw.expRange === undefined ? undefined : { min: raw.expRange.min - maxLz, max: raw.expRange.max };
  const expWidth =
    expRange === undefined
      ? Math.max(raw.exp.width, Math.ceil(Math.log2(width + 1)) + 1) + 1
      : Math.max(signedBits(expRange.min, expRange.max), raw.exp.width);
  const exp = raw.exp.resize(expWidth);
  if (maxLz === 0) return { ...raw, exp, ...(expRange === undefined ? {} : { expRange }) };
  if (maxLz === 1) {
    const top = raw.sig.msb();
    const sig = mux(top, raw.sig, raw.sig.shl(1)).named(`${prefix}_sig`);
    const normExp = mux(top, exp, exp.sub(1, { width: expWidth })).named(`${prefix}_exp`);
    return { ...raw, sig, exp: normExp, ...(expRange === undefined ? {} : { expRange }) };
  }
  const lz = leadingZeros(raw.sig, cutCount).named(`${prefix}_lz`);
  cut('counted');
  const sig = raw.sig.shl(lz).named(`${prefix}_sig`);
  const normExp = exp
    .sub(
      lz
        .zext(lz.width + 1)
        .asSigned()
        .resize(expWidth),
      { width: expWidth },
    )
    .named(`${prefix}_exp`);
  const isZero = raw.isZero.or(raw.sig.orR().not().and(raw.isInf.or(raw.isNaN).not()));
  return { ...raw, sig, exp: normExp, isZero, ...(expRange === undefined ? {} : { expRange }) };
}
