import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderTemplate } from '../../generators/emit/templates.ts';
import type { CocotbSimulatorName } from './cocotb.ts';
import { requireExecutable } from './executables.ts';
import { runProcess, toolError } from './run-process.ts';
import { mixSeed } from './testbench.ts';
import { timeLimit } from './time-limit.ts';
import { BINARY, OBJ_DIR, buildVerilatorModel, verilateFlags } from './verilator.ts';

export interface Beat {
  data: bigint;
  last: boolean;
}

/** A job-level run of a streaming core (start/k_len/n_len/busy/done/error/status, streams, y). */
export interface StreamBench {
  top: string;
  /** Verilog files (absolute paths) that define `top`. */
  files: string[];
  kBits: number;
  nBits: number;
  yWidth: number;
  /** The format of a y element (fp32, fp16, bf16): cocotb's bench decodes mismatches with it. */
  yFormat: string;
  /** Jobs in order; `status` is the expected {error, status[2:0]}. */
  jobs: StreamJob[];
  /** An input port set with start from each job's `input` (e.g. a GEMV's x_scale), when the core has one. */
  jobInput?: { name: string; width: number };
  /** Input streams in port order, each with its beats for all jobs in order; the first is the lead. */
  streams: { name: string; width: number; beats: Beat[] }[];
  /** Every y beat the jobs must produce, in order. */
  y: Beat[];
  /** Percentage of cycles on which each stream's valid (and y_tready) drops. */
  stallPercent: number;
  seed: number;
  maxMismatches?: number;
}

/**
 * The order in which a job's sources offer their beats: 'interleaved' (each stream on its own),
 * 'lead-first' (the other streams wait until the lead stream's tlast beat is taken, as a DMA that sends
 * all of x before any weight), 'lead-late' (the lead held back for the first LEAD_HOLD cycles).
 */
export type SourceOrder = 'interleaved' | 'lead-first' | 'lead-late';
const ORDER_CODE: Record<SourceOrder, number> = { interleaved: 0, 'lead-first': 1, 'lead-late': 2 };
/** Cycles a 'lead-late' job holds its lead stream back. */
export const LEAD_HOLD = 40;

export interface StreamJob {
  k: number;
  n: number;
  status: number;
  /** Run without stalls on any stream: the job's cycles measure throughput. */
  calm?: boolean;
  /** A rejected size: done must come the cycle after start, with no beat taken. */
  prompt?: boolean;
  order?: SourceOrder;
  /** The value of the bench's jobInput port for this job. */
  input?: bigint;
}

export interface StreamResult {
  simulator: 'icarus' | 'verilator' | 'hls' | CocotbSimulatorName;
  passed: number;
  failed: number;
  /** The testbench's report lines (MISMATCH, STATUS, MISSING, EXTRA, HANG). */
  problems: string[];
  /** Cycles from start to done, per job. */
  jobCycles: number[];
  /** Cycles from start to the first y beat, per job that has one (by job index). */
  firstCycles: Record<number, number>;
  buildSeconds: number;
  runSeconds: number;
  logPath: string;
}

const bitsFor = (n: number) => Math.max(1, Math.ceil(Math.log2(Math.max(2, n))));

function hexLines(beats: Beat[], width: number): string {
  const digits = Math.ceil((width + 1) / 4);
  return (
    beats
      .map((b) => ((b.last ? 1n << BigInt(width) : 0n) | b.data).toString(16).padStart(digits, '0'))
      .join('\n') + '\n'
  );
}

/** The testbench (tb.v) and its data files (jobs.hex, <stream>.hex, y.expected.hex), by file name. */
export function renderStreamBench(bench: StreamBench): Record<string, string> {
  // Job word, low to high: k_len, n_len, expected status (4 bits), calm, prompt, order (2 bits), the job input.
  const statusLsb = bench.kBits + bench.nBits;
  const jobBits = statusLsb + 8 + (bench.jobInput?.width ?? 0);
  const model = {
    top: bench.top,
    seed: bench.seed,
    stallPercent: bench.stallPercent,
    maxMismatches: bench.maxMismatches ?? 10,
    jobCount: bench.jobs.length,
    jobMsb: jobBits - 1,
    statusLsb,
    calmBit: statusLsb + 4,
    promptBit: statusLsb + 5,
    orderLsb: statusLsb + 6,
    ...(bench.jobInput
      ? {
          jobInput: {
            name: bench.jobInput.name,
            msb: bench.jobInput.width - 1,
            lsb: statusLsb + 8,
            top: statusLsb + 8 + bench.jobInput.width - 1,
          },
        }
      : {}),
    leadName: bench.streams[0]!.name,
    leadHold: LEAD_HOLD,
    jobDepthLast: Math.max(1, bench.jobs.length) - 1,
    jobAddressMsb: bitsFor(bench.jobs.length) - 1,
    kMsb: bench.kBits - 1,
    nMsb: bench.nBits - 1,
    nBits: bench.nBits,
    yBeats: bench.y.length,
    yMsb: bench.yWidth,
    yDataMsb: bench.yWidth - 1,
    yDepthLast: Math.max(1, bench.y.length) - 1,
    yAddressMsb: bitsFor(bench.y.length) - 1,
    // Wide enough for any run of stalls the seeded patterns make, short enough to end a hang quickly.
    idleLimit: 2000,
    ySeedHex: mixSeed(bench.seed * 7 + 1)
      .toString(16)
      .padStart(8, '0'),
    gapSeedHex: mixSeed(bench.seed * 7 + 2 + bench.streams.length)
      .toString(16)
      .padStart(8, '0'),
    streams: bench.streams.map((s, i) => ({
      name: s.name,
      lead: i === 0,
      upper: s.name.toUpperCase(),
      beats: s.beats.length,
      msb: s.width,
      dataMsb: s.width - 1,
      depthLast: Math.max(1, s.beats.length) - 1,
      addressMsb: bitsFor(s.beats.length) - 1,
      seedHex: mixSeed(bench.seed * 7 + 2 + i)
        .toString(16)
        .padStart(8, '0'),
    })),
  };
  const jobs = bench.jobs.map((j) =>
    (
      ((j.input ?? 0n) << BigInt(statusLsb + 8)) |
      (BigInt(
        (ORDER_CODE[j.order ?? 'interleaved'] << 6) | (j.prompt ? 32 : 0) | (j.calm ? 16 : 0) | j.status,
      ) <<
        BigInt(statusLsb)) |
      (BigInt(j.n) << BigInt(bench.kBits)) |
      BigInt(j.k)
    )
      .toString(16)
      .padStart(Math.ceil(jobBits / 4), '0'),
  );
  return {
    'tb.v': renderTemplate('tb/stream-testbench.v.hbs', model),
    'jobs.hex': jobs.join('\n') + '\n',
    'y.expected.hex': hexLines(bench.y, bench.yWidth),
    ...Object.fromEntries(bench.streams.map((s) => [`${s.name}.hex`, hexLines(s.beats, s.width)])),
  };
}

/** Writes the testbench and its beat files, builds it with the simulator, runs it, and reads the report. */
export async function runStreamBench(
  simulator: 'icarus' | 'verilator',
  bench: StreamBench,
  workDir: string,
): Promise<StreamResult> {
  const dir = join(workDir, simulator);
  await mkdir(dir, { recursive: true });
  await Promise.all(
    Object.entries(renderStreamBench(bench)).map(([name, text]) => writeFile(join(dir, name), text)),
  );
  const { output, buildSeconds, runSeconds, logPath } =
    simulator === 'icarus' ? await runIcarus(dir, bench) : await runVerilator(dir, bench);
  const summary = /^(\d+) passed, (\d+) failed$/m.exec(output);
  if (summary === null)
    throw new Error(
      `${simulator}: the stream testbench of ${bench.top} ended without its summary\nFull log: ${logPath}`,
    );
  return {
    simulator,
    passed: Number(summary[1]),
    failed: Number(summary[2]),
    ...streamReportLines(output),
    buildSeconds,
    runSeconds,
    logPath,
  };
}

/** The report lines of a stream bench (tb.v, or cocotb's bitsmith_streams.py): problems and cycles. */
export function streamReportLines(
  output: string,
): Pick<StreamResult, 'problems' | 'jobCycles' | 'firstCycles'> {
  const lines = output.split('\n').map((l) => l.trim());
  return {
    problems: lines.filter((l) => /^(MISMATCH|STATUS|LATE|TOUCHED|HELD|MISSING|EXTRA|HANG)/.test(l)),
    jobCycles: lines.flatMap((l) => {
      const m = /^JOB index=\d+ cycles=(\d+)/.exec(l);
      return m ? [Number(m[1])] : [];
    }),
    firstCycles: Object.fromEntries(
      lines.flatMap((l) => {
        const m = /^FIRST job=(\d+) cycles=(\d+)/.exec(l);
        return m ? [[Number(m[1]), Number(m[2])]] : [];
      }),
    ),
  };
}

async function runIcarus(dir: string, bench: StreamBench) {
  const iverilog = await requireExecutable('iverilog', 'iverilog');
  const vvp = await requireExecutable('vvp', 'iverilog');
  await writeFile(join(dir, 'tb_icarus.v'), renderTemplate('tb/icarus-top.v.hbs', { top: bench.top }));
  const buildLog = join(dir, 'build.log');
  const build = await runProcess(
    iverilog,
    ['-g2005', '-o', 'sim.vvp', '-s', 'bitsmith_tb_icarus', 'tb_icarus.v', 'tb.v', ...bench.files],
    { cwd: dir, logPath: buildLog },
  );
  if (build.exitCode !== 0)
    throw toolError(`iverilog (${bench.top} and its stream testbench)`, build, buildLog);
  const logPath = join(dir, 'sim.log');
  const sim = await runProcess(vvp, ['-n', 'sim.vvp'], {
    cwd: dir,
    logPath,
    timeLimit: simulationLimit(bench),
  });
  if (sim.exitCode !== 0) throw toolError(`vvp (${bench.top})`, sim, logPath);
  return { output: sim.output, buildSeconds: build.seconds, runSeconds: sim.seconds, logPath };
}

async function runVerilator(dir: string, bench: StreamBench) {
  const verilator = await requireExecutable('verilator', 'verilator');
  await writeFile(
    join(dir, 'tb_main.cpp'),
    renderTemplate('tb/verilator-main.cpp.hbs', { top: bench.top, vcd: false }),
  );
  const buildSeconds = await buildVerilatorModel(
    verilator,
    dir,
    verilateFlags(false),
    bench,
    streamBeats(bench),
  );
  const logPath = join(dir, 'sim.log');
  const sim = await runProcess(join(dir, OBJ_DIR, BINARY), [], {
    cwd: dir,
    logPath,
    timeLimit: simulationLimit(bench),
  });
  if (sim.exitCode !== 0) throw toolError(`the Verilator model of ${bench.top}`, sim, logPath);
  return { output: sim.output, buildSeconds, runSeconds: sim.seconds, logPath };
}

// The run takes a cycle or more per beat of every stream.
function simulationLimit(bench: StreamBench): number {
  return timeLimit({ simulate: streamBeats(bench) });
}

function streamBeats(bench: StreamBench): number {
  return bench.streams.reduce((total, s) => total + s.beats.length, bench.y.length);
}
