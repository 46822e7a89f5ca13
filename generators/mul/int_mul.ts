import { defineGenerator, type GeneratorParams } from '../define.ts';
import { boolParam, intParam } from '../generator.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { multiply, multiplierTag } from '../arith/multiplier.ts';
import { multiplierParam } from '../multiplier-param.ts';
import { intTag } from '../naming.ts';

/** Integer multiplier: the full product of A and B (signed, unsigned or mixed). */
export const intMul = defineGenerator({
  name: 'int_mul',
  family: 'mul',
  summary: 'integer multiplier A×B with the full-width product, signed, unsigned or mixed, latency 0..3',
  params: {
    aWidth: intParam(1, 64).default(8).describe('bits of operand a'),
    bWidth: intParam(1, 64).default(8).describe('bits of operand b'),
    aSigned: boolParam().default(true).describe("a is two's complement (else unsigned)"),
    bSigned: boolParam().default(true).describe("b is two's complement (else unsigned)"),
    multiplier: multiplierParam('booth4'),
  },
  latency: {
    max: 3,
    default: 0,
    description:
      'Register stages: 0 combinational; 1 registers the product; 2 also the inputs; 3 adds one more stage for retiming.',
  },
  build(p, top) {
    const variant = multiplierTag(p.multiplier, 'behavioural');
    const m = top.module(`int_mul_${intTag(p.aWidth, p.aSigned)}_${intTag(p.bWidth, p.bSigned)}${variant}`);
    const type = (w: number, s: boolean) => (s ? SInt(w) : UInt(w));
    const a = m.input('a', type(p.aWidth, p.aSigned), 'multiplicand');
    const b = m.input('b', type(p.bWidth, p.bSigned), 'multiplier');
    if (p.latency >= 2) m.stage();
    const product = multiply(a, b, p.multiplier ?? 'auto', 'mul').named('product');
    if (p.latency >= 3) m.stage();
    if (p.latency >= 1) m.stage();
    m.output('p', product, 'full product a×b');
    return m.build();
  },
});

export type IntMulParams = GeneratorParams<typeof intMul>;
