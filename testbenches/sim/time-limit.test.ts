import { afterEach, describe, expect, it } from 'vitest';
import { timeLimit, TIMEOUT_VARIABLE } from './time-limit.ts';

const saved = process.env[TIMEOUT_VARIABLE];
afterEach(() => {
  if (saved === undefined) delete process.env[TIMEOUT_VARIABLE];
  else process.env[TIMEOUT_VARIABLE] = saved;
});

describe('timeLimit', () => {
  it('grows with the vectors or cycles a simulation runs', () => {
    delete process.env[TIMEOUT_VARIABLE];
    const few = timeLimit({ simulate: 1_000 });
    const many = timeLimit({ simulate: 10_000_000 });
    expect(many).toBeGreaterThan(few);
    // Ten million vectors at a thousand a second take 10,000 s; the limit leaves room for that.
    expect(many).toBeGreaterThanOrEqual(10_000);
    expect(timeLimit('query')).toBeLessThan(timeLimit('build'));
  });

  it('is the user limit for every run when BITSMITH_TIMEOUT is set, and refuses a bad one by name', () => {
    process.env[TIMEOUT_VARIABLE] = '2.5';
    expect(timeLimit({ simulate: 10_000_000 })).toBe(2.5);
    expect(timeLimit('build')).toBe(2.5);
    process.env[TIMEOUT_VARIABLE] = 'soon';
    expect(() => timeLimit('build')).toThrow(
      /BITSMITH_TIMEOUT 'soon' is not allowed: use a number of seconds above 0 and at most 2000000/,
    );
    process.env[TIMEOUT_VARIABLE] = '0';
    expect(() => timeLimit('build')).toThrow(/BITSMITH_TIMEOUT '0' is not allowed/);
  });
});
