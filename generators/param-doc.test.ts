import { describe, expect, it } from 'vitest';
import { paramDocs } from './param-doc.ts';
import { GENERATORS, generatorByName } from './registry.ts';

describe('parameter documentation from the schemas', () => {
  it('reads type, default, allowed values and description', () => {
    const docs = paramDocs(generatorByName('int_mac')!);
    expect(docs.map((d) => d.name)).toEqual([
      'aWidth',
      'bWidth',
      'aSigned',
      'bSigned',
      'accWidth',
      'overflow',
      'multiplier',
      'latency',
      'ready',
      'fmax',
      'target',
      'placement',
    ]);
    expect(docs.find((d) => d.name === 'latency')).toMatchObject({
      type: 'integer',
      allowed: '0..3',
      default: 1,
    });
    expect(docs.find((d) => d.name === 'fmax')).toMatchObject({
      type: 'number',
      allowed: 'above 0',
      default: 'none',
    });
    expect(docs.find((d) => d.name === 'target')).toMatchObject({
      type: 'choice',
      allowed: 'ice40, ecp5, ecp5-8, lut6',
      default: 'none',
    });
    expect(docs.find((d) => d.name === 'accWidth')).toEqual({
      name: 'accWidth',
      type: 'integer',
      allowed: '2..256',
      default: 32,
      description: 'Accumulator width; signed when either operand is signed.',
    });
    expect(docs.find((d) => d.name === 'overflow')).toMatchObject({
      type: 'choice',
      allowed: 'wrap, saturate',
      default: 'wrap',
    });
    expect(docs.find((d) => d.name === 'ready')).toMatchObject({
      type: 'boolean or choice',
      allowed: 'true, false; skid',
      default: false,
    });
  });

  it('tells a default derived from other parameters from a fixed one, and reads lists', () => {
    const docs = paramDocs(generatorByName('reconf_mul')!);
    expect(docs.find((d) => d.name === 'outFormat')).not.toHaveProperty('default');
    expect(docs.find((d) => d.name === 'widths')).toMatchObject({
      type: 'list of integer',
      default: [7, 4, 3],
    });
  });

  it('describes every parameter of every generator', () => {
    const missing = GENERATORS.flatMap((g) =>
      paramDocs(g)
        .filter((d) => d.description.trim() === '')
        .map((d) => `${g.name}.${d.name}`),
    );
    expect(missing).toEqual([]);
  });
});
