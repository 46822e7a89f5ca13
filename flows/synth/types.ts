export const SYNTH_TARGETS = ['generic', 'ice40', 'ice40-dsp', 'ecp5', 'xc7', 'xc7-nodsp'] as const;
export type SynthTarget = (typeof SYNTH_TARGETS)[number];

/** 'yowasp': Yosys compiled to WebAssembly from npm, runs inside Node; 'native': the yosys binary. */
export const SYNTH_ENGINES = ['yowasp', 'native'] as const;
export type SynthEngine = (typeof SYNTH_ENGINES)[number];

export interface SynthOptions {
  /** Verilog files that together define `top`. */
  files: string[];
  top: string;
  target: SynthTarget;
  /** Default 'yowasp'. */
  engine?: SynthEngine;
  /** Receives the Yosys script, its log, stat.json and the JSON netlist; created if missing. */
  workDir: string;
}

export interface AreaReport {
  target: SynthTarget;
  top: string;
  /** Every cell type of the flattened, mapped netlist with its count. */
  cells: Record<string, number>;
  luts: number;
  ffs: number;
  carries: number;
  dsps: number;
  rams: number;
  /** Wall time of the Yosys run. */
  seconds: number;
  /** The mapped netlist (Yosys write_json). */
  netlistPath: string;
  logPath: string;
}
