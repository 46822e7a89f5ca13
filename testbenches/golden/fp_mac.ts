// Golden model of the float MAC, from the arithmetic: a float accumulator takes one fused
// multiply-add per step, acc ← round(acc + a·b) (or round(a·b) on clear), optionally into L
// partial sums taken round-robin and combined in index order, every addition rounded; a Kulisch accumulator
// sums the exact products as integers of its LSB weight (wrapping past its width, docs/kulisch.md#width) and is
// rounded once when read; in an msb/lsb window each product is first truncated toward zero at 2^lsb,
// and one of magnitude 2^msb or more is left out and flagged; without an accumulator each step is
// round(a·b + c). Uses the formats library's exact arithmetic only.
import {
  add,
  decode,
  encode,
  exactFma,
  exactMul,
  finite,
  fma,
  formatByName,
  inf,
  mul,
  nan,
  testFloatFlagByte,
  type ExactValue,
  type FloatFormat,
  type Policy,
} from '../../generators/formats/index.ts';
import { variantIs, variantPolicy } from './variant.ts';
import { lmulGolden, type LmulSpec } from './lmul.ts';

export interface FpMacSpec {
  aFormat: string;
  bFormat: string;
  accFormat: string;
  accumulator: 'float' | 'kulisch' | 'none';
  /** Kulisch: accumulator width and LSB exponent (docs/kulisch.md#width); `window`: truncate at the LSB, leave out what reaches the top. */
  kulisch?: { width: number; lsbExp: number; window?: boolean };
  /** L-Mul products (docs/lmul.md) instead of exact ones. */
  lmul?: { m: number };
  /** Float accumulator: this many partial sums, used round-robin and combined in index order (default 1). */
  partialSums?: number;
  policy: Policy;
}

export interface MacStep {
  a: number;
  b: number;
  clear: boolean;
  /** FMA-style units: the addend replaces the accumulator when given. */
  c?: number;
}

export interface MacResult {
  code: number;
  flags: number;
  /** Windowed Kulisch: a product too large for the window was left out since the last clear. */
  overflow?: boolean;
}

/** The exact product a·b, or the L-Mul product read back as a value. */
function product(spec: FpMacSpec, a: number, b: number): ExactValue {
  if (spec.lmul === undefined) return mulExact(spec, a, b);
  const lspec: LmulSpec = {
    format: spec.aFormat,
    outFormat: spec.aFormat,
    m: spec.lmul.m,
    variant: 'integer-add',
    operandRounding: 'rne',
    overflow: 'saturate',
  };
  return decode(formatByName(spec.aFormat), lmulGolden(lspec, a, b));
}

function mulExact(spec: FpMacSpec, a: number, b: number): ExactValue {
  const x = decode(formatByName(spec.aFormat), a);
  const y = decode(formatByName(spec.bFormat), b);
  if (x.kind === 'nan' || y.kind === 'nan') return nan(0);
  const sign = (x.sign ^ y.sign) as 0 | 1;
  const zero = (v: ExactValue) => v.kind === 'finite' && v.sig === 0n;
  if (x.kind === 'inf' || y.kind === 'inf') return zero(x) || zero(y) ? nan(0) : inf(sign);
  return finite(
    sign,
    (x as { sig: bigint }).sig * (y as { sig: bigint }).sig,
    (x as { exp: number }).exp + (y as { exp: number }).exp,
  );
}

export function fpMacGolden(spec: FpMacSpec, steps: readonly MacStep[]): MacResult[] {
  return spec.accumulator === 'kulisch' ? kulischSteps(spec, steps) : floatSteps(spec, steps);
}

/**
 * Per-step rounding into L partial sums (docs/fp_mac.md#interleaved-partial-sums): the n-th step since a clear is the fused
 * step of sum n mod L — round(a·b) while n < L (the sum starts there), round(s + a·b) after — and
 * the result of a step is ((s0 + s1) + s2) + … over the sums started so far, every addition
 * rounded. After reset every sum is +0 and started. With an addend c the step adds to c instead.
 */
function floatSteps(spec: FpMacSpec, steps: readonly MacStep[]): MacResult[] {
  const accFormat = formatByName(spec.accFormat);
  const L = spec.partialSums ?? 1;
  const policy = variantPolicy(spec.policy);
  // Mutation 'fp_mac.final-rounding': each sum kept exact, rounded only where it is output.
  const exact = variantIs('fp_mac.final-rounding');
  const exactSums: ExactValue[] = Array.from({ length: L }, () => finite(0, 0n, 0));
  const sums: number[] = Array.from({ length: L }, () => 0);
  // Steps since the clear (after reset: as if L steps had started every sum at +0).
  let n = L;
  return steps.map((s) => {
    if (s.clear) n = 0;
    const slot = n % L;
    const fresh = n < L && s.c === undefined;
    let result;
    if (spec.lmul === undefined) {
      const a = decode(formatByName(spec.aFormat), s.a);
      const b = decode(formatByName(spec.bFormat), s.b);
      const addend = exact && s.c === undefined ? exactSums[slot]! : decode(accFormat, s.c ?? sums[slot]!);
      if (exact) {
        exactSums[slot] = fresh ? exactMul(a, b).value : exactFma(a, b, addend).value;
        result = encode(accFormat, exactSums[slot]!, policy);
      } else if (variantIs('fp_mac.unfused'))
        // Mutation 'fp_mac.unfused': the product rounded to the accumulator format, then added.
        result = fresh
          ? mul(accFormat, a, b, policy)
          : add(accFormat, decode(accFormat, mul(accFormat, a, b, policy).code), addend, policy);
      else result = fresh ? mul(accFormat, a, b, policy) : fma(accFormat, a, b, addend, policy);
    } else {
      const p = product(spec, s.a, s.b);
      result = fresh
        ? encode(accFormat, p, policy)
        : add(accFormat, p, decode(accFormat, s.c ?? sums[slot]!), policy);
    }
    sums[slot] = result.code;
    n += 1;
    if (L === 1) return { code: result.code, flags: testFloatFlagByte(result.flags) };
    // Mutation 'fp_mac.partial-order': the partial sums combined from the last one down.
    const order = Array.from({ length: Math.min(n, L) }, (_, j) => j);
    if (variantIs('fp_mac.partial-order')) order.reverse();
    let total = sums[order[0]!]!;
    for (const j of order.slice(1))
      total = add(accFormat, decode(accFormat, total), decode(accFormat, sums[j]!), policy).code;
    return { code: total, flags: 0 };
  });
}

function kulischSteps(spec: FpMacSpec, steps: readonly MacStep[]): MacResult[] {
  const { width, lsbExp, window = false } = spec.kulisch!;
  const msb = lsbExp + width - 1;
  const out = formatByName(spec.accFormat) as FloatFormat;
  const modulus = 1n << BigInt(width);
  let sum = 0n;
  let isNaN = false;
  let posInf = false;
  let negInf = false;
  let overflow = false;
  return steps.map((s) => {
    if (s.clear) [sum, isNaN, posInf, negInf, overflow] = [0n, false, false, false, false];
    const p = product(spec, s.a, s.b);
    if (p.kind === 'nan') isNaN = true;
    else if (p.kind === 'inf') p.sign ? (negInf = true) : (posInf = true);
    else if (window && p.sig !== 0n && p.sig.toString(2).length + p.exp - 1 >= msb) overflow = true;
    else {
      // A multiple of 2^lsbExp (exactly so without a window); the register wraps at its width.
      const shift = p.exp - lsbExp;
      const units = shift >= 0 ? p.sig << BigInt(shift) : p.sig >> BigInt(-shift);
      // Mutation 'fp_mac.kulisch-no-wrap': the register holds any sum (no wrap at its width).
      sum = variantIs('fp_mac.kulisch-no-wrap')
        ? sum + (p.sign ? -units : units)
        : BigInt.asIntN(width, sum + (p.sign ? -units : units) + modulus);
    }
    let value: ExactValue;
    if (isNaN || (posInf && negInf)) value = nan(0);
    else if (posInf || negInf) value = inf(negInf ? 1 : 0);
    else value = sum === 0n ? finite(0, 0n, 0) : finite(sum < 0n ? 1 : 0, sum < 0n ? -sum : sum, lsbExp);
    const result = encode(out, value, variantPolicy(spec.policy));
    return { code: result.code, flags: testFloatFlagByte(result.flags), ...(window ? { overflow } : {}) };
  });
}
