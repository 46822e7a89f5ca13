import { z } from 'zod';
import { boolParam, intParam, readyParam, type Generator } from '../generator.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { intTag, timingTag } from '../naming.ts';

export const intMulParams = z.object({
  aWidth: intParam(1, 64).default(8).describe('bits of operand a'),
  bWidth: intParam(1, 64).default(8).describe('bits of operand b'),
  aSigned: boolParam().default(true).describe("a is two's complement (else unsigned)"),
  bSigned: boolParam().default(true).describe("b is two's complement (else unsigned)"),
  latency: intParam(0, 3)
    .default(0)
    .describe(
      'Register stages: 0 combinational; 1 registers the product; 2 also the inputs; 3 adds one more stage for retiming.',
    ),
  ready: readyParam(),
});

export type IntMulParams = z.output<typeof intMulParams>;

/** Integer multiplier: the full product of A and B (signed, unsigned or mixed). */
export const intMul: Generator<typeof intMulParams> = {
  name: 'int_mul',
  family: 'mul',
  summary: 'integer multiplier A×B with the full-width product, signed, unsigned or mixed, latency 0..3',
  params: intMulParams,
  build(p) {
    const name = `int_mul_${intTag(p.aWidth, p.aSigned)}_${intTag(p.bWidth, p.bSigned)}_${timingTag(p.latency, p.ready)}`;
    const m = new ModuleBuilder(name, { generator: 'int_mul', params: p }, { ready: p.ready });
    const type = (w: number, s: boolean) => (s ? SInt(w) : UInt(w));
    const a = m.input('a', type(p.aWidth, p.aSigned), 'multiplicand');
    const b = m.input('b', type(p.bWidth, p.bSigned), 'multiplier');
    if (p.latency >= 2) m.stage();
    const product = a.mul(b).named('product');
    if (p.latency >= 3) m.stage();
    if (p.latency >= 1) m.stage();
    m.output('p', product, 'full product a×b');
    return m.build();
  },
};
