// The group-wise int8 datapath of `quantize` (docs/mx-nvfp4.md#int8-with-an-fp16-group-scale): a group
// of values in, one FP16 scale and int8 codes out. The scale is amax / 127 rounded to FP16 (nearest
// even, saturating at 65504, at least 2^−24); each element is x / scale rounded to an integer and
// clamped to ±127. amax / 127 is a division by a constant (a multiplication by its reciprocal); each
// element's quotient comes from a short restoring division by the scale's 11-bit significand.
import { roundIncrement, roundPack } from '../arith/round.ts';
import { unpackFloat } from '../arith/unpack.ts';
import { signedBits, unsignedBits } from '../arith/widths.ts';
import {
  floatLayout,
  formatByName,
  resolvePolicy,
  type FloatFormat,
  type RoundingMode,
} from '../formats/index.ts';
import type { ModuleBuilder } from '../hdl/module.ts';
import { cat, mux, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';
import { blockAmax, normalized } from './block-amax.ts';

const FP16 = formatByName('fp16') as FloatFormat;
/** FP16's canonical NaN (a group with a NaN or an infinity), its least subnormal 2^−24 (the least scale). */
const SCALE_NAN = 0x7e00;
const SMALLEST_SCALE = 0x0001;
/** Bits of x / scale's quotient: floor(2^9 · X/S) with X/S in (1/2, 2), from 2^0 down to the guard at 2^−1 when x/s < 2^8. */
const QUOTIENT_BITS = 10;

export interface Int8Options {
  input: FloatFormat;
  flush: boolean;
  rounding: string;
  groupSize: number;
  latency: number;
}

/** The int8 quantizer's cut points, by priority: after the scale, after amax, inside each element's division, at the output. */
export const INT8_CUTS = ['scaled', 'amax', 'divide', 'output'] as const;

export function buildInt8(m: ModuleBuilder, o: Int8Options): void {
  const cut = pipelineCuts(m, o.latency, INT8_CUTS);
  const n = o.groupSize;
  const inBits = floatLayout(o.input).bits;
  const M = o.input.mantBits;
  const x = m.input('x', UInt(inBits * n), `${n} ${o.input.name} codes, value 0 lowest`);
  const codes = Array.from({ length: n }, (_, i) => x.slice(inBits * (i + 1) - 1, inBits * i).named(`x${i}`));
  const unpacked = codes.map((code, i) => unpackFloat(code, o.input, `x${i}`, o.flush));
  const values = unpacked.map((u, i) => normalized(u, o.input, o.flush, `x${i}`));
  const amax = blockAmax(codes, unpacked, o.input, o.flush);
  const special = unpacked
    .map((u) => u.isNaN.or(u.isInf))
    .reduce((a, b) => a.or(b))
    .named('group_special');
  cut.at('amax');

  // amax / 127 to 12 significant bits and a sticky bit: N = A_int · 2^K (at least 2^18, so that
  // N / 127 has 12 bits), q = floor(N / 127) = floor(N · c / 2^L) with c = ⌈2^L / 127⌉, exact for
  // N < 2^(L − 7); the remainder N − 127 q tells whether the quotient is exact. 1/127 is 2^−7 + 2^−14
  // + …, so c = 1 + Σ 2^(L − 7j) over j = 1 … ⌊L/7⌋ and N · c is a sum of shifted copies of N.
  const K = Math.max(18 - M, 0);
  const W = M + 1 + K;
  const L = W + 7;
  const shifts = Array.from({ length: Math.floor(L / 7) }, (_, j) => L - 7 * (j + 1));
  if (shifts.reduce((c, k) => c + (1n << BigInt(k)), 1n) !== (1n << BigInt(L)) / 127n + 1n)
    throw new Error('quantize: the reciprocal of 127 is not the sum of its shifted copies');
  const numerator = (K === 0 ? amax.sig : cat(amax.sig, m.constant(0, UInt(K)))).named('scale_numerator');
  const wide = numerator.zext(W + L);
  const product = balancedSum([wide, ...shifts.map((k) => wide.shl(k).resize(W + L))], W + L).named(
    'scale_times_reciprocal',
  );
  const qWidth = W - 6;
  const q = product.slice(L + qWidth - 1, L).named('scale_quotient');
  const rest = numerator
    .zext(W + 1)
    .sub(
      q
        .zext(W + 1)
        .shl(7)
        .resize(W + 1)
        .sub(q.zext(W + 1), { width: W + 1 }),
      { width: W + 1 },
    )
    .named('scale_remainder');
  // q's top bit weighs 2^(a − 6); its leading one is there or one below.
  const top = q.msb();
  const sig = mux(top, q, q.shl(1).resize(qWidth)).named('scale_sig');
  const ew = signedBits(amax.expRange.min - 8, amax.expRange.max);
  const exp = amax.exp
    .resize(ew)
    .sub(mux(top, m.constant(6, SInt(ew)), m.constant(7, SInt(ew))), { width: ew })
    .named('scale_exp_raw');
  const range = { min: floatLayout(FP16).emin - FP16.mantBits - 3, max: 16 };
  const zero = m.constant(0, UInt(1));
  const rounded = roundPack(
    {
      sign: zero,
      exp: clampTo(exp, range, 'scale_exp'),
      sig,
      sticky: rest.orR(),
      isZero: amax.isZero,
      isInf: zero,
      isNaN: zero,
      expRange: range,
    },
    FP16,
    resolvePolicy(FP16, { rounding: 'rne', overflow: 'saturate', subnormals: 'keep' }),
    'sgroup',
  ).code;
  // A scale that rounds to 0 (a zero group too) is raised to 2^−24.
  const scaleCode = mux(rounded.orR(), rounded, m.constant(SMALLEST_SCALE, UInt(16))).named('scale_code');
  cut.at('scaled');

  // Each element: |x| / s = (X / S) · 2^(e − e_s), X/S in (1/2, 2). F = floor(2^9 · X/S) by restoring
  // division; 2|x|/s = F · 2^(d − 8), d = e − e_s: shifted right by 8 − d (1 … 9) it gives the integer
  // and the guard bit; d ≥ 8 clamps to 127, d ≤ −2 rounds to 0.
  const scale = normalized(unpackFloat(scaleCode, FP16, 'scale_in'), FP16, false, 'scale_in');
  const S = scale.sig; // 11 bits
  const dw = signedBits(
    values[0]!.expRange.min - scale.expRange.max,
    values[0]!.expRange.max - scale.expRange.min,
  );
  const elementCodes = values.map((v, i) => {
    const { quotient, sticky } = divide(v.sig, M, S, `e${i}`, () => cut.at('divide'));
    const d = v.exp.resize(dw).sub(scale.exp.resize(dw), { width: dw }).named(`e${i}_d`);
    const shiftBits = unsignedBits(QUOTIENT_BITS);
    // Shift 8 − d, for d in [−1, 7]: 1 … 9.
    const shift = m
      .constant(8, SInt(dw))
      .sub(d, { width: dw })
      .resize(shiftBits + 1)
      .asUnsigned()
      .resize(shiftBits)
      .named(`e${i}_shift`);
    const kept = quotient.shr(shift).named(`e${i}_kept`);
    const mask = cat(...Array.from({ length: QUOTIENT_BITS }, (_, j) => shift.gt(QUOTIENT_BITS - 1 - j)));
    const lost = quotient.and(mask).orR().or(sticky);
    const integer = kept.slice(QUOTIENT_BITS - 1, 1); // below 2^8 (d ≤ 7)
    const up = roundIncrement(o.rounding as RoundingMode, v.sign, integer.bit(0), kept.bit(0), lost).named(
      `e${i}_round_up`,
    );
    const magnitude = integer.zext(9).add(up.zext(9), { width: 9 }).named(`e${i}_rounded`);
    const big = d.gt(7).or(magnitude.slice(8, 7).orR());
    const tiny = d.lt(-1).or(v.isZero);
    // Far below, the shift amount is out of range: 0 first.
    const clamped = mux(
      tiny,
      m.constant(0, UInt(8)),
      mux(big, m.constant(127, UInt(8)), magnitude.resize(8)),
    ).named(`e${i}_clamped`);
    return mux(v.sign, m.constant(0, UInt(8)).sub(clamped, { width: 8 }), clamped).named(`e${i}_code`);
  });
  const elements = mux(special, m.constant(0, UInt(8 * n)), cat(...[...elementCodes].reverse())).named(
    'element_codes',
  );
  const scaleOut = mux(special, m.constant(SCALE_NAN, UInt(16)), scaleCode).named('scale_out');
  cut.at('output');
  m.output('scale', scaleOut, 'FP16 group scale (0x7E00: NaN, for a group with a NaN or an infinity)');
  m.output('elements', elements, `${n} int8 codes (two's complement, ±127), element 0 lowest`);
}

/**
 * floor(2^9 · X / S) for X of xMant + 1 bits (value X_int · 2^−xMant) and S of 11 bits (S_int · 2^−10),
 * both in [1, 2), by restoring division, and whether a remainder is left; `halfway` may cut after half
 * of its steps.
 */
function divide(
  x: Signal,
  xMant: number,
  s: Signal,
  prefix: string,
  halfway: () => void,
): { quotient: Signal; sticky: Signal } {
  const m = x.builder;
  // 2^9 · X/S = X_int · 2^(19 − xMant) / S_int. X_int's bits beyond 2^−19 only make a remainder.
  const shift = 19 - xMant;
  const numerator =
    shift > 0 ? cat(x, m.constant(0, UInt(shift))) : shift === 0 ? x : x.slice(x.width - 1, -shift);
  const dropped = shift >= 0 ? m.constant(0, UInt(1)) : x.slice(-shift - 1, 0).orR();
  const bits = numerator.width;
  const width = s.width + 2;
  const d = s.zext(width);
  // The quotient is below 2^10: the numerator's bits above the last 10 are below S as they stand.
  let r = numerator.slice(bits - 1, QUOTIENT_BITS).zext(width);
  const quotient: Signal[] = [];
  for (let j = 0; j < QUOTIENT_BITS; j++) {
    if (j === QUOTIENT_BITS / 2) halfway();
    const shifted = cat(r.slice(width - 2, 0), numerator.bit(QUOTIENT_BITS - 1 - j));
    const fits = shifted.ge(d);
    quotient.push(fits);
    r = mux(fits, shifted.sub(d, { width }), shifted).named(`${prefix}_rem${j}`);
  }
  return {
    quotient: cat(...quotient).named(`${prefix}_quotient`),
    sticky: r.orR().or(dropped).named(`${prefix}_rem_nonzero`),
  };
}

/** The sum of terms (width bits, no carry out), as a balanced tree of additions. */
function balancedSum(terms: Signal[], width: number): Signal {
  let level = terms;
  while (level.length > 1) {
    const next: Signal[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? level[i]!.add(level[i + 1]!, { width }) : level[i]!);
    level = next;
  }
  return level[0]!;
}

function clampTo(e: Signal, range: { min: number; max: number }, name: string): Signal {
  const m = e.builder;
  const type = SInt(signedBits(range.min, range.max));
  return mux(
    e.lt(range.min),
    m.constant(range.min, type),
    mux(e.gt(range.max), m.constant(range.max, type), e.resize(type.width)),
  ).named(name);
}
