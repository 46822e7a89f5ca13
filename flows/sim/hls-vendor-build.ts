import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { isBuildCurrent, recordBuild } from '../../testbenches/sim/build-stamp.ts';
import { requireExecutable } from '../../testbenches/sim/executables.ts';
import { CSIM_BINARY, CSIM_FLAGS, type CsimBuild } from '../../testbenches/sim/hls-build.ts';
import { runProcess, toolError } from '../../testbenches/sim/run-process.ts';

/** Sources larger than this (in characters, all together) are compiled in parallel. */
const PARALLEL_FROM_CHARS = 60_000;

/**
 * The flags of the vendor-header C-simulation: the portable build's flags without optimization,
 * BITSMITH_VENDOR_AP_INT (the generated bitsmith_ap.h and bitsmith_stream.h then include the vendor's
 * ap_int.h and hls_stream.h), and the vendor folder as a system include folder, so that the vendor's
 * own warnings do not count. -O0 as Vitis HLS's csim_design compiles unless asked for -O: g++ -O2 takes
 * minutes over the vendor templates of a GEMV chunk (over 9 minutes for an MXFP4 core of 8 rows × 32 lanes,
 * 26 s at -O0), and the vectors run quickly either way.
 */
export function vendorFlags(headers: string): string[] {
  return [
    ...CSIM_FLAGS.filter((f) => !/^-O/.test(f)),
    '-O0',
    '-DBITSMITH_VENDOR_AP_INT',
    '-I.',
    '-isystem',
    headers,
  ];
}

/** The header every vendor build includes first (-include): the vendor types at bitsmith's widths. */
const PREFIX_HEADER = [
  '// bitsmith: the vendor ap_types, precompiled once for every vendor-header C-simulation.',
  '#ifndef AP_INT_MAX_W',
  '#define AP_INT_MAX_W 4097',
  '#endif',
  '#include <ap_int.h>',
  '#include <hls_stream.h>',
  '',
].join('\n');

/**
 * The vendor headers precompiled with these flags (g++ reads `<path>.gch` in place of `<path>`): they
 * take most of the compile time of a small unit. Built once per flags, headers and compiler into a
 * shared temporary folder; written under a temporary name and renamed, so concurrent builds never
 * read half a file. g++ checks that a .gch matches the compile and falls back to the header if not.
 */
async function prefixHeader(compiler: string, flags: string[]): Promise<string> {
  const key = createHash('sha256')
    .update(JSON.stringify([compiler, flags, PREFIX_HEADER]))
    .digest('hex');
  const dir = join(tmpdir(), `bitsmith-vendor-pch-${key.slice(0, 16)}`);
  const header = join(dir, 'bitsmith_vendor_ap.h');
  if (existsSync(`${header}.gch`)) return header;
  await mkdir(dir, { recursive: true });
  await writeFile(header, PREFIX_HEADER);
  const temp = `${header}.gch.tmp-${process.pid}`;
  const logPath = join(dir, `build-${process.pid}.log`);
  const result = await runProcess(compiler, [...flags, '-x', 'c++-header', header, '-o', temp], {
    cwd: dir,
    logPath,
  });
  if (result.exitCode !== 0) throw toolError('g++ (precompiling the vendor ap_types)', result, logPath);
  await rename(temp, `${header}.gch`);
  await rm(logPath, { force: true });
  return header;
}

/**
 * The g++ warnings that count: those located in bitsmith's files. g++ reports some warnings of the
 * vendor headers at their own lines even with -isystem, when it has inlined them into generated code
 * (ap_private's default constructor reads its uninitialized word, -Wuninitialized): those do not.
 */
export function ownWarnings(output: string, headers: string): string[] {
  const vendor = resolve(headers) + sep;
  return output
    .split('\n')
    .filter((line) => / warning: /.test(line))
    .filter((line) => !resolve(line.slice(0, line.indexOf(':'))).startsWith(vendor));
}

/**
 * Writes `files` into `dir` and compiles the .cpp ones with g++ against the vendor headers in
 * `headers` into `dir/csim`, unless it was built from the same files and flags before. A compile
 * error, or a warning in bitsmith's files, is an Error with the compiler's lines and the full log.
 */
export async function buildVendorCsim(
  dir: string,
  files: { fileName: string; text: string }[],
  what: string,
  headers: string,
): Promise<CsimBuild> {
  const compiler = await requireExecutable('g++', 'g++');
  const flags = vendorFlags(headers);
  await Promise.all(files.map((f) => writeFile(join(dir, f.fileName), f.text)));
  const binary = join(dir, CSIM_BINARY);
  const paths = files.map((f) => join(dir, f.fileName)).sort();
  if (await isBuildCurrent(dir, CSIM_BINARY, flags, paths)) return { seconds: 0, binary };
  const sources = files.filter((f) => f.fileName.endsWith('.cpp')).map((f) => f.fileName);
  const size = files.filter((f) => f.fileName.endsWith('.cpp')).reduce((n, f) => n + f.text.length, 0);
  const started = performance.now();
  const prefix = ['-include', await prefixHeader(compiler, flags)];
  const compile = async (args: string[], logPath: string) => {
    const result = await runProcess(compiler, [...flags, ...prefix, ...args], { cwd: dir, logPath });
    if (result.exitCode !== 0)
      throw toolError(`g++ (vendor-header C-simulation of ${what})`, result, logPath);
    const warnings = ownWarnings(result.output, headers);
    if (warnings.length > 0)
      throw new Error(
        `g++ (vendor-header C-simulation of ${what}) warned in bitsmith's C++; it must compile with ` +
          `${flags.join(' ')} without a warning of its own:\n${warnings.slice(0, 10).join('\n')}\nFull log: ${logPath}`,
      );
  };
  const jobs = Math.min(sources.length, availableParallelism());
  if (size < PARALLEL_FROM_CHARS || jobs < 2) {
    await compile(['-o', CSIM_BINARY, ...sources], join(dir, 'build.log'));
  } else {
    const queue = [...sources];
    const worker = async (): Promise<void> => {
      for (let source = queue.shift(); source !== undefined; source = queue.shift())
        await compile(['-c', source, '-o', `${source}.o`], join(dir, `build-${source}.log`));
    };
    await Promise.all(Array.from({ length: jobs }, () => worker()));
    const logPath = join(dir, 'build.log');
    const link = await runProcess(compiler, ['-o', CSIM_BINARY, ...sources.map((s) => `${s}.o`)], {
      cwd: dir,
      logPath,
    });
    if (link.exitCode !== 0) throw toolError(`g++ (linking the C-simulation of ${what})`, link, logPath);
  }
  await recordBuild(dir, flags, paths);
  return { seconds: (performance.now() - started) / 1000, binary };
}
