// A value carried through a row of registers, one per cycle: what a later stage of the GEMV core needs
// of a chunk or of a close step travels beside it this way.
import type { ModuleBuilder, RegisterSignal } from '../hdl/module.ts';
import type { Signal } from '../hdl/signal.ts';
import type { HdlType } from '../hdl/types.ts';

export interface RegisterLine {
  /** The registers `<name>_<suffix>1` … `<name>_<suffix><length>`. */
  readonly registers: readonly RegisterSignal[];
  /** Load the line from `value`; returns the tap k cycles later (tap 0 is `value` itself). */
  feed(value: Signal): (k: number) => Signal;
}

/** Declare `length` registers (fed later, so that they may be declared before their value exists). */
export function registerLine(
  m: ModuleBuilder,
  name: string,
  suffix: string,
  length: number,
  type: HdlType,
  reset?: number,
): RegisterLine {
  const registers = Array.from({ length }, (_, k) =>
    m.register(`${name}_${suffix}${k + 1}`, type, reset === undefined ? {} : { reset }),
  );
  return {
    registers,
    feed(value) {
      registers.forEach((r, k) => r.next(k === 0 ? value : registers[k - 1]!));
      return (k) => (k === 0 ? value : registers[k - 1]!);
    },
  };
}
