// Power-of-two scales (E8M0, docs/mx-nvfp4.md#e8m0-scale) change only the exponent, so for elements with a
// few distinct exponents (E2M1: 2^-1..2^2; INT4: 2^0..2^3) every lane's outcome is decided once per word:
//   per word, for each element exponent t: the output field F_t = t + X − 127 + bias, and a case —
//     normal (the element's significand fits, nothing rounds), subnormal shift 1..M+2, overflow, NaN;
//   per lane: the code's sign, exponent index, significand bits and zero flag (a ROM of the code), the
//     field and case of its exponent (a 4:1 select), and the mantissa from a ROM of (case, significand,
//     zero[, sign]) that holds roundPack's result for each case.
// No lane adds, compares or shifts: each output bit is one or two LUT levels.

import type { NormalizedFloat } from '../arith/raw-float.ts';
import { roundPack } from '../arith/round.ts';
import { atMostConstant } from '../arith/compare-constant.ts';
import { signedBits, unsignedBits } from '../arith/widths.ts';
import { floatLayout, type FloatFormat, type ResolvedPolicy } from '../formats/index.ts';
import { Evaluator } from '../hdl/evaluate.ts';
import type { ModuleBuilder } from '../hdl/module.ts';
import { ModuleBuilder as Builder } from '../hdl/module.ts';
import { cat, mux, select, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import type { DecodedValue } from './element-decode.ts';
import { lookup, romModule, tabulate, TABULATE_MAX_BITS, type Rom } from '../hdl/tabulate.ts';
import { laneGroupSize } from './lane-slots.ts';
import { laneStage, type Fields } from './stage-modules.ts';

/** Per code of the element: what the decoder makes of it. */
interface CodeInfo {
  sign: number;
  exp: number;
  /** Significand bits below the leading one. */
  fraction: bigint;
  isZero: boolean;
}

export interface SharedExponentPlan {
  /** Distinct exponents of the nonzero codes, ascending. */
  exps: number[];
  /** Element significand width (leading one included). */
  width: number;
  caseBits: number;
  /** The rounding depends on the sign (directed modes): the sign is a ROM index bit. */
  signed: boolean;
  codes: CodeInfo[];
}

/** Exponents per word: at most this many (a 4:1 select per lane). */
const MAX_EXPONENTS = 4;

/**
 * Whether the shared-exponent structure applies: `decode` is the element decoder (evaluated here for
 * every code), the element has no NaN or Inf, few exponents and a significand no wider than the output's.
 */
export function sharedExponentPlan(
  bits: number,
  decode: (code: Signal) => DecodedValue,
  out: FloatFormat,
  policy: ResolvedPolicy,
): SharedExponentPlan | undefined {
  const scratch = new Builder('element_scratch', { generator: 'tabulate', params: {} });
  const v = decode(scratch.input('code', UInt(bits)));
  scratch.output('sign', v.sign);
  scratch.output('exp', v.exp);
  scratch.output('sig', v.sig);
  scratch.output('zero', v.isZero);
  scratch.output('special', v.isNaN.or(v.isInf));
  const ev = new Evaluator(scratch.build());
  const width = v.sig.width;
  const codes: CodeInfo[] = [];
  for (let c = 0; c < 2 ** bits; c++) {
    ev.set('code', c);
    if (ev.get('special') === 1n) return undefined;
    const isZero = ev.get('zero') === 1n;
    codes.push({
      sign: Number(ev.get('sign')),
      exp: isZero ? 0 : Number(ev.getValue('exp')),
      fraction: ev.get('sig') & ((1n << BigInt(width - 1)) - 1n),
      isZero,
    });
  }
  const exps = [...new Set(codes.filter((c) => !c.isZero).map((c) => c.exp))].sort((a, b) => a - b);
  if (exps.length === 0 || exps.length > MAX_EXPONENTS || width > out.mantBits + 1) return undefined;
  const caseBits = unsignedBits(out.mantBits + 4);
  const signed = !['rne', 'rna', 'rnz', 'rtz'].includes(policy.rounding);
  if (caseBits + width - 1 + 1 + (signed ? 1 : 0) > TABULATE_MAX_BITS) return undefined;
  return { exps, width, caseBits, signed, codes };
}

/** Case codes: 0 normal, 1..M+2 subnormal shift, M+3 overflow, M+4 NaN. */
function caseCodes(out: FloatFormat) {
  return { normal: 0, maxShift: out.mantBits + 2, overflow: out.mantBits + 3, nan: out.mantBits + 4 };
}

/** The ROM of the element codes: sign, exponent index, fraction, zero. */
function elementRom(plan: SharedExponentPlan, bits: number): Rom {
  const indexBits = Math.max(1, unsignedBits(plan.exps.length - 1));
  return tabulate(bits, (code) => {
    const m = code.builder;
    const pick = (f: (c: CodeInfo) => bigint | number, width: number) =>
      select(
        code,
        plan.codes.map((c) => m.constant(f(c), UInt(width))),
      );
    return {
      sign: pick((c) => c.sign, 1),
      exp_index: pick((c) => (c.isZero ? 0 : plan.exps.indexOf(c.exp)), indexBits),
      fraction: pick((c) => c.fraction, Math.max(1, plan.width - 1)),
      zero: pick((c) => (c.isZero ? 1 : 0), 1),
    };
  });
}

/**
 * The ROM of the output magnitude for (case, fraction, zero[, sign]): roundPack of the value each case
 * stands for. For the normal case it gives the mantissa only (the field comes from the word's table).
 */
function outcomeRom(plan: SharedExponentPlan, out: FloatFormat, policy: ResolvedPolicy): Rom {
  const cases = caseCodes(out);
  const layout = floatLayout(out);
  const fractionBits = Math.max(1, plan.width - 1);
  const indexBits = plan.caseBits + fractionBits + 1 + (plan.signed ? 1 : 0);
  return tabulate(indexBits, (index) => {
    const m = index.builder;
    let at = 0;
    const field = (width: number) => {
      const f = index.slice(at + width - 1, at);
      at += width;
      return f;
    };
    const sign = plan.signed ? field(1) : m.constant(0, UInt(1));
    const zero = field(1);
    const fraction = field(fractionBits);
    const kase = field(plan.caseBits);
    const expWidth = signedBits(layout.emin - cases.maxShift - 1, layout.expFieldMax);
    const exp = mux(
      kase.eq(cases.normal),
      m.constant(layout.emin, SInt(expWidth)),
      mux(
        kase.ge(cases.overflow),
        m.constant(layout.expFieldMax - out.bias, SInt(expWidth)),
        m.constant(layout.emin, SInt(expWidth)).sub(kase.zext(expWidth).asSigned(), { width: expWidth }),
      ),
    );
    const isNaN = kase.eq(cases.nan);
    const value: NormalizedFloat = {
      sign,
      exp,
      sig: plan.width === 1 ? m.constant(1, UInt(1)) : cat(m.constant(1, UInt(1)), fraction),
      isZero: zero.and(isNaN.not()),
      isInf: m.constant(0, UInt(1)),
      isNaN,
    };
    const code = roundPack(value, out, policy, 'rom').code;
    const E = out.expBits;
    const M = out.mantBits;
    const normal = kase.eq(cases.normal).and(zero.not());
    const magnitude = {
      field: mux(normal, m.constant(0, UInt(E)), code.slice(E + M - 1, M)),
      mant: code.slice(M - 1, 0),
    };
    // Directed rounding: the ROM gives the sign too. Otherwise a NaN result keeps its canonical sign
    // and any other takes the lane's.
    return plan.signed ? { ...magnitude, sign: code.msb() } : { ...magnitude, keep_sign: isNaN.not() };
  });
}

/**
 * How the scale's code decodes (evaluated for every code, like the element's): its exponent is the code
 * minus `offset`, except the `nanCodes`; no sign, zero or Inf. An E8M0 scale: offset 127, NaN 0xFF.
 */
export interface ScaleCodes {
  offset: number;
  nanCodes: number[];
}

export function scaleCodes(bits: number, decode: (code: Signal) => DecodedValue): ScaleCodes | undefined {
  const scratch = new Builder('scale_scratch', { generator: 'tabulate', params: {} });
  const v = decode(scratch.input('code', UInt(bits)));
  scratch.output('exp', v.exp);
  scratch.output('nan', v.isNaN);
  scratch.output('other', v.sign.or(v.isZero).or(v.isInf));
  scratch.output('sig', v.sig.width === 1 ? scratch.constant(1, UInt(1)) : v.sig);
  const ev = new Evaluator(scratch.build());
  const nanCodes: number[] = [];
  let offset: number | undefined;
  for (let c = 0; c < 2 ** bits; c++) {
    ev.set('code', c);
    if (ev.get('nan') === 1n) {
      nanCodes.push(c);
      continue;
    }
    if (ev.get('other') === 1n || ev.get('sig') !== 1n << BigInt(v.sig.width - 1)) return undefined;
    const o = c - Number(ev.getValue('exp'));
    if (offset !== undefined && o !== offset) return undefined;
    offset = o;
  }
  return offset === undefined ? undefined : { offset, nanCodes };
}

/**
 * Build the lanes: `codes` says where the lanes' element codes are, `scale` the raw power-of-two scale
 * code and how it decodes (`scaleCodes`). Returns the output codes of the lane groups, lowest lanes
 * first. `cut` places the pipeline cuts: `after` between the per-word table and the lanes, `lane`
 * inside each lane (between the selection of its exponent's field and case and the mantissa ROM).
 */
export function sharedExponentLanes(
  m: ModuleBuilder,
  plan: SharedExponentPlan,
  bits: number,
  /** The packed word and each lane's slot (the codes are sliced inside the lane groups). */
  codes: { word: Signal; slots: readonly number[]; slotBits: number },
  scale: { code: Signal; codes: ScaleCodes },
  out: FloatFormat,
  policy: ResolvedPolicy,
  cut: { after(): void; lane: boolean; enable: boolean },
): Signal[] {
  const layout = floatLayout(out);
  const cases = caseCodes(out);
  const elementTable = romModule(elementRom(plan, bits), `${m.name}_elem_rom`, 'dequant');
  const outcomeTable = romModule(outcomeRom(plan, out, policy), `${m.name}_out_rom`, 'dequant');

  // Per word: each exponent's field and case, from the scale code X alone. The field is
  // F = X − offset + t + bias: one addition of a constant (only its low E bits are kept), beside
  // comparisons of X with constants in LUTs; the subnormal shift 1 − F needs only its low bits.
  const X = scale.code;
  const isNaN = scale.codes.nanCodes
    .map((c) => X.eq(c))
    .reduce<Signal>((a, b) => a.or(b), m.constant(0, UInt(1)))
    .named('scale_is_nan');
  const atLeast = (c: number) => atMostConstant(X, c - 1).not();
  const perExponent = plan.exps.map((t, i) => {
    const c = t + out.bias - scale.codes.offset; // F = X + c
    const normal = atLeast(1 - c).and(atMostConstant(X, layout.expFieldMax - 1 - c));
    const overflow = atLeast(layout.expFieldMax - c);
    const deep = atMostConstant(X, 1 - cases.maxShift - c);
    const mod = (v: number, w: number) => ((v % 2 ** w) + 2 ** w) % 2 ** w;
    const shift = m
      .constant(mod(1 - c, plan.caseBits), UInt(plan.caseBits))
      .sub(X.resize(plan.caseBits), { width: plan.caseBits });
    const subCase = mux(deep, m.constant(cases.maxShift, UInt(plan.caseBits)), shift);
    const kase = mux(
      isNaN,
      m.constant(cases.nan, UInt(plan.caseBits)),
      mux(
        overflow,
        m.constant(cases.overflow, UInt(plan.caseBits)),
        mux(normal, m.constant(cases.normal, UInt(plan.caseBits)), subCase),
      ),
    ).named(`t${i}_case`);
    const E = out.expBits;
    const F = X.resize(E).add(mod(c, E), { width: E }).named(`t${i}_field_raw`);
    const field = mux(normal.and(isNaN.not()), F, m.constant(0, UInt(E))).named(`t${i}_field`);
    return { kase, field };
  });
  cut.after();

  // Per lane (one module): the exponent's field and case, the mantissa ROM, the sign.
  const shared: Fields = Object.fromEntries(
    perExponent.flatMap((x, i) => [
      [`t${i}_field`, x.field],
      [`t${i}_case`, x.kase],
    ]),
  );
  // Before the lane cut: the code's ROM and its exponent's field (zero for a zero code) and case.
  const select4 = (x: Fields, code: Signal, j: number) => {
    const e = lookup(code.builder, elementTable, code, `elem${j}`);
    const index = e.exp_index!;
    const zero = e.zero!;
    const field = select(
      index,
      perExponent.map((_, i) => x[`t${i}_field`]!),
    )
      .and(cat(...Array.from({ length: out.expBits }, () => zero.not())))
      .named(`l${j}_field`);
    const kase = select(
      index,
      perExponent.map((_, i) => x[`t${i}_case`]!),
    ).named(`l${j}_case`);
    return { field, kase, sign: e.sign!.named(`l${j}_sign`), zero, fraction: e.fraction! };
  };
  // After it: the mantissa (and the field of any case but normal) from the outcome ROM.
  const finish = (l: ReturnType<typeof select4>, j: number): Signal => {
    const romIndex = plan.signed ? cat(l.kase, l.fraction, l.zero, l.sign) : cat(l.kase, l.fraction, l.zero);
    const outcome = lookup(l.kase.builder, outcomeTable, romIndex, `outcome${j}`);
    const outSign = plan.signed ? outcome.sign! : l.sign.and(outcome.keep_sign!);
    return cat(outSign, l.field.or(outcome.field!), outcome.mant!).named(`w${j}`);
  };
  // Lanes in groups of consecutive slots (laneGroupSize), one module per group.
  const { word, slots, slotBits } = codes;
  const group = laneGroupSize(slots);
  const groups = laneStage(
    m,
    `lanes${group}`,
    Array.from({ length: slots.length / group }, (_, g) => ({
      codes: word.slice(slotBits * group * (g + 1) - 1, slotBits * group * g),
    })),
    shared,
    (x) => {
      const selected = Array.from({ length: group }, (_, j) => {
        const slot = slots[j]! % group; // AWQ interleaves within each group of 8 slots
        return select4(x, x.codes!.slice(slotBits * slot + bits - 1, slotBits * slot), j);
      });
      if (cut.lane) x.codes!.builder.stage();
      const ws = selected.map((l, j) => finish(l, j));
      return { w: cat(...ws.reverse()) };
    },
    cut.lane ? { enable: cut.enable } : undefined,
  );
  return groups.map((g, i) => g.w!.named(`w_group${i}`));
}
