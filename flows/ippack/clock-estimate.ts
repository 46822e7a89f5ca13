import type { Module } from '../../generators/hdl/ir.ts';
import { DEFAULT_TIMING_TARGET } from '../../generators/timing/choose-latency.ts';
import { typicalMhz, type TimingTarget } from '../../generators/timing/delay-model.ts';
import { estimateFmax } from '../../generators/timing/estimate.ts';

/** The devices whose estimate every package states: those bitsmith also places and routes on. */
const ESTIMATED: readonly TimingTarget[] = ['ice40', 'ecp5', 'ecp5-8'];

/** A unit's Fmax as the delay model estimates it (docs/timing.md), and what a clock request chose. */
export interface ClockEstimate {
  /** MHz per device, two decimals. */
  estimated: Partial<Record<TimingTarget, number>>;
  /** Present when the parameters asked for a clock (fmax) instead of a latency. */
  requested?: {
    fmax: number;
    target: TimingTarget;
    /** Where the registers went: the generator's cut points, or where the delay model placed them. */
    placement: 'cuts' | 'model';
    latency: number;
    estimatedMhz: number;
    /**
     * Present when no latency's estimate reaches fmax and the choice rests on what place and route
     * typically gives, the estimate times the target's typical ratio (docs/timing.md#choosing-the-latency).
     */
    typicalMhz?: number;
  };
}

export function clockEstimate(module: Module, params: Readonly<Record<string, unknown>>): ClockEstimate {
  const mhz = (t: TimingTarget) => Number(estimateFmax(module, t).mhz.toFixed(2));
  const estimated = Object.fromEntries(ESTIMATED.map((t) => [t, mhz(t)]));
  if (typeof params.fmax !== 'number') return { estimated };
  const target = (params.target as TimingTarget | undefined) ?? DEFAULT_TIMING_TARGET;
  return {
    estimated,
    requested: {
      fmax: params.fmax,
      target,
      placement: params.placement === 'model' ? 'model' : 'cuts',
      latency: params.latency as number,
      estimatedMhz: mhz(target),
      ...(mhz(target) < params.fmax
        ? { typicalMhz: Number(typicalMhz(target, mhz(target)).toFixed(2)) }
        : {}),
    },
  };
}
