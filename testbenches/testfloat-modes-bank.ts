// One module that holds a catalog unit in all ten TestFloat configurations (five rounding modes, two
// tininess rules) side by side on shared operands. TestFloat's files for one operation list the same
// operands in every configuration, so one build and one run check all ten: a Verilator build per
// configuration would cost ten times the build time.

import { resolveTarget } from '../flows/target.ts';
import { isControlPort, type Module } from '../generators/hdl/ir.ts';
import { ModuleBuilder } from '../generators/hdl/module.ts';
import type { Signal } from '../generators/hdl/signal.ts';
import {
  TESTFLOAT_MODES,
  TESTFLOAT_ROUNDINGS,
  type TestFloatRounding,
  type Tininess,
} from './vectors/testfloat-modes.ts';

/** The catalog IP configured to one rounding mode and tininess rule. */
function unitInMode(ip: string, rounding: TestFloatRounding, tininess: Tininess): Module {
  return resolveTarget(ip, { rounding: TESTFLOAT_ROUNDINGS[rounding], tininess }).module;
}

/** Output port names of one configuration's copy, e.g. `p_minMag_before`. */
function bankPort(port: string, rounding: TestFloatRounding, tininess: Tininess): string {
  return `${port}_${rounding}_${tininess}`;
}

/**
 * `testfloat_modes_<ip>`: the ten configurations of `ip` as instances fed by the same inputs; each
 * copy's outputs come out under its configuration's name (`bankPort`), in TESTFLOAT_MODES order.
 */
export function testFloatModesBank(ip: string): Module {
  const units = TESTFLOAT_MODES.map((m) => ({ ...m, module: unitInMode(ip, m.rounding, m.tininess) }));
  const first = units[0]!.module;
  const dataPorts = (direction: 'input' | 'output') =>
    first.ports.filter((p) => p.direction === direction && !isControlPort(p.name));
  const b = new ModuleBuilder(`testfloat_modes_${ip}`, { generator: 'testfloat_modes_bank', params: { ip } });
  const inputs: Record<string, Signal> = Object.fromEntries(
    dataPorts('input').map((p) => [p.name, b.input(p.name, p.type)]),
  );
  const outputs = units.map(({ rounding, tininess, module }) =>
    b.instance(module, `${rounding}_${tininess}`, inputs),
  );
  // The copies' outputs come `latency` stages later (every copy has the catalog IP's latency).
  const latency = first.timing.kind === 'pipelined' ? first.timing.latency : 0;
  for (let i = 0; i < latency; i++) b.stage();
  units.forEach(({ rounding, tininess }, i) => {
    for (const p of dataPorts('output')) b.output(bankPort(p.name, rounding, tininess), outputs[i]![p.name]!);
  });
  return b.build();
}
