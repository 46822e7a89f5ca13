import { z } from 'zod';
import { addRaw } from '../arith/add.ts';
import { normalize } from '../arith/normalize.ts';
import { roundPack } from '../arith/round.ts';
import { unpackFloat } from '../arith/unpack.ts';
import { unsignedBits } from '../arith/widths.ts';
import { floatLayout } from '../formats/index.ts';
import {
  checkOutputPolicy,
  floatFormat,
  policyTag,
  resolvedOutputPolicy,
  roundingParams,
} from '../float-params.ts';
import { boolParam, choiceParam, intParam, type Generator } from '../generator.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { mux, select, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { timingTag } from '../naming.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';

/** Weight formats: the value of a code as an integer multiple of the weight's LSB (2^lsbExp). */
export const MIXED_WEIGHTS = {
  int4: { bits: 4, lsbExp: 0, zeroPoint: false },
  uint4: { bits: 4, lsbExp: 0, zeroPoint: true },
  e2m1fn: { bits: 4, lsbExp: -1, zeroPoint: false },
} as const;

export const mixedMacParams = z
  .object({
    /** int4: symmetric signed weights; uint4: asymmetric, with a zero point z (AWQ); e2m1fn: FP4 weights. */
    weight: choiceParam(Object.keys(MIXED_WEIGHTS) as [keyof typeof MIXED_WEIGHTS]).default('uint4'),
    activation: choiceParam(['fp16', 'bf16']).default('fp16'),
    /** Elements per group: every group's exact partial sum is scaled once, at its last element. */
    group: intParam(1, 4096).default(128),
    /** Format of the per-group scale. */
    scale: choiceParam(['fp16', 'bf16', 'fp32']).default('fp16'),
    /** Format of the outer accumulator (and the output). */
    outFormat: choiceParam(['fp32', 'fp16', 'bf16']).default('fp32'),
    ...roundingParams,
    latency: intParam(0, 2).default(1),
    ready: boolParam().default(false),
  })
  .superRefine((p, ctx) => {
    checkOutputPolicy(p, ctx);
    if (p.ready && p.latency === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['ready'],
        message: 'valid/ready backpressure needs latency 1 or more',
      });
  });

export type MixedMacParams = z.output<typeof mixedMacParams>;

/** Width of an exact sum of `count` terms, each at most `max` in magnitude, as a signed integer. */
export function exactSumWidth(max: bigint, count: number): number {
  return (max * BigInt(count)).toString(2).length + 1;
}

/**
 * W4A16 multiply-accumulate with the restructuring of SPEC §7.1:
 *   y = Σ_g s_g · ( Σ_{k∈g} a_k·q_k − z_g · Σ_{k∈g} a_k ).
 * Inside a group, a_k·q_k and a_k are summed exactly (fixed point); on the group's last element the
 * exact value s_g·(Σ a·q − z_g·Σ a) is added to the outer accumulator with one rounding. `s` and `z`
 * are read on each group's last element; the output is the outer accumulator after this vector.
 */
export const mixedMac: Generator<typeof mixedMacParams> = {
  name: 'mixed_mac',
  family: 'mac',
  summary: 'W4A16 MAC: 4-bit weights × fp16/bf16 activations, exact per-group sums, group scale applied once',
  params: mixedMacParams,
  build(p) {
    const w = MIXED_WEIGHTS[p.weight as keyof typeof MIXED_WEIGHTS];
    const fa = floatFormat(p.activation);
    const fs = floatFormat(p.scale);
    const fo = floatFormat(p.outFormat);
    const policy = resolvedOutputPolicy(p);
    const name = `mixed_mac_${p.weight}_${p.activation}_g${p.group}_${p.scale}_${p.outFormat}${policyTag(p)}_${timingTag(p.latency, p.ready)}`;
    const m = new ModuleBuilder(name, { generator: 'mixed_mac', params: p }, { ready: p.ready });
    const cut = pipelineCuts(m, p.latency, ['product', 'output'] as const);
    const q = m.input('w', UInt(w.bits), `${p.weight} weight code`);
    const a = m.input('a', UInt(floatLayout(fa).bits), `${p.activation} activation`);
    const clear = m.input('clear', UInt(1), 'start a new sum (and a new first group) with this vector');
    const s = m.input(
      's',
      UInt(floatLayout(fs).bits),
      `${p.scale} group scale, read on the group's last element`,
    );
    const zp = w.zeroPoint
      ? m.input('z', UInt(4), "uint4 zero point, read on the group's last element")
      : undefined;

    // The activation as an exact integer of weight 2^(emin−M): sign, magnitude.
    const ua = unpackFloat(a, fa, 'a');
    const aUnits = ua.sig
      .zext(ua.sig.width + floatLayout(fa).expFieldMax)
      .shl(
        ua.exp
          .sub(floatLayout(fa).emin, { width: ua.exp.width + 1 })
          .resize(unsignedBits(floatLayout(fa).expFieldMax) + 1)
          .asUnsigned()
          .resize(unsignedBits(floatLayout(fa).expFieldMax)),
      )
      .named('a_units');
    const aMaxUnits = (1n << BigInt(aUnits.width)) - 1n;
    const aSigned = mux(
      ua.sign,
      aUnits
        .zext(aUnits.width + 1)
        .asSigned()
        .neg()
        .resize(aUnits.width + 1),
      aUnits.zext(aUnits.width + 1).asSigned(),
    ).named('a_signed');
    // The weight as a signed integer of weight 2^lsbExp.
    const qValue = weightValue(q, p.weight as keyof typeof MIXED_WEIGHTS);
    const product = aSigned.mul(qValue).named('aq');
    cut.at('product');

    // Group position: the vector that completes a group closes it.
    const countBits = Math.max(1, unsignedBits(p.group - 1));
    const count = m.register('group_count_q', UInt(countBits), { reset: 0 });
    const position = mux(clear, m.constant(0, UInt(countBits)), count).named('group_position');
    const groupEnd = position.eq(p.group - 1).named('group_end');
    count.next(mux(groupEnd, m.constant(0, UInt(countBits)), position.add(1, { width: countBits })));

    const sumWidth = exactSumWidth(aMaxUnits * 8n * 2n, p.group) + 1;
    const actWidth = exactSumWidth(aMaxUnits, p.group);
    const dot = m.register('group_dot_q', SInt(sumWidth), { reset: 0 });
    const act = m.register('group_act_q', SInt(actWidth), { reset: 0 });
    const dotSum = mux(
      position.eq(0),
      product.resize(sumWidth),
      dot.add(product.resize(sumWidth), { width: sumWidth }),
    ).named('group_dot');
    const actSum = mux(
      position.eq(0),
      aSigned.resize(actWidth),
      act.add(aSigned.resize(actWidth), { width: actWidth }),
    ).named('group_act');
    dot.next(dotSum);
    act.next(actSum);
    // A NaN or infinite activation makes its group's contribution NaN (a policy: W4A16 activations are finite).
    const nanQ = m.register('group_nan_q', UInt(1), { reset: 0 });
    const poisoned = ua.isNaN.or(ua.isInf);
    const groupNaN = mux(position.eq(0), poisoned, nanQ.or(poisoned)).named('group_nan');
    nanQ.next(groupNaN);

    // Group close: D = Σ a·q − z·Σ a (exact), then s·D exactly, then one rounding into the outer sum.
    const zTerm = zp === undefined ? undefined : actSum.mul(zp.zext(5).asSigned()).named('zero_term');
    const difference = (
      zTerm === undefined
        ? dotSum
        : dotSum
            .resize(Math.max(sumWidth, zTerm.width) + 1)
            .sub(zTerm.resize(Math.max(sumWidth, zTerm.width) + 1))
    ).named('group_difference');
    const negative = difference.msb();
    const magnitude = mux(
      negative,
      difference.neg().resize(difference.width + 1),
      difference.resize(difference.width + 1),
    )
      .asUnsigned()
      .slice(difference.width - 1, 0)
      .named('group_magnitude');
    const us = unpackFloat(s, fs, 's');
    const scaled = magnitude.mul(us.sig).named('scaled_sig');
    // magnitude weighs 2^(lsbA + lsbW) per unit, the scale sig 2^(es − Ms): the product's top bit:
    const lsb = floatLayout(fa).emin - fa.mantBits + w.lsbExp - fs.mantBits;
    const scaledExp = us.exp
      .resize(us.exp.width + 8)
      .add(scaled.width - 1 + lsb, { width: us.exp.width + 9 })
      .named('scaled_exp');
    const groupSpecialNaN = groupNaN.or(us.isNaN).or(us.isInf.and(magnitude.orR().not()));
    const groupInf = us.isInf.and(groupSpecialNaN.not());
    const outer = m.register('outer_q', UInt(floatLayout(fo).bits), { reset: 0 });
    const outerCode = mux(clear, m.constant(0, UInt(floatLayout(fo).bits)), outer);
    const uo = unpackFloat(outerCode, fo, 'outer');
    const sum = addRaw(
      {
        sign: negative.xor(us.sign),
        exp: scaledExp,
        sig: scaled,
        isZero: magnitude.orR().not().or(us.isZero).and(groupSpecialNaN.or(groupInf).not()),
        isInf: groupInf,
        isNaN: groupSpecialNaN,
      },
      { sign: uo.sign, exp: uo.exp, sig: uo.sig, isZero: uo.isZero, isInf: uo.isInf, isNaN: uo.isNaN },
      policy.rounding === 'rdown' ? 1 : 0,
      'outer_add',
    );
    const closed = roundPack(normalize(sum, 'outer_norm'), fo, policy, 'outer_round').code;
    const outerNext = mux(groupEnd, closed, outerCode).named('outer_next');
    outer.next(outerNext);
    cut.at('output');
    m.output('y', outerNext, `${p.outFormat} code: Σ over the completed groups of s·(Σ a·q − z·Σ a)`);
    return m.build();
  },
};

/** The weight code's value as a signed integer multiple of its LSB. */
function weightValue(q: Signal, weight: keyof typeof MIXED_WEIGHTS): Signal {
  const m = q.builder;
  if (weight === 'int4') return q.asSigned();
  if (weight === 'uint4') return q.zext(5).asSigned();
  // E2M1 in units of 0.5: magnitudes 0, 1, 2, 3, 4, 6, 8, 12 for codes 0..7, sign in bit 3.
  const magnitude = select(
    q.slice(2, 0),
    [0, 1, 2, 3, 4, 6, 8, 12].map((v) => m.constant(v, SInt(5))),
  );
  return mux(q.bit(3), magnitude.neg().resize(5), magnitude).named('w_value');
}
