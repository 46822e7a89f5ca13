import { describe, expect, it } from 'vitest';
import { parseOverrides, resolveTarget } from '../flows/target.ts';
import { objectShape, parseParams } from './generator.ts';
import { GENERATORS } from './registry.ts';
import { intMac } from './mac/int_mac.ts';

describe('the unknown-parameter check', () => {
  // Names every object inherits: an `in` test finds them in the schema's prototype chain.
  for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    it(`refuses '${key}', named, with the parameters there are`, () => {
      const raw = JSON.parse(`{"${key}": 1}`) as Record<string, unknown>;
      expect(() => parseParams(intMac, raw)).toThrow(
        new RegExp(`int_mac: unknown parameter '${key}'; parameters are aWidth, bWidth`),
      );
    });

    it(`refuses --set ${key}=1 on the command line`, () => {
      expect(() => resolveTarget('int_mac', parseOverrides([`${key}=1`]))).toThrow(
        `unknown parameter '${key}'`,
      );
    });
  }
});

describe('the rule every pipelined generator shares', () => {
  const pipelined = GENERATORS.filter((g) => {
    const shape = objectShape(g.params) ?? {};
    return 'latency' in shape && 'ready' in shape && g.readyAtLatency0 !== true;
  });

  it('leaves units with state at latency 0 alone: an accumulator holds a stalled result', () => {
    expect(parseParams(intMac, { ready: true, latency: 0 })).toMatchObject({ ready: true, latency: 0 });
  });

  it('applies to the pipelined generators', () => {
    expect(pipelined.map((g) => g.name)).toEqual(
      expect.arrayContaining(['int_mul', 'fp_mul', 'fp_mac', 'dequant']),
    );
  });

  for (const generator of pipelined) {
    it(`${generator.name}: refuses backpressure without a stage, and takes it with one`, () => {
      expect(() => parseParams(generator, { ready: true, latency: 0 })).toThrow(
        `${generator.name}: parameter 'ready' = true is not allowed: valid/ready backpressure needs latency 1 or more`,
      );
      expect(parseParams(generator, { ready: true, latency: 1 })).toMatchObject({ ready: true, latency: 1 });
    });
  }
});
