// Golden model of the format converter, from the arithmetic: a float source is decoded to its exact
// value (a subnormal read as zero of its sign under denormals-are-zero), an integer source is its
// exact value; a float result is that value encoded once with the format library's encoder under the
// policy; an integer result is the value rounded to an integer by the rounding mode (exact BigInt
// arithmetic), saturated to the range, NaN to 0 or the minimum. Shares no code with the datapath.
import {
  classify,
  decode,
  encode,
  finite,
  formatByName,
  testFloatFlagByte,
  zero,
  type ExactValue,
  type Policy,
} from '../../generators/formats/index.ts';

export interface FpConvertSpec {
  /** A float format name, or 'int' / 'uint' of inWidth bits. */
  inFormat: string;
  inWidth: number;
  outFormat: string;
  outWidth: number;
  policy: Policy;
  inputSubnormals: 'keep' | 'flush';
  nanToInt: 'zero' | 'min';
}

const isInt = (format: string) => format === 'int' || format === 'uint';

/** The exact value of a source code. */
function source(spec: FpConvertSpec, code: bigint): ExactValue {
  if (isInt(spec.inFormat)) {
    const n =
      spec.inFormat === 'int' ? BigInt.asIntN(spec.inWidth, code) : BigInt.asUintN(spec.inWidth, code);
    return n < 0n ? finite(1, -n, 0) : finite(0, n, 0);
  }
  const format = formatByName(spec.inFormat);
  const value = decode(format, Number(code));
  return spec.inputSubnormals === 'flush' && classify(format, Number(code)) === 'subnormal'
    ? zero(value.sign)
    : value;
}

export function fpConvertGolden(spec: FpConvertSpec, code: bigint): { code: bigint; flags: number } {
  const x = source(spec, code);
  if (!isInt(spec.outFormat)) {
    const r = encode(formatByName(spec.outFormat), x, spec.policy);
    return { code: BigInt(r.code), flags: testFloatFlagByte(r.flags) };
  }
  return toInt(spec, x);
}

const INVALID = 0x10;
const INEXACT = 0x01;

/** Round to an integer by the rounding mode, then saturate (IEEE 754-2019 §5.8: invalid beyond the range). */
function toInt(spec: FpConvertSpec, x: ExactValue): { code: bigint; flags: number } {
  const n = spec.outWidth;
  const signed = spec.outFormat === 'int';
  const min = signed ? -(1n << BigInt(n - 1)) : 0n;
  const max = signed ? (1n << BigInt(n - 1)) - 1n : (1n << BigInt(n)) - 1n;
  const codeOf = (v: bigint) => BigInt.asUintN(n, v);
  if (x.kind === 'nan') return { code: codeOf(spec.nanToInt === 'min' ? min : 0n), flags: INVALID };
  if (x.kind === 'inf') return { code: codeOf(x.sign ? min : max), flags: INVALID };
  // |x| = sig · 2^exp = q + r / 2^k with 0 ≤ r < 2^k.
  let q: bigint;
  let r = 0n;
  let k = 0n;
  if (x.exp >= 0) q = x.sig << BigInt(x.exp);
  else {
    k = BigInt(-x.exp);
    q = x.sig >> k;
    r = x.sig - (q << k);
  }
  const half = k === 0n ? 0n : 1n << (k - 1n);
  const above = r > half;
  const tie = r !== 0n && r === half;
  const up = ((): boolean => {
    if (r === 0n) return false;
    switch (spec.policy.rounding ?? 'rne') {
      case 'rne':
        return above || (tie && (q & 1n) === 1n);
      case 'rna':
        return above || tie;
      case 'rnz':
        return above;
      case 'rnd':
        return above || (tie && x.sign === 1);
      case 'rtz':
        return false;
      case 'rup':
        return x.sign === 0;
      case 'rdown':
        return x.sign === 1;
    }
  })();
  const magnitude = q + (up ? 1n : 0n);
  const value = x.sign ? -magnitude : magnitude;
  if (value > max) return { code: codeOf(max), flags: INVALID };
  if (value < min) return { code: codeOf(min), flags: INVALID };
  return { code: codeOf(value), flags: r !== 0n ? INEXACT : 0 };
}
