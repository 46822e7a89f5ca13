import 'reflect-metadata';
import {
  container as rootContainer,
  Lifecycle,
  type DependencyContainer,
  type InjectionToken,
} from 'tsyringe';
import { HlsSimulator } from './hls.ts';
import { IcarusSimulator } from './icarus.ts';
import type { Simulator } from './types.ts';
import { VerilatorSimulator } from './verilator.ts';

export const ICARUS_SIMULATOR: InjectionToken<Simulator> = 'Simulator.icarus';
export const VERILATOR_SIMULATOR: InjectionToken<Simulator> = 'Simulator.verilator';
export const HLS_SIMULATOR: InjectionToken<Simulator> = 'Simulator.hls';

/** Icarus and Verilator run the Verilog; hls compiles the HLS C++ with g++ (C-simulation). */
export const SIMULATOR_NAMES = ['icarus', 'verilator', 'hls'] as const;
export type SimulatorName = (typeof SIMULATOR_NAMES)[number];
export type SimulatorChoice = SimulatorName | 'all';

const TOKENS: Record<SimulatorName, InjectionToken<Simulator>> = {
  icarus: ICARUS_SIMULATOR,
  verilator: VERILATOR_SIMULATOR,
  hls: HLS_SIMULATOR,
};

/**
 * Registers the simulators under their tokens. A token that is already registered is left alone,
 * so a caller (or a test) can put its own Simulator there first.
 */
export function registerSimulators(target: DependencyContainer = rootContainer): DependencyContainer {
  // Explicit useClass registrations: esbuild-based runners emit no decorator metadata to infer them from.
  if (!target.isRegistered(ICARUS_SIMULATOR)) {
    target.register(ICARUS_SIMULATOR, { useClass: IcarusSimulator }, { lifecycle: Lifecycle.Singleton });
  }
  if (!target.isRegistered(VERILATOR_SIMULATOR)) {
    target.register(
      VERILATOR_SIMULATOR,
      { useClass: VerilatorSimulator },
      { lifecycle: Lifecycle.Singleton },
    );
  }
  if (!target.isRegistered(HLS_SIMULATOR)) {
    target.register(HLS_SIMULATOR, { useClass: HlsSimulator }, { lifecycle: Lifecycle.Singleton });
  }
  return target;
}

/** The simulator named, or every one for 'all' (Icarus, Verilator, then the hls C-simulation). */
export function simulatorsFor(
  choice: SimulatorChoice,
  from: DependencyContainer = rootContainer,
): Simulator[] {
  registerSimulators(from);
  if (choice === 'all') return SIMULATOR_NAMES.map((name) => from.resolve(TOKENS[name]));
  if (!(SIMULATOR_NAMES as readonly string[]).includes(choice)) {
    throw new Error(
      `simulator = ${JSON.stringify(choice)}; expected one of ${[...SIMULATOR_NAMES, 'all'].join(', ')}`,
    );
  }
  return [from.resolve(TOKENS[choice])];
}
