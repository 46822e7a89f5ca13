// Closing a group of one row: its exact value s·(Σ a·w − z·Σ a) enters the row's fp32 sum with one
// rounding (SPEC §7.1 restructuring: the scale and the zero point are applied once per group).
import { addRaw } from '../arith/add.ts';
import { normalize } from '../arith/normalize.ts';
import { roundPack } from '../arith/round.ts';
import { signMagnitude } from '../arith/sign-magnitude.ts';
import { unpackFloat } from '../arith/unpack.ts';
import { floatLayout, type ResolvedPolicy } from '../formats/index.ts';
import { floatFormat } from '../float-params.ts';
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { mux } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';

export interface CloseShape {
  name: string;
  /** Widths of the exact group sums Σ a·w and Σ a. */
  dotWidth: number;
  actWidth: number;
  /** The weight of one unit of Σ a·w: 2^unitExp (times 2^exp, the group's block exponent, when aligned). */
  unitExp: number;
  /** Aligned groups: the width of the signed block-exponent input `exp`. */
  blockExpWidth?: number;
  /** Σ a is in units of 2^(unitExp − weightExp): the zero point multiplies it shifted by −weightExp. */
  weightExp: number;
  scale: string;
  zeroPoint: boolean;
  outFormat: string;
  /** Rounding of the output conversion, and of the fp32 sum. */
  policy: ResolvedPolicy;
  accPolicy: ResolvedPolicy;
  origin: Record<string, unknown>;
}

/**
 * Comb module: inputs dot, act, bad, s, z (zero point), acc (the row's fp32 sum so far), first (the
 * row's first group: the sum starts at +0); outputs acc_next (fp32) and y (acc_next in the output format).
 */
export function closeModule(shape: CloseShape): Module {
  const fs = floatFormat(shape.scale);
  const fp32 = floatFormat('fp32');
  const fo = floatFormat(shape.outFormat);
  const m = new ModuleBuilder(shape.name, { generator: 'gemv', params: shape.origin });
  const dot = m.input('dot', SInt(shape.dotWidth), 'Σ a·w of the group, exact');
  const act = m.input('act', SInt(shape.actWidth), 'Σ a of the group, exact');
  const bad = m.input('bad', UInt(1), 'the group holds a NaN weight or a non-finite activation');
  const s = m.input('s', UInt(floatLayout(fs).bits), `${shape.scale} group scale`);
  const z = shape.zeroPoint ? m.input('z', UInt(4), 'uint4 zero point of the group') : undefined;
  const acc = m.input('acc', UInt(32), "fp32 sum of the row's earlier groups");
  const first = m.input('first', UInt(1), "the row's first group: its sum starts at +0");
  const blockExp =
    shape.blockExpWidth === undefined
      ? undefined
      : m.input('exp', SInt(shape.blockExpWidth), "the group's block exponent E (aligned activations)");

  // D = Σ a·w − z·Σ a, exact.
  const shiftedAct = act.resize(act.width - shape.weightExp).shl(-shape.weightExp);
  const zTerm = z === undefined ? undefined : shiftedAct.mul(z.zext(5).asSigned()).named('zero_term');
  const width = Math.max(dot.width, zTerm?.width ?? 0) + 1;
  const difference = (
    zTerm === undefined ? dot : dot.resize(width).sub(zTerm.resize(width), { width })
  ).named('group_value');
  const split = signMagnitude(difference);
  const negative = split.negative.named('group_negative');
  const magnitude = split.magnitude.named('group_magnitude');
  const nonzero = magnitude.orR().named('group_nonzero');

  // s·D exactly: the scale's significand times |D|; the top bit weighs 2^(es + top − Ms + unitExp).
  const us = unpackFloat(s, fs, 's');
  const scaled = magnitude.mul(us.sig).named('scaled_sig');
  const expWidth = Math.max(us.exp.width, blockExp?.width ?? 0) + 10;
  const scaleExp = us.exp.resize(expWidth);
  const scaledExp = (
    blockExp === undefined ? scaleExp : scaleExp.add(blockExp.resize(expWidth), { width: expWidth })
  )
    .add(scaled.width - 1 + shape.unitExp - fs.mantBits, { width: expWidth })
    .named('scaled_exp');
  const isNaN = bad.or(us.isNaN).or(us.isInf.and(nonzero.not())).named('group_nan');
  const isInf = us.isInf.and(isNaN.not());
  const uo = unpackFloat(mux(first, m.constant(0, UInt(32)), acc), fp32, 'acc');
  const sum = addRaw(
    {
      sign: negative.xor(us.sign),
      exp: scaledExp,
      sig: scaled,
      isZero: nonzero.not().or(us.isZero).and(isNaN.or(isInf).not()),
      isInf,
      isNaN,
    },
    { sign: uo.sign, exp: uo.exp, sig: uo.sig, isZero: uo.isZero, isInf: uo.isInf, isNaN: uo.isNaN },
    shape.accPolicy.rounding === 'rdown' ? 1 : 0,
    'sum',
  );
  const next = roundPack(normalize(sum, 'sum_norm'), fp32, shape.accPolicy, 'sum_round').code.named(
    'acc_sum',
  );
  m.output('acc_next', next, 'fp32 sum including this group');
  if (shape.outFormat === 'fp32') m.output('y', next, 'the sum in the output format');
  else {
    const u = unpackFloat(next, fp32, 'y_in');
    const raw = { sign: u.sign, exp: u.exp, sig: u.sig, isZero: u.isZero, isInf: u.isInf, isNaN: u.isNaN };
    m.output(
      'y',
      roundPack(normalize(raw, 'y_norm'), fo, shape.policy, 'y_round').code,
      `the sum as ${shape.outFormat}`,
    );
  }
  return m.build();
}
