// The contract between generated units and the simulators that check them.
// A unit is described by its data ports and its timing; control ports follow fixed names:
//   clocked units: clk, rst (synchronous, active high), in_valid -> out_valid;
//   with backpressure also in_ready (output) and out_ready (input). A unit whose out_valid is high
//   while out_ready is low holds its whole pipeline (a stall freezes every stage).

import type { Module } from '../../generators/hdl/ir.ts';

export interface DataPort {
  name: string;
  width: number;
  signed: boolean;
}

export type UnitTiming =
  | { kind: 'comb' }
  /** `skid`: in_ready is a register behind a one-entry output skid buffer (generators/hdl/lower.ts). */
  | { kind: 'pipelined'; latency: number; ready: boolean; skid?: true };

export interface UnitUnderTest {
  /** Top module name. */
  top: string;
  /** Verilog files (absolute paths) that together define `top`. */
  files: string[];
  /** Data inputs in stimulus column order (control ports excluded). */
  inputs: DataPort[];
  /** Data outputs in expected column order (control ports excluded). */
  outputs: DataPort[];
  timing: UnitTiming;
  /**
   * The IR the files were emitted from, when known. The RTL simulators ignore it; the hls simulator
   * emits and compiles the unit's HLS C++ from it (a unit without it cannot run there).
   */
  module?: Module;
}

/** Vectors in the unit's port order: a plan's named columns are put in it by testbenches/align-vectors.ts. */
export interface VectorSet {
  /** stimulus[i][p]: value of input port p in vector i, as an unsigned bit pattern of the port's width. */
  stimulus: bigint[][];
  /** expected[i][p]: value of output port p for vector i, as an unsigned bit pattern. */
  expected: bigint[][];
  /** The columns' input port names, when named: they must be the unit's inputs, in order. */
  inputs?: readonly string[];
  /** The columns' output port names, when named: they must be the unit's outputs, in order. */
  outputs?: readonly string[];
}

export interface SimOptions {
  /** Folder for the testbench, vector files, build products and logs; created if missing. */
  workDir: string;
  /** Seed for the input-bubble and output-backpressure patterns; the same seed gives the same run. */
  seed: number;
  /** Insert random idle cycles between input vectors (clocked units only). */
  bubbles: boolean;
  /** Write a VCD waveform into workDir. */
  vcd: boolean;
  /** How many mismatches to report in detail (the testbench still counts all of them). */
  maxMismatches?: number;
}

export interface Mismatch {
  index: number;
  port: string;
  expected: bigint;
  actual: bigint;
}

export interface SimResult {
  simulator: string;
  passed: number;
  failed: number;
  /** The first maxMismatches mismatches, in vector order. */
  mismatches: Mismatch[];
  /** Clock cycles simulated (0 for combinational units). */
  cycles: number;
  /** Seconds spent compiling the testbench and design. */
  buildSeconds: number;
  /** Seconds spent running the simulation. */
  runSeconds: number;
  logPath: string;
  vcdPath?: string;
}

export interface Simulator {
  /** 'icarus', 'verilator' or 'hls'. */
  readonly name: string;
  /** Debian package that provides the tool, named in the error when it is missing. */
  readonly debianPackage: string;
  available(): Promise<boolean>;
  run(unit: UnitUnderTest, vectors: VectorSet, options: SimOptions): Promise<SimResult>;
}
