// The cocotb bench of a vector unit: a test module, cocotb's Python runner and the shared driver
// (templates/cocotb/). The package ships it in tb/cocotb/; `bitsmith verify --sim cocotb-*` runs it.
import { readFileSync } from 'node:fs';
import { projectPath } from '../../generators/emit/paths.ts';
import { renderTemplate } from '../../generators/emit/templates.ts';
import { BITSMITH_VERSION } from '../../generators/emit/version.ts';
import { floatBits, pythonFloat } from './cocotb-formats.ts';
import type { DataPort, UnitUnderTest } from './types.ts';

export interface CocotbBenchRequest {
  /** The IP's name; the test module is test_<ip>.py. */
  ip: string;
  unit: UnitUnderTest;
  /** Verilog files, relative to the bench's folder (or absolute). */
  sources: string[];
  /** True when stimulus.hex and expected.hex sit in the folder above the bench (a package's tb/). */
  vectorsAbove: boolean;
  /** What the vectors are, for the test module's docstring. */
  description: string;
  /** The float format of a port that holds codes of one (a plan's portFormat): mismatches show fields. */
  formatOf?: (port: string) => string | undefined;
}

/** The Python name of an IP's test module, without .py. */
export function cocotbTestModule(ip: string): string {
  return `test_${ip.replace(/\W/g, '_')}`;
}

/**
 * The bench's files, keyed by file name: bitsmith_bench.py, bitsmith_formats.py, test_<ip>.py, run.py,
 * a Makefile and verilator_compat.cpp.
 */
export function renderCocotbBench(request: CocotbBenchRequest): Record<string, string> {
  const { unit } = request;
  const module = cocotbTestModule(request.ip);
  // A port is decoded when it holds a whole number of codes of its format.
  const withFormat = (port: DataPort) => {
    const format = request.formatOf?.(port.name);
    return format !== undefined && port.width % floatBits(format) === 0
      ? { ...port, format, fmt: pythonFloat(format) }
      : port;
  };
  const context = {
    version: BITSMITH_VERSION,
    ip: request.ip,
    testModule: module,
    top: unit.top,
    description: request.description,
    vectorFolder: request.vectorsAbove ? '../' : '',
    vectorsAbove: request.vectorsAbove,
    inputs: unit.inputs.map(withFormat),
    outputs: unit.outputs.map(withFormat),
    latency: unit.timing.kind === 'pipelined' ? String(unit.timing.latency) : 'None',
    ready: unit.timing.kind === 'pipelined' && unit.timing.ready ? 'True' : 'False',
    skid: unit.timing.kind === 'pipelined' && unit.timing.skid === true ? 'True' : 'False',
    sources: request.sources,
  };
  return {
    'bitsmith_bench.py': renderTemplate('cocotb/bitsmith_bench.py.hbs', context),
    'bitsmith_formats.py': renderTemplate('cocotb/bitsmith_formats.py.hbs', context),
    [`${module}.py`]: renderTemplate('cocotb/test.py.hbs', context),
    'run.py': renderTemplate('cocotb/run.py.hbs', context),
    Makefile: renderTemplate('cocotb/Makefile.hbs', context),
    'verilator_compat.cpp': readFileSync(projectPath('templates', 'cocotb', 'verilator_compat.cpp'), 'utf8'),
  };
}
