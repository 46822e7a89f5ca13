import { defineGenerator, type GeneratorParams } from '../define.ts';
import { boolParam, intParam } from '../generator.ts';
import { mux } from '../hdl/signal.ts';
import { SInt, UInt, typeRange } from '../hdl/types.ts';
import { intTag } from '../naming.ts';

/** Saturating adder: a + b, clamped to the operands' range instead of wrapping around. */
export const satAdd = defineGenerator({
  name: 'sat_add',
  family: 'arith',
  summary: 'saturating integer adder: a + b clamped to the range of its type, latency 0..2',
  params: {
    width: intParam(1, 64).default(8).describe('bits of a, b and the sum'),
    signed: boolParam().default(true).describe("two's complement operands (else unsigned)"),
  },
  latency: {
    max: 2,
    default: 1,
    description: 'Register stages: 1 registers the sum; 2 also the inputs.',
  },
  build(p, top) {
    const m = top.module(`sat_add_${intTag(p.width, p.signed)}`);
    const type = p.signed ? SInt(p.width) : UInt(p.width);
    const a = m.input('a', type, 'addend');
    const b = m.input('b', type, 'addend');
    if (p.latency >= 2) m.stage();
    const sum = a.add(b).named('sum'); // one bit wider than the operands: never wraps
    const high = sum.bit(p.width); // the sign of a signed sum, the carry of an unsigned one
    // Signed: out of range when the two top bits differ; unsigned: when there is a carry.
    const over = (p.signed ? high.xor(sum.bit(p.width - 1)) : high).named('overflowed');
    const { min, max } = typeRange(type);
    const bound = p.signed ? mux(high, a.operand(min), a.operand(max)) : a.operand(max);
    const s = mux(over, bound, sum.resize(p.width)).named('sum_sat');
    if (p.latency >= 1) m.stage();
    m.output('s', s, 'a + b, saturated');
    return m.build();
  },
});

export type SatAddParams = GeneratorParams<typeof satAdd>;
