import type { ToolName } from '../tools.ts';

/** The devices bitsmith places and routes a unit on to measure its Fmax. */
export const FMAX_TARGETS = ['ice40', 'ice40-dsp', 'ecp5', 'ecp5-8'] as const;
export type FmaxTarget = (typeof FMAX_TARGETS)[number];

/** An FPGA part, the synthesis that maps to it and the nextpnr that places the Fmax wrapper on it. */
export interface FmaxDevice {
  /** 'hx8k-ct256', shown in reports. */
  name: string;
  /** A phrase for reports: 'iCE40 HX8K'. */
  family: string;
  pnr: Extract<ToolName, 'nextpnr-ice40' | 'nextpnr-ecp5'>;
  /** nextpnr's device, package and speed-grade arguments. */
  deviceArgs: string[];
  /** The Yosys command that maps the wrapper (`-top` and `-json` are added). */
  synth: string;
  /** The LUT cell in Yosys' mapped netlist, counted before placement to skip a design that cannot fit. */
  lutCell: string;
  luts: number;
  /** The logic-cell resource in nextpnr's utilization report. */
  logicCell: string;
  /** The clock nextpnr's timing-driven placement and routing aim at (MHz); Fmax is what it achieves. */
  aimMhz: number;
}

/**
 * ice40: the HX8K, the largest iCE40 by LUT count (7,680) and of the fast HX speed grade, CT256
 * package. ice40-dsp: the UP5K (5,280 LUTs), the iCE40 with SB_MAC16 DSP blocks, SG48 package.
 * ecp5 and ecp5-8: the LFE5U-85F (83,640 LUT4s, 156 18×18 multipliers, 208 DP16KD block RAMs) in the
 * CABGA381 package of common ECP5 boards, speed grade 6 (the slowest, the one those boards carry)
 * and 8 (the fastest). The wrapper's at most 9 pins fit every package.
 */
export const FMAX_DEVICES: Record<FmaxTarget, FmaxDevice> = {
  ice40: {
    name: 'hx8k-ct256',
    family: 'iCE40 HX8K',
    pnr: 'nextpnr-ice40',
    deviceArgs: ['--hx8k', '--package', 'ct256'],
    synth: 'synth_ice40',
    lutCell: 'SB_LUT4',
    luts: 7680,
    logicCell: 'ICESTORM_LC',
    aimMhz: 200,
  },
  'ice40-dsp': {
    name: 'up5k-sg48',
    family: 'iCE40 UP5K',
    pnr: 'nextpnr-ice40',
    deviceArgs: ['--up5k', '--package', 'sg48'],
    synth: 'synth_ice40 -dsp',
    lutCell: 'SB_LUT4',
    luts: 5280,
    logicCell: 'ICESTORM_LC',
    aimMhz: 200,
  },
  ecp5: {
    name: 'lfe5u-85f-6-cabga381',
    family: 'ECP5-85 speed 6',
    pnr: 'nextpnr-ecp5',
    deviceArgs: ['--85k', '--package', 'CABGA381', '--speed', '6'],
    synth: 'synth_ecp5',
    lutCell: 'LUT4',
    luts: 83640,
    logicCell: 'TRELLIS_COMB',
    aimMhz: 300,
  },
  'ecp5-8': {
    name: 'lfe5u-85f-8-cabga381',
    family: 'ECP5-85 speed 8',
    pnr: 'nextpnr-ecp5',
    deviceArgs: ['--85k', '--package', 'CABGA381', '--speed', '8'],
    synth: 'synth_ecp5',
    lutCell: 'LUT4',
    luts: 83640,
    logicCell: 'TRELLIS_COMB',
    aimMhz: 300,
  },
};

/** The Fmax targets a synthesis target asks for with `--pnr`: ECP5 is measured at both speed grades. */
export function fmaxTargetsOf(synthTarget: string): FmaxTarget[] {
  if (synthTarget === 'ecp5') return ['ecp5', 'ecp5-8'];
  return synthTarget === 'ice40' || synthTarget === 'ice40-dsp' ? [synthTarget] : [];
}

/** nextpnr's placer seed: the same seed, design and nextpnr give the same Fmax. */
export const FMAX_SEED = 1;
