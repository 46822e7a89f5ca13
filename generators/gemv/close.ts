// Closing a group of one row: its exact value s·(Σ a·w − z·Σ a) enters the row's fp32 sum with one
// rounding (docs/w4a16.md#restructured-gemv: the scale and the zero point are applied once per group). The close
// is four kernels with registers between them in the core: the scale product; the fp32 accumulation in
// two parts, the aligned addition and the normalization with its rounding (the only loop: the row's sum
// comes back as the addition's input); and the output conversion.
import { addRaw } from '../arith/add.ts';
import { normalize } from '../arith/normalize.ts';
import type { RawFloat } from '../arith/raw-float.ts';
import { roundPack } from '../arith/round.ts';
import { signMagnitude } from '../arith/sign-magnitude.ts';
import { unpackFloat } from '../arith/unpack.ts';
import { floatLayout, type ResolvedPolicy } from '../formats/index.ts';
import { floatFormat } from '../float-params.ts';
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { mux, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';

export interface CloseShape {
  /** Name suffix shared by the kernels: gemv_scale_<tag>, gemv_accumulate_<tag>, … */
  tag: string;
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

export interface CloseKernels {
  /** dot, act, bad, s, z, exp → the exact product s·D as a raw float (product_*). */
  scale: Module;
  /** product_*, acc, first → the sum s·D + acc before rounding, as a raw float (sum_*). */
  add: Module;
  /** sum_* → acc_next: the row's fp32 sum including this group, rounded once. */
  round: Module;
  /** acc → y in the output format; absent for fp32 output. */
  convert?: Module;
  /** The addition and the rounding in one combinational module: the row sum's loop in one cycle. */
  loop: Module;
  /** All of them in one combinational module (ports dot … exp, acc, first → acc_next, y), for HLS. */
  close: Module;
}

export function closeKernels(shape: CloseShape): CloseKernels {
  const scale = scaleKernel(shape);
  const { add, round } = accumulateKernels(shape, scale);
  const convert = shape.outFormat === 'fp32' ? undefined : convertKernel(shape);
  const loop = chain(`gemv_loop_${shape.tag}`, shape, [add, round]);
  const close = chain(`gemv_close_${shape.tag}`, shape, [scale, add, round], convert ?? 'fp32');
  return { scale, add, round, ...(convert ? { convert } : {}), loop, close };
}

function scaleKernel(shape: CloseShape): Module {
  const fs = floatFormat(shape.scale);
  const m = new ModuleBuilder(`gemv_scale_${shape.tag}`, { generator: 'gemv', params: shape.origin });
  const dot = m.input('dot', SInt(shape.dotWidth), 'Σ a·w of the group, exact');
  const act = m.input('act', SInt(shape.actWidth), 'Σ a of the group, exact');
  const bad = m.input('bad', UInt(1), 'the group holds a NaN weight or a non-finite activation');
  const s = m.input('s', UInt(floatLayout(fs).bits), `${shape.scale} group scale`);
  const z = shape.zeroPoint ? m.input('z', UInt(4), 'uint4 zero point of the group') : undefined;
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
  const isInf = us.isInf.and(isNaN.not()).named('group_inf');
  const product = {
    sign: negative.xor(us.sign),
    exp: scaledExp,
    sig: scaled,
    isZero: nonzero.not().or(us.isZero).and(isNaN.or(isInf).not()),
    isInf,
    isNaN,
  };
  rawOutputs(m, product, 'product', 's·D, exact');
  return m.build();
}

function accumulateKernels(shape: CloseShape, scale: Module): { add: Module; round: Module } {
  const fp32 = floatFormat('fp32');
  const origin = { generator: 'gemv', params: shape.origin };
  const a = new ModuleBuilder(`gemv_add_${shape.tag}`, origin);
  const product = rawInputs(a, scale, 'product');
  const acc = a.input('acc', UInt(32), "fp32 sum of the row's earlier groups");
  const first = a.input('first', UInt(1), "the row's first group: its sum starts at +0");
  const uo = unpackFloat(mux(first, a.constant(0, UInt(32)), acc), fp32, 'acc');
  const sum = addRaw(
    product,
    { sign: uo.sign, exp: uo.exp, sig: uo.sig, isZero: uo.isZero, isInf: uo.isInf, isNaN: uo.isNaN },
    shape.accPolicy.rounding === 'rdown' ? 1 : 0,
    'sum',
  );
  rawOutputs(a, sum, 'sum', 's·D + acc before rounding');
  const add = a.build();

  const r = new ModuleBuilder(`gemv_round_${shape.tag}`, origin);
  const rounded = roundPack(
    normalize(rawInputs(r, add, 'sum'), 'sum_norm'),
    fp32,
    shape.accPolicy,
    'sum_round',
  );
  r.output('acc_next', rounded.code.named('acc_sum'), 'fp32 sum including this group');
  return { add, round: r.build() };
}

function convertKernel(shape: CloseShape): Module {
  const fp32 = floatFormat('fp32');
  const fo = floatFormat(shape.outFormat);
  const m = new ModuleBuilder(`gemv_convert_${shape.tag}`, { generator: 'gemv', params: shape.origin });
  const acc = m.input('acc', UInt(32), "the row's fp32 sum");
  const u = unpackFloat(acc, fp32, 'y_in');
  const raw = { sign: u.sign, exp: u.exp, sig: u.sig, isZero: u.isZero, isInf: u.isInf, isNaN: u.isNaN };
  m.output(
    'y',
    roundPack(normalize(raw, 'y_norm'), fo, shape.policy, 'y_round').code,
    `the sum as ${shape.outFormat}`,
  );
  return m.build();
}

const RAW_PORTS = {
  sign: 'sign',
  exp: 'exp',
  sig: 'sig',
  isZero: 'zero',
  isInf: 'inf',
  isNaN: 'nan',
} as const;

/** A raw float's value fields as outputs <prefix>_sign, _exp, _sig, _zero, _inf, _nan. */
function rawOutputs(m: ModuleBuilder, value: RawFloat, prefix: string, what: string): void {
  for (const [field, suffix] of Object.entries(RAW_PORTS))
    m.output(`${prefix}_${suffix}`, value[field as keyof typeof RAW_PORTS], `${what}: ${field}`);
}

/** Another kernel's raw-float outputs (rawOutputs) as inputs of this module, read back as a raw float. */
function rawInputs(m: ModuleBuilder, from: Module, prefix: string): RawFloat {
  const input = (suffix: string): Signal => {
    const p = from.ports.find((q) => q.name === `${prefix}_${suffix}`)!;
    return m.input(p.name, p.type, p.doc);
  };
  return {
    sign: input(RAW_PORTS.sign),
    exp: input(RAW_PORTS.exp),
    sig: input(RAW_PORTS.sig),
    isZero: input(RAW_PORTS.isZero),
    isInf: input(RAW_PORTS.isInf),
    isNaN: input(RAW_PORTS.isNaN),
  };
}

/**
 * Kernels chained without registers into one combinational module, output acc_next (and y: through
 * `convert`, or acc_next itself for 'fp32'): a close as the HLS loop calls it, or the one-cycle loop.
 */
function chain(name: string, shape: CloseShape, kernels: Module[], convert?: Module | 'fp32'): Module {
  const m = new ModuleBuilder(name, { generator: 'gemv', params: shape.origin });
  // A kernel's input is the earlier kernels' output of the same name, else an input of the chain.
  const values: Record<string, Signal> = {};
  kernels.forEach((kernel, i) => {
    const inputs: Record<string, Signal> = {};
    for (const p of kernel.ports.filter((q) => q.direction === 'input'))
      inputs[p.name] = values[p.name] ?? (values[p.name] = m.input(p.name, p.type, p.doc));
    Object.assign(values, m.instance(kernel, `step${i}`, inputs));
  });
  const accNext = values.acc_next!;
  m.output('acc_next', accNext, 'fp32 sum including this group');
  if (convert !== undefined) {
    const y = convert === 'fp32' ? accNext : m.instance(convert, 'convert', { acc: accNext }).y!;
    m.output('y', y, `the sum as ${shape.outFormat}`);
  }
  return m.build();
}
