import { isControlPort, type Module } from '../generators/hdl/ir.ts';
import type { UnitUnderTest } from './sim/types.ts';

/** What a simulator needs to know of a module: its data ports, timing and the files that define it. */
export function unitUnderTest(module: Module, files: string[]): UnitUnderTest {
  const timing = module.timing;
  if (timing.kind === 'sequential')
    throw new Error(`${module.name} is sequential: it has a stream testbench, not a vector testbench`);
  const data = (direction: 'input' | 'output') =>
    module.ports
      .filter((p) => p.direction === direction && !isControlPort(p.name))
      .map((p) => ({ name: p.name, width: p.type.width, signed: p.type.signed }));
  return {
    top: module.name,
    files,
    inputs: data('input'),
    outputs: data('output'),
    timing,
    module,
  };
}
