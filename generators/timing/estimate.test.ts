import { describe, expect, it } from 'vitest';
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import type { Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
import { DELAY_MODELS, type DelayModel } from './delay-model.ts';
import { estimateFmax } from './estimate.ts';

const origin = { generator: 'test', params: {} };
/** Round numbers, so that expected periods can be worked out by hand. */
const model: DelayModel = {
  mapping: { lutInputs: 4, lutCarryMaxWidth: 2 },
  registerNs: 2,
  lutNs: 1,
  muxNs: 1,
  sizeExponent: 0,
  pathExponent: 1,
  carryBitNs: 0.1,
  chainNs: 0.5,
  chainExitNs: 0,
  dspNs: 3,
  bramNs: 2,
  fanoutNs: 0,
  typicalRatio: 1,
};
const period = (m: Module, delays: DelayModel = model) => estimateFmax(m, 'ecp5', delays).periodNs;

/** Inputs `x` and `y` of `width` bits, and their sum. */
const inputSum = (m: ModuleBuilder, width: number, name = 'sum') =>
  m
    .input('x', UInt(width))
    .add(m.input('y', UInt(width)))
    .named(name);

/** `x + y` on `width` bits, with `cuts` stage cuts after it. */
function adder(width: number, cuts = 0): Module {
  const m = new ModuleBuilder(`add${width}_${cuts}`, origin);
  const sum = inputSum(m, width);
  for (let i = 0; i < cuts; i++) m.stage();
  m.output('s', sum);
  return m.build();
}

describe('the delay model on small circuits', () => {
  it('prices a carry chain by its entry and its bits', () => {
    // registers 2 + chain 0.5 + 17 bits (the sum keeps its carry) × 0.1 = 4.2 ns
    expect(period(adder(16))).toBeCloseTo(4.2, 6);
    expect(period(adder(32))).toBeCloseTo(5.8, 6);
  });

  it('lets chained adders overlap: their low bits are ready early', () => {
    const m = new ModuleBuilder('add3', origin);
    const [x, y, z] = ['x', 'y', 'z'].map((n) => m.input(n, UInt(32)));
    m.output('s', x!.add(y!).add(z!));
    // x + y is 33 bits: its low bit at 0.6 ns, its top at 3.8. The 34-bit second chain ends at
    // max(3.8 + 0.5 + 0.1, 0.6 + 0.5 + 3.4) = 4.5 ns: 6.5 with the registers, not 2 + 3.8 + 3.9 = 9.7
    expect(period(m.build())).toBeCloseTo(6.5, 6);
  });

  it("adds a bit into a sum nothing else reads as that sum's carry-in, not a second chain", () => {
    const m = new ModuleBuilder('add_carry_in', origin);
    const sum = inputSum(m, 32);
    m.output('s', sum.add(m.input('c', UInt(1)).zext(33), { width: 33 }));
    // One 33-bit chain as in adder(32), and the carry-in's own bit: 5.8 + 0.1 ns, not another 0.5 entry
    expect(period(m.build())).toBeCloseTo(5.9, 6);
    // Read elsewhere too, the sum is a chain of its own and the bit enters a second one.
    const shared = new ModuleBuilder('add_shared', origin);
    const s = inputSum(shared, 32);
    shared.output('sum', s);
    shared.output('s', s.add(shared.input('c', UInt(1)).zext(33), { width: 33 }));
    expect(period(shared.build())).toBeGreaterThan(5.9 + 0.4);
  });

  it('prices an addition too narrow for a carry chain on the target as LUT logic', () => {
    const narrow = adder(3);
    // A 4-bit sum: a chain of 0.5 + 4 × 0.1 on a target that maps it so
    expect(period(narrow)).toBeCloseTo(2 + 0.9, 6);
    // ECP5's mapping leaves sums of up to 4 bits to LUTs: the top bit reads 8 bits, 1.5 levels
    const ecp5Like = { ...model, mapping: { ...model.mapping, lutCarryMaxWidth: 4 } };
    expect(period(narrow, ecp5Like)).toBeCloseTo(2 + 1.5, 6);
    // A 5-bit sum takes a chain on both.
    expect(period(adder(4), ecp5Like)).toBeCloseTo(period(adder(4)), 6);
  });

  it('prices a chain of single-use gates as one tree of LUTs', () => {
    const chain = new ModuleBuilder('or_chain', origin);
    const bits = Array.from({ length: 16 }, (_, i) => chain.input(`b${i}`, UInt(1)));
    chain.output(
      'any',
      bits.reduce((a, b) => a.or(b)),
    );
    // 16 leaves on 4-input LUTs: two levels, however the chain is written
    expect(period(chain.build())).toBeCloseTo(4, 6);
    const tree = new ModuleBuilder('or_tree', origin);
    let level: Signal[] = Array.from({ length: 16 }, (_, i) => tree.input(`b${i}`, UInt(1)));
    while (level.length > 1) level = level.flatMap((s, i) => (i % 2 === 0 ? [s.or(level[i + 1]!)] : []));
    tree.output('any', level[0]!);
    expect(period(tree.build())).toBeCloseTo(4, 6);
  });

  it('prices shared logic of a few input bits as one tree over them, as mapping can duplicate it', () => {
    // Six levels of gates that each read both gates of the level before, all shared (each is also an
    // output, so none merges into a cone): written so, every level reads its two inputs twice over and
    // adds half a level. Yet every gate is a function of two bits: one LUT.
    const m = new ModuleBuilder('reconverging', origin);
    const x = m.input('x', UInt(2));
    let [p, q] = [x.bit(0), x.bit(1)];
    for (let level = 1; level <= 6; level++) {
      [p, q] = [p.xor(q).named(`p${level}`), p.and(q).named(`q${level}`)];
      m.output(`p${level}_out`, p);
      m.output(`q${level}_out`, q);
    }
    // 2 leaf bits on 4-input LUTs: half a level, after the registers' 2 ns
    expect(period(m.build())).toBeCloseTo(2 + 0.5, 6);
  });

  it("charges a comparison fed by a chain's sum bits for the hop between the chains", () => {
    const m = new ModuleBuilder('add_compare', origin);
    const sum = inputSum(m, 8);
    const z = m.input('z', UInt(9));
    m.output('big', sum.gt(z));
    const built = m.build();
    // The comparison's chain ends 0.7 ns later with the hop than without it.
    expect(period(built, { ...model, chainExitNs: 0.7 }) - period(built)).toBeCloseTo(0.7, 6);
    // A second addition is not charged: synthesis merges the two into one adder.
    const adds = new ModuleBuilder('add_add', origin);
    const s = inputSum(adds, 8);
    adds.output('total', s.add(adds.input('z', UInt(9))));
    const twice = adds.build();
    expect(period(twice, { ...model, chainExitNs: 0.7 })).toBeCloseTo(period(twice), 6);
  });

  it('gets faster with stage cuts, and finds the slowest stage', () => {
    const m = new ModuleBuilder('two_stages', origin);
    const wide = inputSum(m, 48, 'wide');
    m.stage();
    m.output(
      's',
      wide
        .slice(7, 0)
        .add(m.input('z', UInt(8)))
        .named('narrow'),
    );
    const built = m.build();
    const estimate = estimateFmax(built, 'ecp5', model);
    expect(estimate.periodNs).toBeCloseTo(2 + 0.5 + 4.9, 6);
    expect(estimate.to).toBe('wide_s1');
    expect(period(adder(48, 1))).toBeLessThan(period(adder(48, 0)) + 1e-9);
  });

  it('names a loop: a register whose next value depends on itself', () => {
    const m = new ModuleBuilder('accumulate', origin, { sequential: true });
    const acc = m.register('acc_q', UInt(40), { reset: 0 });
    acc.next(acc.add(m.input('x', UInt(40)), { width: 40 }));
    m.output('acc', acc);
    const estimate = estimateFmax(m.build(), 'ecp5', model);
    expect(estimate).toMatchObject({ loop: true, from: 'acc_q', to: 'acc_q' });
    expect(estimate.periodNs).toBeCloseTo(2 + 0.5 + 4, 6);
  });

  it("counts a child's logic on the parent's paths", () => {
    const child = new ModuleBuilder('wide_child', origin);
    child.output('s', child.input('a', UInt(64)).add(child.input('b', UInt(64))));
    const built = child.build();
    const parent = new ModuleBuilder('parent', origin);
    const { s } = parent.instance(built, 'u_child', {
      a: parent.input('x', UInt(64)),
      b: parent.input('y', UInt(64)),
    });
    parent.output('s', s!.slice(63, 56).add(parent.input('z', UInt(8))));
    // the child's chain (6.9 ns after registers) then the parent's 8-bit adder after its top byte
    const estimate = estimateFmax(parent.build(), 'ecp5', model);
    expect(estimate.periodNs).toBeGreaterThan(period(built));
    expect(estimate.from).toMatch(/^[xy]$/);
  });

  it('adds a block RAM read at the register it loads', () => {
    const m = new ModuleBuilder('ram_read', origin, { sequential: true });
    const mem = m.memory('store', UInt(8), 16);
    const address = m.input('address', UInt(4));
    mem.write(address, m.input('data', UInt(8)), m.input('write', UInt(1)));
    const word = m.register('word_q', UInt(8));
    word.next(mem.read(address));
    m.output('y', word.add(m.input('z', UInt(8))));
    // 2 (registers) + 2 (block RAM clock to output) + 0.5 + 9 bits × 0.1
    expect(period(m.build())).toBeCloseTo(5.4, 6);
  });

  it('is calibrated: each target has positive delays, and a typical ratio above 1 (the fit leans low)', () => {
    for (const delays of Object.values(DELAY_MODELS)) {
      for (const key of ['registerNs', 'lutNs', 'carryBitNs', 'chainNs', 'dspNs', 'bramNs'] as const)
        expect(delays[key]).toBeGreaterThan(0);
      expect(delays.typicalRatio).toBeGreaterThan(1);
      expect(delays.typicalRatio).toBeLessThan(1.5);
    }
  });
});
