import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { literal } from '../../generators/emit/hls.ts';
import { emitHlsLoop, type HlsLoopDesign, type HlsStreamArg } from '../../generators/emit/hls-loop.ts';
import { renderTemplate } from '../../generators/emit/templates.ts';
import type { StreamVectors } from '../../testbenches/sim/hls-stream.ts';
import { parseTestbenchOutput } from '../../testbenches/sim/parse-output.ts';
import { runProcess, toolError } from '../../testbenches/sim/run-process.ts';
import { DEFAULT_MAX_MISMATCHES } from '../../testbenches/sim/simulation-run.ts';
import type { Beat, StreamBench } from '../../testbenches/sim/stream-run.ts';
import { timeLimit } from '../../testbenches/sim/time-limit.ts';
import type { SimResult } from '../../testbenches/sim/types.ts';
import { writeVectorFile } from '../../testbenches/sim/vector-files.ts';
import { buildVendorCsim } from './hls-vendor-build.ts';

/**
 * The loop-level C-simulation of a streaming core (testbenches/sim/hls-stream.ts) compiled against the
 * vendor's ap_int.h and hls_stream.h: the same harness (templates/hls/stream-main.cpp.hbs), vector
 * files and report lines, in `<workDir>/hls-vendor-loop`.
 */
export async function runVendorLoop(
  design: HlsLoopDesign,
  vectors: StreamVectors,
  options: { workDir: string; headers: string; maxMismatches?: number },
): Promise<SimResult> {
  const streams = design.args.filter((a): a is HlsStreamArg => a.kind === 'stream');
  const scalars = design.args.filter((a) => a.kind === 'scalar');
  const dir = join(options.workDir, 'hls-vendor-loop');
  await mkdir(dir, { recursive: true });
  const calls = vectors.calls ?? 1;
  for (const s of streams) {
    const list = s.direction === 'input' ? vectors.inputs[s.name] : vectors.expected[s.name];
    if (list === undefined)
      throw new Error(`loop-level design ${design.name}: no ${s.direction} elements for stream ${s.name}`);
    await writeVectorFile(
      join(dir, s.direction === 'input' ? `${s.name}.hex` : `${s.name}.expected.hex`),
      [{ name: s.name, width: s.type.width, signed: s.type.signed }],
      list.map((v) => [v]),
      s.direction === 'input' ? 'stimulus' : 'expected',
    );
  }
  const variable = (name: string) => `arg_${name}`;
  const cppType = (t: { signed: boolean; width: number }) => `${t.signed ? 'ap_int' : 'ap_uint'}<${t.width}>`;
  const field = (s: HlsStreamArg) => ({
    name: s.name,
    variable: variable(s.name),
    cppType: cppType(s.type),
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
      return { variable: variable(a.name), cppType: cppType(a.type), value: literal(value, a.type) };
    }),
    callArgs: design.args.map((a) => variable(a.name)).join(', '),
  });
  const build = await buildVendorCsim(
    dir,
    [...emitHlsLoop(design), { fileName: 'csim_main.cpp', text: harness }],
    design.name,
    options.headers,
  );
  const logPath = join(dir, 'sim.log');
  const elements = Object.values(vectors.inputs).reduce((total, list) => total + list.length, 0);
  const sim = await runProcess(
    build.binary,
    [String(options.maxMismatches ?? DEFAULT_MAX_MISMATCHES), String(calls)],
    { cwd: dir, logPath, timeLimit: timeLimit({ simulate: elements }) },
  );
  if (sim.exitCode !== 0) throw toolError(`the vendor-header C-simulation of ${design.name}`, sim, logPath);
  const parsed = parseTestbenchOutput(sim.output);
  if (parsed === undefined)
    throw new Error(
      `hls-vendor: the C-simulation of ${design.name} ended without its summary line\nFull log: ${logPath}`,
    );
  return {
    simulator: 'hls-vendor',
    passed: parsed.passed,
    failed: parsed.failed,
    mismatches: parsed.mismatches,
    cycles: parsed.cycles,
    buildSeconds: build.seconds,
    runSeconds: sim.seconds,
    logPath,
  };
}

/**
 * A streaming core's job-level bench as loop-level vectors, as the GEMV C-simulation feeds them
 * (testbenches/gemv-conformance.ts): one call per job, the job stream holding {x_scale, N, K}, every other
 * input stream its beats with tlast above the data, y every output beat and status each job's status.
 */
export function benchVectors(bench: StreamBench): StreamVectors {
  const packed = (beats: Beat[], width: number) =>
    beats.map((b) => (b.last ? 1n << BigInt(width) : 0n) | b.data);
  return {
    inputs: {
      // {x_scale (a per-token activation scale, taken with start), N, K}
      job: bench.jobs.map(
        (j) =>
          ((j.input ?? 0n) << BigInt(bench.kBits + bench.nBits)) |
          (BigInt(j.n) << BigInt(bench.kBits)) |
          BigInt(j.k),
      ),
      ...Object.fromEntries(bench.streams.map((s) => [s.name, packed(s.beats, s.width)])),
    },
    expected: { y: packed(bench.y, bench.yWidth), status: bench.jobs.map((j) => BigInt(j.status)) },
    calls: bench.jobs.length,
  };
}
