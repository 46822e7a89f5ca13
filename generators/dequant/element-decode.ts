// Element decoders: a code (and, per group, a zero point or a codebook selector) becomes an exact,
// normalized float — sign, exponent of the top significand bit, significand with its top bit set —
// ready to be scaled. Floats are unpacked and normalized, integers go through a leading-zero count,
// codebooks are a small table of constants. All of it depends on a few code bits only, so synthesis
// turns each output bit into a handful of LUTs.

import { normalize } from '../arith/normalize.ts';
import type { NormalizedFloat, RawFloat } from '../arith/raw-float.ts';
import { unpackFloat } from '../arith/unpack.ts';
import { signedBits, unsignedBits } from '../arith/widths.ts';
import {
  decode,
  floatLayout,
  intRange,
  type CodebookFormat,
  type ExactValue,
  type FloatFormat,
  type Format,
  type IntFormat,
} from '../formats/index.ts';
import { HdlError } from '../hdl/errors.ts';
import type { ModuleBuilder } from '../hdl/module.ts';
import { mux, select, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';

/** A value decoded from a code: exact, normalized (sig's top bit set unless zero, NaN or Inf). */
export type DecodedValue = NormalizedFloat;

function bit(m: ModuleBuilder, value: boolean | number): Signal {
  return m.constant(value ? 1 : 0, UInt(1));
}

/** Two's complement magnitude: sign and |d| in `bits` unsigned bits. */
function signMagnitude(d: Signal, bits: number): { sign: Signal; mag: Signal } {
  const m = d.builder;
  const sign = d.msb();
  const negated = m.constant(0, d.type).sub(d, { width: d.width });
  const mag = mux(sign, negated, d)
    .asUnsigned()
    .slice(bits - 1, 0);
  return { sign, mag };
}

/** Any scalar float or integer code, decoded and normalized. */
export function decodeScalar(code: Signal, format: Format, prefix: string, cut?: () => void): DecodedValue {
  switch (format.kind) {
    case 'float':
      return decodeFloat(code, format, prefix, cut);
    case 'int':
      return decodeInt(code, format, prefix, cut);
    case 'codebook': {
      const value = decodeTable(code, codebookEntries(code.builder, [format]), prefix);
      cut?.();
      return value;
    }
  }
}

/** `cut` (if given) is called once: between a subnormal's leading-zero count and its shift, else at the end. */
function decodeFloat(code: Signal, format: FloatFormat, prefix: string, cut?: () => void): DecodedValue {
  const u = unpackFloat(code, format, prefix);
  const raw: RawFloat = {
    sign: u.sign,
    exp: u.exp,
    sig: u.sig,
    isZero: u.isZero,
    isInf: u.isInf,
    isNaN: u.isNaN,
    maxLeadingZeros: format.subnormals ? u.sig.width : 0,
  };
  let counted = false;
  const value = normalize(raw, `${prefix}_norm`, () => {
    counted = true;
    cut?.();
  });
  value.isZero.named(`${prefix}_norm_is_zero`);
  if (!counted) cut?.();
  return value;
}

/** `cut` (if given) is called once: between the magnitude's leading-zero count and its shift, else at the end. */
function decodeInt(code: Signal, format: IntFormat, prefix: string, cut?: () => void): DecodedValue {
  const m = code.builder;
  const n = format.bits;
  const { sign, mag } = format.signed ? signMagnitude(code.asSigned(), n) : { sign: bit(m, 0), mag: code };
  const top = n - 1 - format.fracBits;
  let counted = false;
  const value = normalize(
    {
      sign,
      exp: m.constant(top, SInt(signedBits(top, top))),
      sig: mag.named(`${prefix}_mag`),
      isZero: code.eq(0),
      isInf: bit(m, 0),
      isNaN: bit(m, 0),
      maxLeadingZeros: n,
    },
    `${prefix}_norm`,
    cut === undefined
      ? undefined
      : () => {
          counted = true;
          cut();
        },
  );
  if (!counted) cut?.();
  return value;
}

/**
 * q − z for an integer code and an integer zero point, exactly (a few bits of signed difference).
 * An exact zero difference has the sign IEEE gives x − x: + (or − when rounding toward −∞).
 * `cut` (if given) is called once, after the difference (its magnitude and normalization follow: a
 * function of the difference's few bits alone).
 */
export function decodeIntMinusInt(
  code: Signal,
  format: IntFormat,
  zero: Signal,
  zeroFormat: IntFormat,
  zeroSign: 0 | 1,
  prefix: string,
  cut?: () => void,
): DecodedValue {
  const m = code.builder;
  const q = intRange(format);
  const z = intRange(zeroFormat);
  const [low, high] = [q.min - z.max, q.max - z.min];
  const width = signedBits(low, high);
  const asSigned = (x: Signal, signed: boolean) => (signed ? x.asSigned() : x.zext(x.width + 1).asSigned());
  const d = asSigned(code, format.signed)
    .resize(width)
    .sub(asSigned(zero, zeroFormat.signed).resize(width), { width })
    .named(`${prefix}_diff`);
  cut?.();
  const magBits = unsignedBits(Math.max(-low, high));
  const { sign, mag } = signMagnitude(d, Math.min(magBits, width));
  const isZero = d.eq(0);
  return normalize(
    {
      sign: mux(isZero, bit(m, zeroSign), sign),
      exp: m.constant(mag.width - 1, SInt(signedBits(0, mag.width))),
      sig: mag.named(`${prefix}_mag`),
      isZero,
      isInf: bit(m, 0),
      isNaN: bit(m, 0),
      maxLeadingZeros: mag.width,
    },
    `${prefix}_norm`,
  );
}

/** A float zero point as a fixed-point two's complement number, shared by every lane of a word. */
export interface FixedZero {
  /** Value = fixed · 2^lsbExp (finite zero points). */
  fixed: Signal;
  lsbExp: number;
  isNaN: Signal;
  isInf: Signal;
  sign: Signal;
  /** A zero point of −0 (q − (−0) is +0 even where x − x gives −0). */
  isNegativeZero: Signal;
}

export function fixedZeroPoint(zero: Signal, format: FloatFormat, prefix: string): FixedZero {
  const layout = floatLayout(format);
  const u = unpackFloat(zero, format, prefix);
  const m = zero.builder;
  const maxExp = layout.expFieldMax - format.bias;
  // u.exp − emin ∈ [0, maxExp − emin]: the shift of the significand above the subnormal quantum.
  const shiftBits = unsignedBits(maxExp - layout.emin);
  const shift = u.exp
    .sub(m.constant(layout.emin, SInt(u.exp.width)), { width: u.exp.width + 1 })
    .asUnsigned()
    .slice(shiftBits - 1, 0)
    .named(`${prefix}_shift`);
  const width = u.sig.width + (maxExp - layout.emin);
  const magnitude = u.sig.zext(width).shl(shift).named(`${prefix}_fixed_mag`);
  const signed = magnitude.zext(width + 1).asSigned();
  const fixed = mux(u.sign, m.constant(0, SInt(width + 1)).sub(signed, { width: width + 1 }), signed).named(
    `${prefix}_fixed`,
  );
  return {
    fixed,
    lsbExp: layout.emin - format.mantBits,
    isNaN: u.isNaN,
    isInf: u.isInf,
    sign: u.sign,
    isNegativeZero: u.isZero.and(u.sign),
  };
}

/** q − z for an integer code and a float zero point, exactly, in fixed point. */
export function decodeIntMinusFixed(
  code: Signal,
  format: IntFormat,
  zero: FixedZero,
  zeroSign: 0 | 1,
  prefix: string,
): DecodedValue {
  const m = code.builder;
  if (format.fracBits !== 0) throw new HdlError(`${format.name}: a zero point needs a plain integer format`);
  const shift = -zero.lsbExp;
  const q = format.signed ? code.asSigned() : code.zext(code.width + 1).asSigned();
  const width = Math.max(q.width + shift, zero.fixed.width) + 1;
  const qFixed = q.resize(width).shl(shift);
  const d = qFixed.sub(zero.fixed.resize(width), { width }).named(`${prefix}_diff`);
  const { sign, mag } = signMagnitude(d, width - 1);
  const isZero = d.eq(0);
  // (+0) − (−0) = +0; any other exact zero takes the rounding direction's sign.
  const zeroResultSign = mux(code.eq(0).and(zero.isNegativeZero), bit(m, 0), bit(m, zeroSign));
  const topExp = mag.width - 1 + zero.lsbExp;
  return normalize(
    {
      sign: mux(zero.isInf, zero.sign.not(), mux(isZero, zeroResultSign, sign)),
      exp: m.constant(topExp, SInt(signedBits(topExp, topExp))),
      sig: mag.named(`${prefix}_mag`),
      isZero: isZero.and(zero.isNaN.or(zero.isInf).not()),
      isInf: zero.isInf,
      isNaN: zero.isNaN,
      maxLeadingZeros: mag.width,
    },
    `${prefix}_norm`,
  );
}

/** One entry of a decode table: constant fields, or fields that vary per group (shared signals). */
interface TableEntry {
  sign: Signal;
  exp: Signal;
  sig: Signal;
  isZero: Signal;
  isNaN: Signal;
}

interface ConstantEntry {
  sign: number;
  exp: number;
  sig: bigint;
  isZero: boolean;
  isNaN: boolean;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Exact values as normalized constants of a common significand width. */
function constantEntries(values: readonly ExactValue[]): { entries: ConstantEntry[]; width: number } {
  const width = Math.max(1, ...values.map((v) => (v.kind === 'finite' ? bitLength(v.sig) : 0)));
  const entries = values.map((v): ConstantEntry => {
    if (v.kind === 'inf') throw new HdlError('codebook values must be finite');
    if (v.kind === 'nan') return { sign: 0, exp: 0, sig: 0n, isZero: false, isNaN: true };
    if (v.sig === 0n) return { sign: v.sign, exp: 0, sig: 0n, isZero: true, isNaN: false };
    const length = bitLength(v.sig);
    return {
      sign: v.sign,
      exp: v.exp + length - 1,
      sig: v.sig << BigInt(width - length),
      isZero: false,
      isNaN: false,
    };
  });
  return { entries, width };
}

/**
 * The decode table of one codebook, or of several chosen per group by `selector`: a code whose value
 * is the same in every candidate is a constant; one whose value differs (RaZeR's special-value code)
 * is picked once per word from the selector and shared by every lane.
 */
export function codebookEntries(
  m: ModuleBuilder,
  candidates: readonly CodebookFormat[],
  selector?: Signal,
  prefix = 'cb',
): TableEntry[] {
  const codes = 2 ** candidates[0]!.bits;
  const all = candidates.flatMap((f) => Array.from({ length: codes }, (_, c) => decode(f, c)));
  const { entries, width } = constantEntries(all);
  const exps = entries.filter((e) => !e.isZero && !e.isNaN).map((e) => e.exp);
  const expWidth = signedBits(Math.min(0, ...exps), Math.max(0, ...exps));
  const constant = (e: ConstantEntry): TableEntry => ({
    sign: m.constant(e.sign, UInt(1)),
    exp: m.constant(e.exp, SInt(expWidth)),
    sig: m.constant(e.sig, UInt(width)),
    isZero: m.constant(e.isZero ? 1 : 0, UInt(1)),
    isNaN: m.constant(e.isNaN ? 1 : 0, UInt(1)),
  });
  return Array.from({ length: codes }, (_, c) => {
    const perCandidate = candidates.map((_, k) => entries[k * codes + c]!);
    const first = perCandidate[0]!;
    const same = perCandidate.every(
      (e) =>
        e.sign === first.sign &&
        e.exp === first.exp &&
        e.sig === first.sig &&
        e.isZero === first.isZero &&
        e.isNaN === first.isNaN,
    );
    if (same || selector === undefined) return constant(first);
    const options = perCandidate.map(constant);
    const pick = (field: keyof TableEntry, name: string) =>
      select(
        selector,
        options.map((o) => o[field]),
      ).named(`${prefix}_code${c}_${name}`);
    return {
      sign: pick('sign', 'sign'),
      exp: pick('exp', 'exp'),
      sig: pick('sig', 'sig'),
      isZero: pick('isZero', 'is_zero'),
      isNaN: pick('isNaN', 'is_nan'),
    };
  });
}

/** Look a code up in a decode table. */
export function decodeTable(code: Signal, table: readonly TableEntry[], prefix: string): DecodedValue {
  const m = code.builder;
  const pick = (field: keyof TableEntry, name: string) =>
    select(
      code,
      table.map((e) => e[field]),
    ).named(`${prefix}_${name}`);
  return {
    sign: pick('sign', 'sign'),
    exp: pick('exp', 'exp'),
    sig: pick('sig', 'sig'),
    isZero: pick('isZero', 'is_zero'),
    isNaN: pick('isNaN', 'is_nan'),
    isInf: bit(m, 0),
  };
}
