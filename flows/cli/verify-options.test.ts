import { describe, expect, it } from 'vitest';
import { MAX_RANDOM_VECTORS } from '../../testbenches/plans/plan.ts';
import { resolveTarget } from '../target.ts';
import { checkStreamingOptions, simOptions } from './verify.ts';

const options = { sim: 'icarus', vectors: 'default', seed: '1' };

describe('verify options', () => {
  it('quotes a seed above 2^53 as typed, and says what is allowed', () => {
    expect(() => simOptions({ ...options, seed: '18446744073709551617' })).toThrow(
      "--seed '18446744073709551617' is not allowed: use an integer from 0 to 9007199254740991",
    );
    expect(simOptions({ ...options, seed: '9007199254740991' }).seed).toBe(9007199254740991);
  });

  it('caps random:N, with a message that gives the bound', () => {
    expect(simOptions({ ...options, vectors: `random:${MAX_RANDOM_VECTORS}` }).vectors).toEqual({
      kind: 'random',
      count: MAX_RANDOM_VECTORS,
    });
    expect(() => simOptions({ ...options, vectors: 'random:1000000000000' })).toThrow(
      /--vectors 'random:1000000000000' is not allowed: .* random:N with N from 1 to 1000000/,
    );
  });

  describe('a streaming core (GEMV) runs jobs: other vector kinds and --vcd are refused, not ignored', () => {
    const core = resolveTarget('gemv', { rows: 1, lanes: 1, group: 1, maxK: 8, maxN: 8 });
    it('--vectors', () => {
      for (const vectors of ['corner', 'exhaustive', 'random:100']) {
        expect(() => checkStreamingOptions(core, { ...options, vectors })).toThrow(
          `--vectors '${vectors}' is not allowed for ${core.ip}: a streaming core runs its plan's jobs`,
        );
      }
    });
    it('--vcd', () => {
      expect(() => checkStreamingOptions(core, { ...options, vcd: true })).toThrow(
        `--vcd is not allowed for ${core.ip}`,
      );
    });
    it('the defaults pass, and a vector unit takes every kind', () => {
      expect(() => checkStreamingOptions(core, options)).not.toThrow();
      const unit = resolveTarget('int_mul');
      expect(() => checkStreamingOptions(unit, { ...options, vectors: 'corner', vcd: true })).not.toThrow();
    });
  });
});
