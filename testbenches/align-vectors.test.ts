import { describe, expect, it } from 'vitest';
import { alignColumns, alignToUnit } from './align-vectors.ts';
import { joinVectors, type PlannedVectors } from './plans/plan.ts';
import { checkUnitAndVectors } from './sim/check-unit.ts';
import type { UnitUnderTest } from './sim/types.ts';

const unit: UnitUnderTest = {
  top: 'mac_demo',
  files: ['mac_demo.v'],
  inputs: [
    { name: 'a', width: 8, signed: true },
    { name: 'b', width: 4, signed: false },
    { name: 'clear', width: 1, signed: false },
  ],
  outputs: [
    { name: 'acc', width: 16, signed: true },
    { name: 'flags', width: 5, signed: false },
  ],
  timing: { kind: 'pipelined', latency: 2, ready: false },
};

/** Two vectors in the unit's port order. */
const inOrder: PlannedVectors = {
  inputs: ['a', 'b', 'clear'],
  outputs: ['acc', 'flags'],
  stimulus: [
    [0x11n, 0x2n, 1n],
    [0x33n, 0x4n, 0n],
  ],
  expected: [
    [0x22n, 0x1n],
    [0x154n, 0x0n],
  ],
  description: 'two steps',
};

/** The same vectors, columns named in another order. */
const shuffled: PlannedVectors = {
  inputs: ['clear', 'a', 'b'],
  outputs: ['flags', 'acc'],
  stimulus: [
    [1n, 0x11n, 0x2n],
    [0n, 0x33n, 0x4n],
  ],
  expected: [
    [0x1n, 0x22n],
    [0x0n, 0x154n],
  ],
  description: 'two steps, shuffled',
};

const ports = 'module mac_demo has inputs a, b, clear and outputs acc, flags';

describe('alignToUnit', () => {
  it('puts named columns in the unit’s port order', () => {
    const aligned = alignToUnit(shuffled, unit);
    expect(aligned.inputs).toEqual(['a', 'b', 'clear']);
    expect(aligned.outputs).toEqual(['acc', 'flags']);
    expect(aligned.stimulus).toEqual(inOrder.stimulus);
    expect(aligned.expected).toEqual(inOrder.expected);
    expect(aligned.description).toBe('two steps, shuffled');
  });

  it('returns vectors already in port order as they are, without copying the rows', () => {
    expect(alignToUnit(inOrder, unit)).toBe(inOrder);
  });

  it.each([
    [
      'an unknown input',
      { inputs: ['a', 'bb', 'clear'] },
      `vectors 'two steps' name input 'bb', which is not an input of module mac_demo; ${ports}`,
    ],
    [
      'a missing output',
      { outputs: ['acc'], expected: [[0x22n], [0x154n]] },
      `vectors 'two steps' have no column for output 'flags' of module mac_demo; ${ports}`,
    ],
    [
      'a duplicated input',
      { inputs: ['a', 'a', 'clear'] },
      `vectors 'two steps' name input 'a' twice; ${ports}`,
    ],
    [
      'an input named as an output',
      { outputs: ['acc', 'clear'] },
      `vectors 'two steps' name output 'clear', which is not an output of module mac_demo; ${ports}`,
    ],
  ])('refuses %s, naming the port and the module’s ports', (_what, change, message) => {
    expect(() => alignToUnit({ ...inOrder, ...change }, unit)).toThrow(message);
  });

  it('refuses a row with fewer values than named columns', () => {
    const short = { ...shuffled, stimulus: [[1n, 0x11n, 0x2n], [0n]] };
    expect(() => alignToUnit(short, unit)).toThrow('stimulus[1] has 1 values for the 3 columns clear, a, b');
  });
});

describe('joinVectors', () => {
  it('joins sets whose columns are named in another order, in the first set’s order', () => {
    const joined = joinVectors([inOrder, shuffled]);
    expect(joined.inputs).toEqual(['a', 'b', 'clear']);
    expect(joined.outputs).toEqual(['acc', 'flags']);
    expect(joined.stimulus).toEqual([...inOrder.stimulus, ...inOrder.stimulus]);
    expect(joined.expected).toEqual([...inOrder.expected, ...inOrder.expected]);
    expect(joined.description).toBe('two steps + two steps, shuffled');
  });

  it('refuses a part that names other ports', () => {
    const other = { ...shuffled, inputs: ['clear', 'a', 'c'] };
    expect(() => joinVectors([inOrder, other])).toThrow(
      "vectors 'two steps, shuffled' name input 'c', which is not an input of the set 'two steps'",
    );
  });
});

describe('alignColumns', () => {
  it('names the owner it aligns to', () => {
    expect(() =>
      alignColumns(inOrder, { inputs: ['a', 'b'], outputs: ['acc', 'flags'] }, 'the set x'),
    ).toThrow(
      "vectors 'two steps' name input 'clear', which is not an input of the set x; the set x has inputs a, b and outputs acc, flags",
    );
  });
});

describe('a simulator', () => {
  it('refuses named columns that were not put in port order', () => {
    expect(() => checkUnitAndVectors(unit, shuffled)).toThrow(
      'unit mac_demo: the input columns are named clear, a, b; the inputs in port order are a, b, clear',
    );
    expect(() => checkUnitAndVectors(unit, alignToUnit(shuffled, unit))).not.toThrow();
    // Unnamed rows are taken to be in port order already.
    expect(() =>
      checkUnitAndVectors(unit, { stimulus: inOrder.stimulus, expected: inOrder.expected }),
    ).not.toThrow();
  });
});
