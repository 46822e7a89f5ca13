import type { Mapping } from './features.ts';
import { CALIBRATED } from './calibrated.ts';

/** The targets the delay model knows: the nextpnr devices of `bitsmith synth --pnr`, and a LUT6 family. */
export const TIMING_TARGETS = ['ice40', 'ecp5', 'ecp5-8', 'lut6'] as const;
export type TimingTarget = (typeof TIMING_TARGETS)[number];

/**
 * A target's delays (ns) for each unit of path cost (features.ts), and the fixed cost of a register to
 * register path (clock to output, setup, the first and last hop of routing). Routing between LUTs is in
 * `lutNs`; `fanoutNs` is added per doubling of a net's loads.
 */
export interface DelayModel {
  mapping: Mapping;
  registerNs: number;
  lutNs: number;
  /** A 2:1 mux level of a barrel shifter (wide muxes have their own fast cells). */
  muxNs: number;
  /** Per-level delays grow as (bits of logic / 1000) to this power: longer routes in larger designs. */
  sizeExponent: number;
  /** The path's delay grows as (path / 5 ns) to this power: long paths cross more of the die. */
  pathExponent: number;
  carryBitNs: number;
  chainNs: number;
  /** The hop from a carry chain's sum bits into a comparison's chain (docs/timing.md#ripple). */
  chainExitNs: number;
  dspNs: number;
  bramNs: number;
  fanoutNs: number;
  /**
   * Not a delay: place and route's median Fmax over the estimate on the calibration data. The fit leans
   * low (flows/timing/calibrate.ts), so this is above 1: what a unit typically reaches.
   */
  typicalRatio: number;
}

/** The logic mapping of each target (Yosys synth_ice40, synth_ecp5; LUT6 parts as synth_xilinx maps them). */
export const MAPPINGS: Record<TimingTarget, Mapping> = {
  ice40: { lutInputs: 4, lutCarryMaxWidth: 2 },
  ecp5: { lutInputs: 4, dspMinWidth: 2, dspMaxWidth: 18, lutCarryMaxWidth: 4 },
  'ecp5-8': { lutInputs: 4, dspMinWidth: 2, dspMaxWidth: 18, lutCarryMaxWidth: 4 },
  lut6: { lutInputs: 6, dspMinWidth: 2, dspMaxWidth: 18, lutCarryMaxWidth: 2 },
};

/**
 * The fitted delays of each target. No Xilinx place and route runs here to calibrate `lut6`: it takes
 * the ECP5 speed 8 delays with 6-input LUTs, a rough guide (docs/timing.md#calibration).
 */
export const DELAY_MODELS: Record<TimingTarget, DelayModel> = {
  ice40: { mapping: MAPPINGS.ice40, ...CALIBRATED.ice40 },
  ecp5: { mapping: MAPPINGS.ecp5, ...CALIBRATED.ecp5 },
  'ecp5-8': { mapping: MAPPINGS['ecp5-8'], ...CALIBRATED['ecp5-8'] },
  lut6: { mapping: MAPPINGS.lut6, ...CALIBRATED['ecp5-8'] },
};

/** What place and route typically reaches on `target` for a unit estimated at `estimatedMhz`. */
export function typicalMhz(target: TimingTarget, estimatedMhz: number): number {
  return estimatedMhz * DELAY_MODELS[target].typicalRatio;
}
