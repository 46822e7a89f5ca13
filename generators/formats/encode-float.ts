// Encoding into an ExMy float: one rounding at the right quantum, then overflow, tininess and flushing
// decided by the policy. The magnitude may be exact (BigInt) or a double; the decisions are the same.

import type { FloatLayout } from './float-layout.ts';
import {
  INEXACT_FLAGS,
  INVALID_FLAGS,
  NO_FLAGS,
  OVERFLOW_FLAGS,
  UNDERFLOW_FLAGS,
  type Encoded,
} from './flags.ts';
import type { ResolvedPolicy } from './policy.ts';
import { magnitudeRule, type Magnitude, type MagnitudeRule } from './rounding.ts';
import type { Sign } from './value.ts';

function zeroCode(layout: FloatLayout, sign: Sign): number {
  return sign === 1 && layout.hasNegativeZero ? layout.signWeight : 0;
}

function maxCode(layout: FloatLayout, sign: Sign): number {
  return sign * layout.signWeight + layout.maxCode;
}

/** The NaN a policy asks for: canonical, or carrying the sign when policy.nan is 'signed'. */
function nanCode(layout: FloatLayout, sign: Sign, policy: ResolvedPolicy): number {
  const withSign = policy.nan === 'signed' && layout.nanHasSign;
  return (withSign ? sign * layout.signWeight : 0) + layout.canonicalNaNCode!;
}

/** A value below an unsigned or zero-less format's range (negative, or zero in e8m0fnu). */
function belowRange(layout: FloatLayout, policy: ResolvedPolicy): Encoded {
  if (policy.overflow === 'saturate' || !layout.hasNaN)
    return { code: layout.hasZero ? 0 : layout.minPositiveCode, flags: INVALID_FLAGS };
  return { code: layout.canonicalNaNCode!, flags: INVALID_FLAGS };
}

export function encodeFloatNaN(
  layout: FloatLayout,
  sign: Sign,
  quiet: boolean,
  policy: ResolvedPolicy,
): Encoded {
  switch (policy.nan) {
    case 'canonical':
    case 'signed':
      return { code: nanCode(layout, sign, policy), flags: quiet ? NO_FLAGS : INVALID_FLAGS };
    case 'max':
      return { code: maxCode(layout, layout.signWeight ? sign : 0), flags: INVALID_FLAGS };
    case 'zero':
      return { code: 0, flags: INVALID_FLAGS };
    case 'negative-zero-code':
      return { code: sign === 1 ? 0 : layout.signWeight, flags: INVALID_FLAGS };
  }
}

export function encodeFloatInf(layout: FloatLayout, sign: Sign, policy: ResolvedPolicy): Encoded {
  const unsignedNegative = sign === 1 && !layout.signWeight;
  if (layout.hasInf && !unsignedNegative)
    return { code: sign * layout.signWeight + layout.infCode!, flags: NO_FLAGS };
  if (policy.infInput === 'nan') return { code: nanCode(layout, sign, policy), flags: INVALID_FLAGS };
  if (unsignedNegative) return belowRange(layout, policy);
  return { code: maxCode(layout, sign), flags: INVALID_FLAGS };
}

export function encodeFloatZero(layout: FloatLayout, sign: Sign, policy: ResolvedPolicy): Encoded {
  if (!layout.hasZero) return belowRange(layout, policy);
  return { code: zeroCode(layout, sign), flags: NO_FLAGS };
}

function overflowResult(
  layout: FloatLayout,
  sign: Sign,
  rule: MagnitudeRule,
  policy: ResolvedPolicy,
): Encoded {
  switch (policy.overflow) {
    case 'inf':
      return { code: sign * layout.signWeight + layout.infCode!, flags: OVERFLOW_FLAGS };
    case 'ieee':
      if (rule !== 'toward-zero')
        return { code: sign * layout.signWeight + layout.infCode!, flags: OVERFLOW_FLAGS };
      return { code: maxCode(layout, sign), flags: OVERFLOW_FLAGS };
    case 'nan':
      return { code: nanCode(layout, sign, policy), flags: OVERFLOW_FLAGS };
    default:
      return { code: maxCode(layout, sign), flags: OVERFLOW_FLAGS };
  }
}

/** IEEE tininess after rounding: the value rounded with an unbounded exponent range is still below 2^emin. */
function tinyAfterRounding(layout: FloatLayout, mag: Magnitude, rule: MagnitudeRule): boolean {
  const e = mag.log2Floor;
  if (e < layout.emin - 1) return true;
  return mag.roundAt(e - layout.mantBits, rule).units < 2 * layout.hidden;
}

/** Encodes (-1)^sign · mag for a positive magnitude. */
export function encodeFloatMagnitude(
  layout: FloatLayout,
  sign: Sign,
  mag: Magnitude,
  policy: ResolvedPolicy,
): Encoded {
  if (sign === 1 && !layout.signWeight) return belowRange(layout, policy);
  const rule = magnitudeRule(policy.rounding, sign);
  const e = mag.log2Floor;
  const belowNormal = e < layout.emin;
  // Without a zero (e8m0fnu) every value below the range rounds to the smallest one.
  if (belowNormal && !layout.hasZero) return { code: layout.minPositiveCode, flags: UNDERFLOW_FLAGS };

  let q = Math.max(e, layout.emin) - layout.mantBits;
  let { units, inexact } = mag.roundAt(q, rule);
  if (units === 2 * layout.hidden) {
    units = layout.hidden;
    q += 1;
  }
  const tiny = belowNormal && (policy.tininess === 'before' || tinyAfterRounding(layout, mag, rule));
  if (units === 0 || (tiny && policy.subnormals === 'flush')) {
    return { code: zeroCode(layout, sign), flags: UNDERFLOW_FLAGS };
  }
  if (q > layout.maxQ || (q === layout.maxQ && units > layout.maxUnits))
    return overflowResult(layout, sign, rule, policy);

  const magnitudeCode =
    units >= layout.hidden
      ? (q + layout.mantBits + layout.bias) * layout.hidden + units - layout.hidden
      : units;
  const flags = !inexact ? NO_FLAGS : tiny ? UNDERFLOW_FLAGS : INEXACT_FLAGS;
  return { code: sign * layout.signWeight + magnitudeCode, flags };
}
