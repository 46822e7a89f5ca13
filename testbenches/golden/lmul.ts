// Golden model of L-Mul (docs/lmul.md), written from the value definitions:
//   integer-add variant (§1.2): the fraction sum T = xm + ym + 2^-l (in units of 2^-m) carries
//     k = floor(T) times into the exponent: (1 + frac(T))·2^(xe+ye+k). k = 0 and 1 are the two cases of docs/lmul.md#carries
//     ((1+s)·2^(xe+ye) and the Mitchell form s·2^(xe+ye+1)); k = 2 happens when 2^-l ≥ 2^(1-m), i.e.
//     m ≥ 5 (bf16, fp16, fp32), where xm + ym + 2^-l can reach 2.
//   formula variant (§1.1): (1 + xm + ym + 2^-l)·2^(xe+ye), rounded once into the output.
// with the §1.5 policy: NaN in → canonical NaN; Inf·0 → NaN; Inf·x → ±Inf; zero or subnormal
// operands → ±0; results below the normal range → ±0; results beyond it saturate (or Inf/NaN).
import {
  classify,
  decode,
  encode,
  finite,
  floatLayout,
  formatByName,
  inf,
  nan,
  type ExactValue,
  type FloatFormat,
  type Policy,
} from '../../generators/formats/index.ts';
import { variantIs, variantPolicy } from './variant.ts';

export interface LmulSpec {
  format: string;
  outFormat: string;
  /** Mantissa bits the operands are reduced to. */
  m: number;
  variant: 'integer-add' | 'formula';
  operandRounding: 'rne' | 'truncate';
  overflow: 'saturate' | 'inf' | 'nan';
}

/** l(m) of docs/lmul.md#definition: the offset 2^-l(m) that replaces xm·ym. */
export function lmulOffsetExponent(m: number): number {
  return m <= 3 ? m : m === 4 ? 3 : 4;
}

/** An operand as (−1)^sign · (2^m + X)·2^(e−m), X the m-bit fraction after reduction to m bits. */
interface Operand {
  sign: 0 | 1;
  e: number;
  X: bigint;
}

/** Round |x| to m fraction bits (RNE or truncation); a carry out of the fraction raises the exponent. */
function reduce(
  value: ExactValue & { kind: 'finite' },
  m: number,
  rounding: LmulSpec['operandRounding'],
): Operand {
  // value = sig · 2^exp with sig odd; normalize to 1.f · 2^e.
  const e = value.sig.toString(2).length - 1 + value.exp;
  // Units of 2^(e−m): |x| / 2^(e−m) = sig · 2^(exp − e + m), possibly fractional.
  const shift = value.exp - e + m;
  let units: bigint;
  if (shift >= 0) units = value.sig << BigInt(shift);
  else {
    const dropped = BigInt(-shift);
    units = value.sig >> dropped;
    const remainder = value.sig - (units << dropped);
    const half = 1n << (dropped - 1n);
    if (rounding === 'rne' && (remainder > half || (remainder === half && (units & 1n) === 1n))) units += 1n;
  }
  const one = 1n << BigInt(m);
  return units === 2n * one ? { sign: value.sign, e: e + 1, X: 0n } : { sign: value.sign, e, X: units - one };
}

/** The §1.5 output policy for each overflow rule (one object each, so that resolvePolicy caches it). */
const LMUL_POLICIES = Object.fromEntries(
  (['saturate', 'inf', 'nan'] as const).map((overflow) => [
    overflow,
    { rounding: 'rne', overflow, subnormals: 'flush', tininess: 'before' } as const,
  ]),
) as Record<LmulSpec['overflow'], Policy>;

export function lmulGolden(spec: LmulSpec, a: number, b: number): number {
  const format = formatByName(spec.format) as FloatFormat;
  const out = formatByName(spec.outFormat) as FloatFormat;
  const outLayout = floatLayout(out);
  const policy = variantPolicy(LMUL_POLICIES[spec.overflow]);
  const read = (code: number): ExactValue => {
    const v = decode(format, code);
    // §1.5 rule 4: an exponent field of 0 (zero or subnormal) reads as ±0.
    return classify(format, code) === 'subnormal' ? finite(v.sign, 0n, 0) : v;
  };
  const x = read(a);
  const y = read(b);
  if (x.kind === 'nan' || y.kind === 'nan') return encode(out, nan(0), policy).code;
  const sign = (x.sign ^ y.sign) as 0 | 1;
  const isZero = (v: ExactValue) => v.kind === 'finite' && v.sig === 0n;
  if (x.kind === 'inf' || y.kind === 'inf') {
    return encode(out, isZero(x) || isZero(y) ? nan(0) : inf(sign), policy).code;
  }
  if (isZero(x) || isZero(y)) return encode(out, finite(sign, 0n, 0), policy).code;

  const m = spec.m;
  const l = lmulOffsetExponent(m);
  // Mutation 'lmul.operand-rounding': the other reduction of the operands (RNE ↔ truncation).
  const rounding = variantIs('lmul.operand-rounding')
    ? spec.operandRounding === 'rne'
      ? 'truncate'
      : 'rne'
    : spec.operandRounding;
  const p = reduce(x as ExactValue & { kind: 'finite' }, m, rounding);
  const q = reduce(y as ExactValue & { kind: 'finite' }, m, rounding);
  let value: ExactValue;
  // Mutation 'lmul.other-variant': the formula variant for integer-add, and the other way round.
  if ((spec.variant === 'formula') !== variantIs('lmul.other-variant')) {
    // In units of 2^-(m+l): 1 + xm + ym + 2^-l.
    const units = (1n << BigInt(m + l)) + ((p.X + q.X) << BigInt(l)) + (1n << BigInt(m));
    value = finite(sign, units, p.e + q.e - (m + l));
  } else {
    // In units of 2^-m: xm + ym + 2^-l, whose integer part carries into the exponent.
    const t = p.X + q.X + (1n << BigInt(m)) / (1n << BigInt(l));
    const carries = t >> BigInt(m);
    const fraction = t - (carries << BigInt(m));
    value = finite(sign, (1n << BigInt(m)) + fraction, p.e + q.e + Number(carries) - m);
  }
  // §1.5 rule 5: below the smallest normal → ±0; rule 6: beyond the largest finite value → policy.
  if (value.kind === 'finite' && value.sig.toString(2).length - 1 + value.exp < outLayout.emin) {
    return encode(out, finite(sign, 0n, 0), policy).code;
  }
  return encode(out, value, policy).code;
}
