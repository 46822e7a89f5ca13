// Closing a group of one row: its exact value s·(Σ a·w − z·Σ a) enters the row's fp32 sum with one
// rounding (docs/w4a16.md#restructured-gemv: the scale and the zero point are applied once per group). The close
// is three kernels, each pipelined to its own latency, with registers between them in the core: the
// scale product; the row's fp32 sum, the aligned addition with its normalization and rounding (the
// only loop: the row's sum comes back as its input `latency.sum + 1` cycles later); and the output
// conversion of a block's final sums.
import { ADD_ROUND_CUTS, addRound } from '../arith/add-round.ts';
import { alignToFormat } from '../arith/align.ts';
import { normalize } from '../arith/normalize.ts';
import type { RawFloat } from '../arith/raw-float.ts';
import { roundPack } from '../arith/round.ts';
import { serialProduct } from '../arith/serial-product.ts';
import { shiftAddProduct } from '../arith/shift-add-product.ts';
import { signMagnitude } from '../arith/sign-magnitude.ts';
import { splitProduct } from '../arith/split-product.ts';
import { unpackFloat } from '../arith/unpack.ts';
import { floatLayout, type ResolvedPolicy } from '../formats/index.ts';
import { floatFormat } from '../float-params.ts';
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { mux, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';

/**
 * The scale product's cut points, by priority: after the zero point's term z·Σ a ('zero'), before the
 * product s·|D| ('magnitude', after the group value's absolute value), inside it ('partial': the
 * partial products of 18-bit slices of |D| by the scale's significand, added after the cut), and after
 * the group value D ('difference'), at the inputs ('inputs': the core selects a close unit's row by
 * multiplexers in the cycle before), and inside z·Σ a after its first level of adders ('zero_pairs').
 * The core registers the kernel's outputs.
 */
export const SCALE_CUTS = ['zero', 'magnitude', 'partial', 'difference', 'inputs', 'zero_pairs'] as const;
/**
 * The row sum's cut points: those of the adder (arith/add-round.ts), after unpacking the sum, and
 * half-way up the normalization's leading-zero count ('half_counted'), inside the alignment's shift
 * ('half_shifted'), at the inputs ('inputs': an interleaved core selects the row's sum among its
 * blocks' in the cycle before) and at the output ('output': the sum goes to every block's register).
 */
export const SUM_CUTS = [
  ...ADD_ROUND_CUTS,
  'unpack',
  'half_counted',
  'half_shifted',
  'inputs',
  'output',
] as const;
/**
 * The output conversion's cut points, by priority: after the alignment to the output format, after
 * the normalizing shift, before the rounding's addition, after the subnormal shift's amount, after
 * the leading-zero count (as in the adder, arith/add-round.ts).
 */
export const CONVERT_CUTS = ['align', 'normalize', 'increment', 'denorm', 'counted'] as const;

/** Pipeline stages inside each close kernel (0: combinational). */
export interface CloseLatency {
  scale: number;
  sum: number;
  convert: number;
}

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
  /** Integer activations: the format of their scale, input `sa`, a second exact factor of the product. */
  activationScale?: string;
  /** The scale product one significand bit per cycle (serialScaleKernel), else all at once. */
  serialScale?: boolean;
  /** Asymmetric weights: the width of their per-group zero point z (uint codes of the weight's width); 0 without one. */
  zeroBits: number;
  outFormat: string;
  /** Rounding of the output conversion, and of the fp32 sum. */
  policy: ResolvedPolicy;
  accPolicy: ResolvedPolicy;
  origin: Record<string, unknown>;
}

export interface CloseKernels {
  /**
   * dot, act, bad, s, sa, z, exp → the exact product s·sa·D as a raw float (product_*): pipelined, or
   * serial (a sequential module: `start`, and `done` serialScaleCycles later).
   */
  scale: Module;
  /** product_*, acc, first → acc_next: the row's fp32 sum including this group, rounded once. */
  sum: Module;
  /** acc → y in the output format; absent for fp32 output. */
  convert?: Module;
  /** All of them combinational in one module (ports dot … exp, acc, first → acc_next, y), for HLS. */
  close: Module;
}

export function closeKernels(shape: CloseShape, latency: CloseLatency): CloseKernels {
  const scale = shape.serialScale ? serialScaleKernel(shape) : scaleKernel(shape, latency.scale);
  const sum = sumKernel(shape, scale, latency.sum);
  const convert = shape.outFormat === 'fp32' ? undefined : convertKernel(shape, latency.convert);
  const untimed = (module: Module, make: () => Module) => (module.timing.kind === 'comb' ? module : make());
  const scale0 = untimed(scale, () => scaleKernel(shape, 0));
  const sum0 = untimed(sum, () => sumKernel(shape, scale0, 0));
  const convert0 = convert && untimed(convert, () => convertKernel(shape, 0));
  const close = chain(`gemv_close_${shape.tag}`, shape, [scale0, sum0], convert0 ?? 'fp32');
  return { scale, sum, ...(convert ? { convert } : {}), close };
}

/** A kernel's name: the latency is part of it when the kernel is pipelined. */
function kernelName(kind: string, shape: CloseShape, latency: number): string {
  return `gemv_${kind}_${shape.tag}${latency > 0 ? `_l${latency}` : ''}`;
}

function scaleKernel(shape: CloseShape, latency: number): Module {
  const m = new ModuleBuilder(kernelName('scale', shape, latency), {
    generator: 'gemv',
    params: shape.origin,
  });
  const cut = pipelineCuts(m, latency, SCALE_CUTS);
  const { magnitude, sig, ...fields } = scaleOperands(m, shape, cut);
  // s·|D| exactly: |D| times the scale's significand; a cut multiplier adds its partial products of
  // 18-bit slices of |D| (one 18×18 block each) after the cut.
  const scaled = (
    cut.has('partial')
      ? splitProduct(sig, magnitude, Math.ceil(magnitude.width / 18), () => cut.at('partial'), 'scaled')
      : magnitude.mul(sig)
  ).named('scaled_sig');
  rawOutputs(m, { ...fields, sig: scaled }, 'product', 's·D, exact');
  return m.build();
}

/**
 * The scale product one bit of the scale's significand per cycle (BitMoD's bit-serial dequantization,
 * docs/bitserial-gemv.md#bit-serial-scale): `start` takes the inputs, `done` gives s·D
 * serialScaleCycles(shape) cycles later; it takes no other start meanwhile.
 */
function serialScaleKernel(shape: CloseShape): Module {
  const m = new ModuleBuilder(
    `gemv_scale_serial_${shape.tag}`,
    { generator: 'gemv', params: shape.origin },
    { sequential: true },
  );
  const start = m.input('start', UInt(1), 'the inputs hold a group to scale');
  const { magnitude, sig, ...fields } = scaleOperands(m, shape, pipelineCuts(m, 0, SCALE_CUTS));
  // The product's sign, exponent and special values, kept from the start.
  const keep = (field: string, value: Signal) => {
    const held = m.register(`product_${field}_q`, value.type);
    held.next(value, { when: start });
    return held;
  };
  const kept = {
    sign: keep('sign', fields.sign),
    exp: keep('exp', fields.exp),
    isZero: keep('zero', fields.isZero),
    isInf: keep('inf', fields.isInf),
    isNaN: keep('nan', fields.isNaN),
  };
  const { product, valid } = serialProduct(magnitude, sig, start, 'scaled');
  rawOutputs(m, { ...kept, sig: product }, 'product', 's·D, exact');
  m.output('done', valid, 'the product of the last start is out, for this cycle');
  return m.build();
}

/** Cycles from a serial scale product's start to its done: one per significand bit, and the start's. */
export function serialScaleCycles(shape: Pick<CloseShape, 'scale' | 'activationScale'>): number {
  const sigBits = (format: string) => floatFormat(format).mantBits + 1;
  return (
    sigBits(shape.scale) + (shape.activationScale === undefined ? 0 : sigBits(shape.activationScale)) + 1
  );
}

/**
 * The scale kernel's inputs and what the product needs of them: the group value's magnitude |D|, the
 * scale's significand (times the activation scale's), and the product's sign, exponent and special
 * values.
 */
function scaleOperands(
  m: ModuleBuilder,
  shape: CloseShape,
  cut: ReturnType<typeof pipelineCuts<(typeof SCALE_CUTS)[number]>>,
): Pick<RawFloat, 'sign' | 'exp' | 'isZero' | 'isInf' | 'isNaN'> & { magnitude: Signal; sig: Signal } {
  const fs = floatFormat(shape.scale);
  const dot = m.input('dot', SInt(shape.dotWidth), 'Σ a·w of the group, exact');
  const act = m.input('act', SInt(shape.actWidth), 'Σ a of the group, exact');
  const bad = m.input('bad', UInt(1), 'the group holds a NaN weight or a non-finite activation');
  const s = m.input('s', UInt(floatLayout(fs).bits), `${shape.scale} group scale`);
  const fsa = shape.activationScale === undefined ? undefined : floatFormat(shape.activationScale);
  const sa =
    fsa === undefined
      ? undefined
      : m.input('sa', UInt(floatLayout(fsa).bits), `${shape.activationScale} activation scale`);
  const z =
    shape.zeroBits > 0
      ? m.input('z', UInt(shape.zeroBits), `uint${shape.zeroBits} zero point of the group`)
      : undefined;
  const blockExp =
    shape.blockExpWidth === undefined
      ? undefined
      : m.input('exp', SInt(shape.blockExpWidth), "the group's block exponent E (aligned activations)");
  cut.at('inputs');

  // D = Σ a·w − z·Σ a, exact.
  const shiftedAct = act.resize(act.width - shape.weightExp).shl(-shape.weightExp);
  // z·Σ a by shifts and adds: a gated copy of Σ a per bit of z (a 4-bit multiplier needs no DSP block).
  const zTerm =
    z === undefined ? undefined : shiftAddProduct(shiftedAct, z, 'zero_term', () => cut.at('zero_pairs'));
  // Without a zero point 'zero_pairs' is an empty stage, so that the kernel has the latency asked for.
  if (z === undefined) cut.at('zero_pairs');
  const width = Math.max(dot.width, zTerm?.width ?? 0) + 1;
  const difference = (
    zTerm === undefined ? dot : dot.resize(width).sub(zTerm.resize(width), { width })
  ).named('group_value');
  cut.at('zero');
  const ws = unpackFloat(s, fs, 's');
  // With an activation scale, the two scales' product first, exactly: the significands' product, the
  // exponents' sum, and the special values of an IEEE product (Inf·0 is NaN).
  const us = sa === undefined ? ws : scalesProduct(ws, unpackFloat(sa, fsa!, 'sa'));
  const scaleMantBits = fs.mantBits + (fsa?.mantBits ?? 0);
  // The scale's exponent with the block's and the product's place: the top bit of s·|D| weighs
  // 2^(es + top − Ms + unitExp).
  const productWidth = difference.width + us.sig.width;
  const expWidth = Math.max(us.exp.width, blockExp?.width ?? 0) + 10;
  const scaleExp = us.exp.resize(expWidth);
  const scaledExp = (
    blockExp === undefined ? scaleExp : scaleExp.add(blockExp.resize(expWidth), { width: expWidth })
  )
    .add(productWidth - 1 + shape.unitExp - scaleMantBits, { width: expWidth })
    .named('scaled_exp');
  const scaleNaN = us.isNaN.named('s_nan');
  const scaleInf = us.isInf.named('s_inf');
  const scaleZero = us.isZero.named('s_zero');
  cut.at('difference');
  const split = signMagnitude(difference);
  const negative = split.negative.xor(us.sign).named('product_negative');
  const magnitude = split.magnitude.named('group_magnitude');
  // D ≠ 0 read from D itself, beside the negation's carry chain rather than after it.
  const nonzero = difference.orR().named('group_nonzero');
  const isNaN = bad.or(scaleNaN).or(scaleInf.and(nonzero.not())).named('group_nan');
  const isInf = scaleInf.and(isNaN.not()).named('group_inf');
  const isZero = nonzero.not().or(scaleZero).and(isNaN.or(isInf).not()).named('group_zero');
  cut.at('magnitude');
  return { sign: negative, exp: scaledExp, magnitude, sig: us.sig, isZero, isInf, isNaN };
}

/** The exact product of the weight scale and the activation scale, as the fields of an unpacked float. */
function scalesProduct(
  w: ReturnType<typeof unpackFloat>,
  a: ReturnType<typeof unpackFloat>,
): Pick<ReturnType<typeof unpackFloat>, 'sign' | 'exp' | 'sig' | 'isNaN' | 'isInf' | 'isZero'> {
  const width = Math.max(w.exp.width, a.exp.width) + 1;
  const infTimesZero = w.isInf.and(a.isZero).or(w.isZero.and(a.isInf));
  return {
    sign: w.sign.xor(a.sign).named('scales_sign'),
    exp: w.exp.resize(width).add(a.exp.resize(width), { width }).named('scales_exp'),
    sig: w.sig.mul(a.sig).named('scales_sig'),
    isNaN: w.isNaN.or(a.isNaN).or(infTimesZero).named('scales_nan'),
    isInf: w.isInf.or(a.isInf).named('scales_inf'),
    isZero: w.isZero.or(a.isZero).named('scales_zero'),
  };
}

function sumKernel(shape: CloseShape, scale: Module, latency: number): Module {
  const fp32 = floatFormat('fp32');
  const m = new ModuleBuilder(kernelName('sum', shape, latency), { generator: 'gemv', params: shape.origin });
  const cut = pipelineCuts(m, latency, SUM_CUTS);
  const product = rawInputs(m, scale, 'product');
  const acc = m.input('acc', UInt(32), "fp32 sum of the row's earlier groups");
  const first = m.input('first', UInt(1), "the row's first group: its sum starts at +0");
  cut.at('inputs');
  const uo = unpackFloat(mux(first, m.constant(0, UInt(32)), acc), fp32, 'acc');
  const accRaw = {
    sign: uo.sign,
    exp: uo.exp,
    sig: uo.sig,
    isZero: uo.isZero,
    isInf: uo.isInf,
    isNaN: uo.isNaN,
  };
  cut.at('unpack');
  const rounded = addRound(product, accRaw, fp32, shape.accPolicy, (point) => cut.at(point), undefined, {
    ...(cut.has('half_counted') ? { cutCount: () => cut.at('half_counted') } : {}),
    // With a cut inside the alignment shift, the bits it shifts out are told from the smaller operand's
    // trailing zeros (counted beside the exponents), not from a window-wide mask behind the cut.
    ...(cut.has('half_shifted')
      ? { cutShift: () => cut.at('half_shifted'), lostFromTrailingZeros: true }
      : {}),
    // The sign and the special-value flags wait on the zero test: keep its window-wide OR off their stage.
    zeroFromSum: true,
    // The subnormal decisions compare the exponent with constants in LUTs, not on carry chains.
    align: { comparesInLuts: true },
  });
  const accSum = rounded.code.named('acc_sum');
  // The last cut registers the sum itself: it fans out to the row's sums of every interleaved block.
  cut.at('output');
  m.output('acc_next', accSum, 'fp32 sum including this group');
  return m.build();
}

function convertKernel(shape: CloseShape, latency: number): Module {
  const fp32 = floatFormat('fp32');
  const fo = floatFormat(shape.outFormat);
  const m = new ModuleBuilder(kernelName('convert', shape, latency), {
    generator: 'gemv',
    params: shape.origin,
  });
  const cut = pipelineCuts(m, latency, CONVERT_CUTS);
  const acc = m.input('acc', UInt(32), "the row's fp32 sum");
  const u = unpackFloat(acc, fp32, 'y_in');
  const raw = { sign: u.sign, exp: u.exp, sig: u.sig, isZero: u.isZero, isInf: u.isInf, isNaN: u.isNaN };
  const normalized = normalize(raw, 'y_norm', (point) => cut.at(point));
  cut.at('normalize');
  const aligned = alignToFormat(
    { ...normalized, maxLeadingZeros: 0 },
    fo,
    shape.policy.subnormals,
    'y_align',
    () => cut.at('denorm'),
  );
  cut.at('align');
  const rounded = roundPack(aligned, fo, shape.policy, 'y_round', () => cut.at('increment'));
  m.output('y', rounded.code, `the sum as ${shape.outFormat}`);
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
 * Combinational kernels chained into one module, output acc_next (and y: through `convert`, or
 * acc_next itself for 'fp32'): a close as the HLS loop calls it.
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
