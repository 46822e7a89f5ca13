// The cocotb bench of a streaming core (GEMV): the jobs and stream beats of its Verilog stream bench
// (stream-run.ts) driven by cocotbext-axi sources and drained by a sink (templates/cocotb/). The
// package ships it in tb/cocotb/; `bitsmith verify --sim cocotb-*` runs it.
import { readFileSync } from 'node:fs';
import { projectPath } from '../../generators/emit/paths.ts';
import { renderTemplate } from '../../generators/emit/templates.ts';
import { BITSMITH_VERSION } from '../../generators/emit/version.ts';
import { cocotbTestModule } from './cocotb-bench.ts';
import { pythonFloat } from './cocotb-formats.ts';
import { LEAD_HOLD, type StreamBench } from './stream-run.ts';

export interface CocotbStreamBenchRequest {
  ip: string;
  bench: StreamBench;
  /** Verilog files, relative to the bench's folder (or absolute). */
  sources: string[];
  /** True when the job files sit in the folder above the bench (a package's tb/). */
  vectorsAbove: boolean;
}

/**
 * The bench's files, keyed by file name: bitsmith_streams.py, bitsmith_formats.py, test_<ip>.py,
 * run.py, a Makefile and verilator_compat.cpp (run.py is the vector bench's runner).
 */
export function renderCocotbStreamBench(request: CocotbStreamBenchRequest): Record<string, string> {
  const { bench } = request;
  const module = cocotbTestModule(request.ip);
  const context = {
    version: BITSMITH_VERSION,
    ip: request.ip,
    testModule: module,
    top: bench.top,
    description: `${bench.jobs.length} jobs, ${bench.y.length} y elements`,
    vectorFolder: request.vectorsAbove ? '../' : '',
    vectorsAbove: request.vectorsAbove,
    kBits: bench.kBits,
    nBits: bench.nBits,
    streams: bench.streams.map((s) => ({ name: s.name, width: s.width })),
    yWidth: bench.yWidth,
    yFormatName: bench.yFormat,
    yFormat: pythonFloat(bench.yFormat),
    stallPercent: bench.stallPercent,
    leadHold: LEAD_HOLD,
    jobInput: bench.jobInput,
    sources: request.sources,
  };
  return {
    'bitsmith_streams.py': renderTemplate('cocotb/bitsmith_streams.py.hbs', context),
    'bitsmith_formats.py': renderTemplate('cocotb/bitsmith_formats.py.hbs', context),
    [`${module}.py`]: renderTemplate('cocotb/stream_test.py.hbs', context),
    'run.py': renderTemplate('cocotb/run.py.hbs', context),
    Makefile: renderTemplate('cocotb/Makefile.hbs', context),
    'verilator_compat.cpp': readFileSync(projectPath('templates', 'cocotb', 'verilator_compat.cpp'), 'utf8'),
  };
}
