// Collapse a small combinational function into a table of constants. The function is built from the
// ordinary datapath blocks in a scratch module, evaluated for every value of its few input bits, and
// emitted as a ROM module (select trees of constants) that each lane instantiates: logic that synthesis
// cannot see through (adders and comparators of a few bits become carry chains) turns into one LUT
// level per output bit. The table holds what the hardware computes, never a golden-model result.

import { Evaluator } from './evaluate.ts';
import type { Module } from './ir.ts';
import { ModuleBuilder } from './module.ts';
import { mux, type Signal } from './signal.ts';
import { UInt } from './types.ts';

/** At most this many index bits (a 256-entry table). */
export const TABULATE_MAX_BITS = 8;

export interface Rom {
  indexBits: number;
  /** Output names, widths and their value for every index. */
  columns: { name: string; width: number; values: bigint[] }[];
}

/** The table of `build` over an `indexBits`-bit input: every output's value for every index. */
export function tabulate(indexBits: number, build: (index: Signal) => Record<string, Signal>): Rom {
  if (indexBits > TABULATE_MAX_BITS)
    throw new Error(`tabulate: ${indexBits} index bits are too many (at most ${TABULATE_MAX_BITS})`);
  const scratch = new ModuleBuilder('tabulate_scratch', { generator: 'tabulate', params: {} });
  const outputs = build(scratch.input('index', UInt(indexBits)));
  for (const [port, signal] of Object.entries(outputs)) scratch.output(port, signal.asUnsigned());
  const evaluator = new Evaluator(scratch.build());
  const columns = Object.entries(outputs).map(([port, signal]) => ({
    name: port,
    width: signal.width,
    values: [] as bigint[],
  }));
  for (let i = 0; i < 2 ** indexBits; i++) {
    evaluator.set('index', i);
    for (const column of columns) column.values.push(evaluator.get(column.name));
  }
  return { indexBits, columns };
}

/**
 * The table as a combinational module `name` (input `index`, one output per column) of `generator`'s
 * unit, for instantiating once per lane: the simulators and the HLS compiler then handle one small
 * function, not one per lane.
 */
export function romModule(rom: Rom, name: string, generator: string): Module {
  const b = new ModuleBuilder(name, { generator, params: { rom: name } });
  const index = b.input('index', UInt(rom.indexBits));
  for (const c of rom.columns) b.output(c.name, romTree(index, c.values, c.width));
  return b.build();
}

/** An instance of the ROM module looking `index` up; its outputs by column name. */
export function lookup(
  m: ModuleBuilder,
  module: Module,
  index: Signal,
  instance: string,
): Record<string, Signal> {
  return m.instance(module, instance, { index });
}

/**
 * values[index] as a tree of 2:1 selects on the index bits, most significant first, in which a range
 * of equal values is one constant: the simulators evaluate only as many selects as the table has
 * distinct runs.
 */
function romTree(index: Signal, values: readonly bigint[], width: number): Signal {
  const m = index.builder;
  const build = (from: number, count: number, bit: number): Signal => {
    const first = values[from]!;
    let same = true;
    for (let i = from + 1; i < from + count && same; i++) same = values[i] === first;
    if (same) return m.constant(first, UInt(width));
    const half = count / 2;
    return mux(index.bit(bit), build(from + half, half, bit - 1), build(from, half, bit - 1));
  };
  return build(0, values.length, index.width - 1);
}
