import type { DataPort, SimOptions, UnitUnderTest, VectorSet } from './types.ts';

const CONTROL_PORTS = new Set(['clk', 'rst', 'in_valid', 'out_valid', 'in_ready', 'out_ready']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const TESTBENCH_MODULES = new Set(['bitsmith_tb', 'bitsmith_tb_icarus']);

/** Rejects a unit description or vector set the testbench could not represent, naming what is wrong. */
export function checkUnitAndVectors(unit: UnitUnderTest, vectors: VectorSet): void {
  if (!IDENTIFIER.test(unit.top))
    throw new Error(`unit.top = ${JSON.stringify(unit.top)} is not a Verilog name`);
  if (TESTBENCH_MODULES.has(unit.top))
    throw new Error(`unit.top = ${unit.top} is the name of the testbench itself`);
  if (unit.files.length === 0) throw new Error(`unit ${unit.top} has no Verilog files`);
  if (unit.inputs.length === 0 || unit.outputs.length === 0) {
    throw new Error(`unit ${unit.top} needs at least one data input and one data output`);
  }
  const seen = new Set<string>();
  for (const port of [...unit.inputs, ...unit.outputs]) {
    checkPort(unit.top, port);
    if (seen.has(port.name)) throw new Error(`unit ${unit.top}: port ${port.name} is listed twice`);
    seen.add(port.name);
  }
  if (
    unit.timing.kind === 'pipelined' &&
    !(Number.isInteger(unit.timing.latency) && unit.timing.latency >= 0)
  ) {
    throw new Error(`unit ${unit.top}: latency = ${unit.timing.latency}; expected an integer >= 0`);
  }
  checkColumnNames(unit.top, 'input', unit.inputs, vectors.inputs);
  checkColumnNames(unit.top, 'output', unit.outputs, vectors.outputs);
  if (vectors.stimulus.length === 0) throw new Error(`unit ${unit.top}: the vector set is empty`);
  if (vectors.stimulus.length !== vectors.expected.length) {
    throw new Error(
      `unit ${unit.top}: ${vectors.stimulus.length} stimulus rows but ${vectors.expected.length} expected rows`,
    );
  }
}

/** The seed must be an integer; maxMismatches, when given, an integer >= 0. */
export function checkSimOptions(options: SimOptions): void {
  if (!Number.isSafeInteger(options.seed)) throw new Error(`seed = ${options.seed}; expected an integer`);
  const max = options.maxMismatches;
  if (max !== undefined && !(Number.isSafeInteger(max) && max >= 0)) {
    throw new Error(`maxMismatches = ${max}; expected an integer >= 0`);
  }
}

// Named columns reach a simulator already in port order; a set that skipped the alignment is refused
// here rather than run with its values on the wrong ports.
function checkColumnNames(
  top: string,
  direction: 'input' | 'output',
  ports: DataPort[],
  names: readonly string[] | undefined,
): void {
  if (names === undefined) return;
  const wanted = ports.map((port) => port.name);
  if (names.length !== wanted.length || names.some((name, c) => name !== wanted[c])) {
    throw new Error(
      `unit ${top}: the ${direction} columns are named ${names.join(', ')}; the ${direction}s in port ` +
        `order are ${wanted.join(', ')} (alignToUnit in testbenches/align-vectors.ts puts them in it)`,
    );
  }
}

function checkPort(top: string, port: DataPort): void {
  if (!IDENTIFIER.test(port.name))
    throw new Error(`unit ${top}: port name ${JSON.stringify(port.name)} is not a Verilog name`);
  if (CONTROL_PORTS.has(port.name)) {
    throw new Error(
      `unit ${top}: ${port.name} is a control port; list only data ports in inputs and outputs`,
    );
  }
  if (!(Number.isInteger(port.width) && port.width >= 1)) {
    throw new Error(`unit ${top}: port ${port.name} has width ${port.width}; expected an integer >= 1`);
  }
}
