import type { SynthTarget } from '../synth/types.ts';

/** An iCE40 part that nextpnr-ice40 places the Fmax wrapper on. */
export interface Ice40Device {
  /** nextpnr-ice40's device flag, e.g. '--hx8k'. */
  flag: string;
  package: string;
  /** 'hx8k-ct256', shown in reports. */
  name: string;
  luts: number;
}

/**
 * The device per synthesis target. ice40 (LUTs only): the HX8K, the largest iCE40 by LUT count (7,680)
 * and of the fast HX speed grade, in the CT256 package. ice40-dsp: the UP5K (5,280 LUTs), the iCE40
 * with SB_MAC16 DSP blocks, in the SG48 package; the wrapper's at most 9 pins fit either package.
 */
export const FMAX_DEVICES: Partial<Record<SynthTarget, Ice40Device>> = {
  ice40: { flag: '--hx8k', package: 'ct256', name: 'hx8k-ct256', luts: 7680 },
  'ice40-dsp': { flag: '--up5k', package: 'sg48', name: 'up5k-sg48', luts: 5280 },
};

/** The clock nextpnr's timing-driven placement and routing aim at; Fmax is what it achieves. */
export const FMAX_TARGET_MHZ = 200;

/** nextpnr's placer seed: the same seed, design and nextpnr give the same Fmax. */
export const FMAX_SEED = 1;
