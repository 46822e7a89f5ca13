import { packedLayout, type PortField } from './vector-files.ts';
import { renderTemplate } from '../../generators/emit/templates.ts';
import type { UnitUnderTest } from './types.ts';

export interface TestbenchSettings {
  vectorCount: number;
  seed: number;
  bubbles: boolean;
  vcd: boolean;
  maxMismatches: number;
}

/** The three generated files: the testbench, its Icarus clock wrapper and its Verilator C++ harness. */
export interface TestbenchFiles {
  testbench: string;
  icarusTop: string;
  verilatorMain: string;
}

/** Reset cycles before the first vector is offered. */
export const RESET_CYCLES = 4;

export function renderTestbench(unit: UnitUnderTest, settings: TestbenchSettings): TestbenchFiles {
  const model = testbenchModel(unit, settings);
  return {
    testbench: renderTemplate('tb/testbench.v.hbs', model),
    icarusTop: renderTemplate('tb/icarus-top.v.hbs', model),
    verilatorMain: renderTemplate('tb/verilator-main.cpp.hbs', model),
  };
}

function testbenchModel(unit: UnitUnderTest, settings: TestbenchSettings) {
  const { timing } = unit;
  const clocked = timing.kind === 'pipelined';
  const latency = clocked ? timing.latency : 0;
  const ready = clocked && timing.ready;
  const inputs = packedLayout(unit.inputs).fields.map((field) => portNets(field));
  const outputs = packedLayout(unit.outputs).fields.map((field) => portNets(field));
  const addressBits = Math.max(1, Math.ceil(Math.log2(settings.vectorCount)));
  const stampBits = Math.max(4, Math.ceil(Math.log2(latency + 2)));
  return {
    top: unit.top,
    description: describe(unit, settings),
    vectorCount: settings.vectorCount,
    maxMismatches: settings.maxMismatches,
    clocked,
    latency,
    ready,
    bubbles: clocked && settings.bubbles,
    vcd: settings.vcd,
    resetCycles: RESET_CYCLES,
    // Enough for the pipeline to fill and for long random runs of bubbles or backpressure.
    idleLimit: 4 * latency + 256,
    drainCycles: latency + 4,
    seedHex: mixSeed(settings.seed).toString(16).padStart(8, '0'),
    inputBitsMsb: packedLayout(unit.inputs).bits - 1,
    outputBitsMsb: packedLayout(unit.outputs).bits - 1,
    addressMsb: addressBits - 1,
    addressLast: `${addressBits}'d${settings.vectorCount - 1}`,
    stampMsb: stampBits - 1,
    stampLast: 2 ** stampBits - 1,
    inputs,
    outputs,
    connections: connections(unit, clocked, ready),
  };
}

function portNets(field: PortField) {
  return {
    ...field,
    msbIndex: field.width - 1,
    net: `dut_${field.name}`,
    expectedNet: `expected_${field.name}`,
  };
}

function connections(unit: UnitUnderTest, clocked: boolean, ready: boolean) {
  const handshake = ready ? ['in_valid', 'in_ready', 'out_valid', 'out_ready'] : ['in_valid', 'out_valid'];
  const control = clocked ? ['clk', 'rst', ...handshake] : [];
  const data = [...unit.inputs, ...unit.outputs].map((port) => ({
    port: port.name,
    net: `dut_${port.name}`,
  }));
  return [...control.map((name) => ({ port: name, net: name })), ...data];
}

function describe(unit: UnitUnderTest, settings: TestbenchSettings): string {
  if (unit.timing.kind === 'comb') return 'combinational';
  const parts = [`pipelined with latency ${unit.timing.latency}`];
  if (unit.timing.ready) parts.push('valid/ready with random backpressure');
  if (settings.bubbles) parts.push('random input bubbles');
  return `${parts.join(', ')} (seed ${settings.seed})`;
}

/** A 32-bit non-zero xorshift state from any seed; the mixing makes small seeds start well. */
export function mixSeed(seed: number): number {
  let x = Number(BigInt.asUintN(32, BigInt(Math.trunc(seed)))) ^ 0x9e3779b9;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  x = (x ^ (x >>> 16)) >>> 0;
  return x === 0 ? 0x2545f491 : x;
}
