import { describe, expect, it } from 'vitest';
import { parseOverrides, resolveTarget } from '../flows/target.ts';
import { parseParams } from './generator.ts';
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
