// Collapse a small combinational function into a table of constants. The function is built from the
// ordinary datapath blocks in a scratch module, evaluated for every value of its few input bits, and
// emitted as a ROM module (a select of constants) that the caller instantiates: logic that synthesis
// cannot see through (adders and comparators of a few bits become carry chains) turns into one LUT
// level per output bit. The table holds what the hardware computes, never a golden-model result.

import { Evaluator } from '../hdl/evaluate.ts';
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { select, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';

/** At most this many index bits (a 256-entry table). */
export const TABULATE_MAX_BITS = 8;

export interface Rom {
  module: Module;
  /** Output names and widths, in port order. */
  outputs: { name: string; width: number }[];
}

/**
 * The ROM of `build` over an `indexBits`-bit input: module `name` with input `index` and one unsigned
 * output per entry of what `build` returns.
 */
export function tabulate(
  name: string,
  indexBits: number,
  build: (index: Signal) => Record<string, Signal>,
): Rom {
  if (indexBits > TABULATE_MAX_BITS)
    throw new Error(`tabulate ${name}: ${indexBits} index bits are too many (at most ${TABULATE_MAX_BITS})`);
  const scratch = new ModuleBuilder(`${name}_scratch`, { generator: 'tabulate', params: {} });
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
  const rom = new ModuleBuilder(name, { generator: 'dequant', params: { rom: name } });
  const index = rom.input('index', UInt(indexBits));
  for (const column of columns) {
    const first = column.values[0]!;
    const value = column.values.every((v) => v === first)
      ? rom.constant(first, UInt(column.width))
      : select(
          index,
          column.values.map((v) => rom.constant(v, UInt(column.width))),
        );
    rom.output(column.name, value);
  }
  return { module: rom.build(), outputs: columns.map(({ name: n, width }) => ({ name: n, width })) };
}
