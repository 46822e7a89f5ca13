import { defineGenerator, type GeneratorParams } from '../define.ts';
import { boolParam, choiceParam, intParam } from '../generator.ts';
import { mux, type Signal } from '../hdl/signal.ts';
import { SInt, UInt, typeRange } from '../hdl/types.ts';
import { multiply, multiplierTag } from '../arith/multiplier.ts';
import { multiplierParam } from '../multiplier-param.ts';
import { intTag } from '../naming.ts';

/**
 * Integer multiply-accumulate: each accepted vector adds a×b to the accumulator, or, with `clear`
 * high, starts a new sum at a×b. The output is the accumulator after that vector.
 */
export const intMac = defineGenerator({
  name: 'int_mac',
  family: 'mac',
  summary: 'integer multiply-accumulate with clear, wrap or saturate, latency 0..3',
  params: {
    aWidth: intParam(1, 64).default(8).describe('bits of operand a'),
    bWidth: intParam(1, 64).default(8).describe('bits of operand b'),
    aSigned: boolParam().default(true).describe("a is two's complement (else unsigned)"),
    bSigned: boolParam().default(true).describe("b is two's complement (else unsigned)"),
    accWidth: intParam(2, 256)
      .default(32)
      .describe('Accumulator width; signed when either operand is signed.'),
    overflow: choiceParam(['wrap', 'saturate'])
      .default('wrap')
      .describe(
        "What a sum beyond the accumulator's range becomes: the low bits (wrap) or the nearest bound (saturate).",
      ),
    multiplier: multiplierParam('booth4'),
  },
  latency: {
    max: 3,
    default: 1,
    description:
      '0: the output is the new sum, combinationally; 1: the accumulator register; 2: the product is registered first; 3: the inputs too.',
  },
  check(p, ctx) {
    if (p.accWidth < p.aWidth + p.bWidth) {
      ctx.addIssue({
        code: 'custom',
        path: ['accWidth'],
        message: 'must be at least aWidth + bWidth (the product width)',
      });
    }
  },
  // The accumulator register holds a stalled result, so backpressure needs no stage.
  readyAtLatency0: true,
  build(p, top) {
    const stem =
      [
        'int_mac',
        intTag(p.aWidth, p.aSigned),
        intTag(p.bWidth, p.bSigned),
        `acc${p.accWidth}`,
        p.overflow === 'wrap' ? 'wrap' : 'sat',
      ].join('_') + multiplierTag(p.multiplier, 'behavioural');
    const m = top.module(stem);
    const type = (w: number, s: boolean) => (s ? SInt(w) : UInt(w));
    const accType = type(p.accWidth, p.aSigned || p.bSigned);

    const a = m.input('a', type(p.aWidth, p.aSigned), 'multiplicand');
    const b = m.input('b', type(p.bWidth, p.bSigned), 'multiplier');
    const clear = m.input('clear', UInt(1), 'start a new sum with this product');
    if (p.latency >= 3) m.stage();
    const product = multiply(a, b, p.multiplier ?? 'auto', 'mul').named('product');
    if (p.latency >= 2) m.stage();

    const acc = m.register('acc_q', accType, { reset: 0 });
    const addend = product.resize(p.accWidth).named('addend');
    const accNext = mux(clear, addend, accumulate(acc, addend, p.overflow)).named('acc_next');
    acc.next(accNext);
    if (p.latency >= 1) m.stage();
    m.output('acc', accNext, 'accumulator after this vector');
    return m.build();
  },
});

export type IntMacParams = GeneratorParams<typeof intMac>;

/** acc + addend, one bit wider, then wrapped or saturated back to the accumulator's width. */
function accumulate(acc: Signal, addend: Signal, overflow: 'wrap' | 'saturate'): Signal {
  const width = acc.width;
  if (overflow === 'wrap') return acc.add(addend, { width }).named('sum');
  const sum = acc.add(addend).named('sum');
  const { min, max } = typeRange(acc.type);
  const top = sum.bit(width);
  // Signed: the sum left the range when its two top bits differ; the top bit says which way.
  // Unsigned: a carry out of the top bit means it went past the maximum.
  const overflowed = (acc.signed ? top.xor(sum.bit(width - 1)) : top).named('overflowed');
  const bound = acc.signed ? mux(top, acc.operand(min), acc.operand(max)) : acc.operand(max);
  return mux(overflowed, bound, sum.resize(width)).named('sum_sat');
}
