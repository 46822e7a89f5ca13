import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { emitHlsLoop, type HlsLoopDesign, type HlsStreamArg } from '../../generators/emit/hls-loop.ts';
import { literal } from '../../generators/emit/hls.ts';
import { renderTemplate } from '../../generators/emit/templates.ts';
import { buildCsim } from './hls-build.ts';
import { parseTestbenchOutput } from './parse-output.ts';
import { runProcess, toolError } from './run-process.ts';
import { DEFAULT_MAX_MISMATCHES } from './simulation-run.ts';
import { timeLimit } from './time-limit.ts';
import type { SimResult } from './types.ts';
import { writeVectorFile } from './vector-files.ts';

export interface StreamVectors {
  /** The elements fed into each input stream, in order, as unsigned bit patterns of the element width. */
  inputs: Record<string, bigint[]>;
  /** The elements each output stream must hold after the calls, in order. */
  expected: Record<string, bigint[]>;
  /** Values of the scalar arguments (bit patterns), the same in every call. */
  scalars?: Record<string, bigint>;
  /** How many times the function is called; default 1. */
  calls?: number;
}

export interface StreamRunOptions {
  /** The run's folder (`<workDir>/hls-loop`); created if missing. */
  workDir: string;
  /** How many mismatches to report in detail; default 10. */
  maxMismatches?: number;
}

/**
 * C-simulation of a loop-level HLS design (generators/emit/hls-loop.ts) with g++: its input streams
 * are filled from vector files, the function is called `calls` times, and every element of the output
 * streams is compared with the expected ones. Mismatches count per output element; input elements the
 * function leaves unread count as one failure per stream.
 */
export async function runHlsLoop(
  design: HlsLoopDesign,
  vectors: StreamVectors,
  options: StreamRunOptions,
): Promise<SimResult> {
  const streams = design.args.filter((a): a is HlsStreamArg => a.kind === 'stream');
  const scalars = design.args.filter((a) => a.kind === 'scalar');
  const dir = join(options.workDir, 'hls-loop');
  await mkdir(dir, { recursive: true });
  const calls = vectors.calls ?? 1;
  if (!(Number.isSafeInteger(calls) && calls >= 0))
    throw new Error(`calls = ${calls}; expected an integer >= 0`);
  for (const s of streams) {
    const list = s.direction === 'input' ? vectors.inputs[s.name] : vectors.expected[s.name];
    if (list === undefined)
      throw new Error(
        `loop-level design ${design.name}: no ${s.direction === 'input' ? 'input' : 'expected'} elements for stream ${s.name}`,
      );
    const port = { name: s.name, width: s.type.width, signed: s.type.signed };
    const file = s.direction === 'input' ? `${s.name}.hex` : `${s.name}.expected.hex`;
    await writeVectorFile(
      join(dir, file),
      [port],
      list.map((v) => [v]),
      s.direction === 'input' ? 'stimulus' : 'expected',
    );
  }
  const variable = (name: string) => `arg_${name}`;
  const field = (s: HlsStreamArg) => ({
    name: s.name,
    variable: variable(s.name),
    cppType: `${s.type.signed ? 'ap_int' : 'ap_uint'}<${s.type.width}>`,
    digits: Math.ceil(s.type.width / 4),
    words: Math.ceil(s.type.width / 64),
  });
  const harness = renderTemplate('hls/stream-main.cpp.hbs', {
    top: design.name,
    header: `${design.name}.h`,
    streams: streams.map(field),
    inputs: streams.filter((s) => s.direction === 'input').map(field),
    outputs: streams.filter((s) => s.direction === 'output').map(field),
    scalars: scalars.map((a) => {
      const value = vectors.scalars?.[a.name];
      if (value === undefined)
        throw new Error(`loop-level design ${design.name}: no value for the scalar argument ${a.name}`);
      return {
        variable: variable(a.name),
        cppType: `${a.type.signed ? 'ap_int' : 'ap_uint'}<${a.type.width}>`,
        value: literal(value, a.type),
      };
    }),
    callArgs: design.args.map((a) => variable(a.name)).join(', '),
  });
  const build = await buildCsim(
    dir,
    [...emitHlsLoop(design), { fileName: 'csim_main.cpp', text: harness }],
    design.name,
  );
  const logPath = join(dir, 'sim.log');
  const max = options.maxMismatches ?? DEFAULT_MAX_MISMATCHES;
  const elements = Object.values(vectors.inputs).reduce((total, list) => total + list.length, 0);
  const sim = await runProcess(build.binary, [String(max), String(calls)], {
    cwd: dir,
    logPath,
    timeLimit: timeLimit({ simulate: elements }),
  });
  if (sim.exitCode !== 0) throw toolError(`the C-simulation of ${design.name}`, sim, logPath);
  const parsed = parseTestbenchOutput(sim.output);
  if (parsed === undefined)
    throw new Error(
      `hls: the C-simulation of ${design.name} ended without its summary line\nFull log: ${logPath}`,
    );
  return {
    simulator: 'hls',
    passed: parsed.passed,
    failed: parsed.failed,
    mismatches: parsed.mismatches,
    cycles: parsed.cycles,
    buildSeconds: build.seconds,
    runSeconds: sim.seconds,
    logPath,
  };
}
