import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { emitHls } from '../generators/emit/hls.ts';
import { emitHlsLoop } from '../generators/emit/hls-loop.ts';
import { emitVerilog, type VerilogFile } from '../generators/emit/verilog.ts';
import { isControlPort } from '../generators/hdl/ir.ts';
import { readBaselines } from './ippack/baselines.ts';
import { clockEstimate } from './ippack/clock-estimate.ts';
import { renderCoreFile, renderVendorFiles } from './ippack/collateral.ts';
import { renderReadme, type PackageContents } from './ippack/readme.ts';
import { mergeResults, readResults, writeAtomically, type IpResults } from './ippack/results.ts';
import { renderSchematic } from './ippack/schematic.ts';
import { writeTestbench } from './ippack/testbench-files.ts';
import { handshakeWave, renderWaveSvg } from './ippack/waveform.ts';
import { makeFolders, replaceFolder } from './folders.ts';
import { withPackageLock } from './lock.ts';
import { removeStaleFolders } from '../testbenches/sim/stale-folders.ts';
import type { SynthEngine } from './synth/types.ts';
import type { Target } from './target.ts';

export interface IpPackage {
  dir: string;
  rtlFiles: string[];
}

export interface FullPackage extends IpPackage {
  contents: PackageContents;
  /** Parts that were skipped, with the reason (e.g. a missing tool and its Debian package). */
  notes: Record<string, string>;
}

/**
 * Make sure `<outDir>/<ip>/` holds the IP's RTL, file list and ip.json, for flows that only need the
 * Verilog (verify, synth). A package already there with the same Verilog is kept as it is, with its
 * README, testbench and results; otherwise the folder is replaced. Everything is written into a
 * temporary folder first and renamed into place, so a failure never leaves half an IP behind.
 */
export function writePackage(target: Target, outDir: string): IpPackage {
  const dir = packageDir(outDir, target.ip);
  const files = emitVerilog(target.module);
  const rtlFiles = files.map((f) => join(dir, 'rtl', f.fileName));
  if (holdsSameRtl(dir, target, files)) return { dir, rtlFiles };
  const staging = stagingDir(dir);
  try {
    writeCore(staging, target, files);
    replaceFolder(staging, dir);
    return { dir, rtlFiles };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The whole package of an IP in `<outDir>/<ip>/`: rtl/, hls/ (HLS C++), tb/ (testbench and vectors), the file list,
 * the FuseSoC core, vendor/ (Vivado and Quartus scripts), doc/ (handshake diagram, schematic), ip.json
 * and README.md. Built in a temporary folder and renamed into place, holding the package's lock. Results
 * measured later (verify, synth, pnr) are added with `recordResults`, which renders the README again.
 */
export function buildPackage(
  target: Target,
  outDir: string,
  options: { engine?: SynthEngine } = {},
): Promise<FullPackage> {
  const dir = packageDir(outDir, target.ip);
  return withPackageLock(dir, () => buildInto(dir, target, options));
}

async function buildInto(
  dir: string,
  target: Target,
  options: { engine?: SynthEngine },
): Promise<FullPackage> {
  const staging = stagingDir(dir);
  try {
    const files = emitVerilog(target.module);
    writeCore(staging, target, files);
    const rtlFiles = files.map((f) => `rtl/${f.fileName}`);
    const notes: Record<string, string> = {};

    const hlsFiles: string[] = [];
    try {
      const loop = target.generator.hls?.(target.params);
      const hls = loop === undefined ? emitHls(target.module) : emitHlsLoop(loop);
      await mkdir(join(staging, 'hls'), { recursive: true });
      for (const f of hls) {
        await writeFile(join(staging, 'hls', f.fileName), f.text);
        hlsFiles.push(`hls/${f.fileName}`);
      }
    } catch (error) {
      notes.hls = `no HLS C++: ${error instanceof Error ? error.message : String(error)}`;
    }

    const tb = await writeTestbench(target, staging);
    if (tb === undefined) notes.testbench = `no verification plan for generator ${target.generator.name}`;

    await mkdir(join(staging, 'doc'), { recursive: true });
    const wave = handshakeWave(target.module);
    if (wave !== undefined) {
      await writeFile(join(staging, 'doc', 'handshake.json'), JSON.stringify(wave, null, 2) + '\n');
      await writeFile(join(staging, 'doc', 'handshake.svg'), renderWaveSvg(wave));
    }
    const schematic = await renderSchematic(
      rtlFiles.map((f) => join(staging, f)),
      target.module,
      options.engine,
    );
    if ('svg' in schematic) await writeFile(join(staging, 'doc', 'schematic.svg'), schematic.svg);
    else notes.schematic = `not drawn: ${schematic.skipped}`;

    await writeFile(join(staging, `${target.ip}.core`), renderCoreFile(target, rtlFiles, tb));
    await mkdir(join(staging, 'vendor'), { recursive: true });
    for (const [path, text] of Object.entries(renderVendorFiles(target, rtlFiles))) {
      await writeFile(join(staging, path), text);
    }

    const contents: PackageContents = {
      rtlFiles,
      ...(tb ? { tb } : {}),
      hlsFiles,
      waveform: wave !== undefined,
      schematic: 'svg' in schematic,
    };
    // Skipped parts (no HLS C++, no schematic) are named in ip.json as well as on the command line.
    const ipJson = {
      ...describe(target),
      package: contents,
      ...(Object.keys(notes).length > 0 ? { notes } : {}),
    };
    await writeFile(join(staging, 'ip.json'), JSON.stringify(ipJson, null, 2) + '\n');
    const results: IpResults = Object.keys(notes).length > 0 ? { notes } : {};
    await writeFile(join(staging, 'results.json'), JSON.stringify(results, null, 2) + '\n');
    await writeFile(join(staging, 'README.md'), renderReadme(target, contents, results, readBaselines()));

    replaceFolder(staging, dir);
    return { dir, rtlFiles: rtlFiles.map((f) => join(dir, f)), contents, notes };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Add measured figures to a package's results.json; a full package (one with a README) gets its
 * README rendered again from all results so far. Returns the merged results.
 */
export function recordResults(target: Target, pkgDir: string, patch: IpResults): IpResults {
  const results = mergeResults(pkgDir, patch);
  const contents = packageContents(pkgDir);
  if (contents !== undefined) {
    writeAtomically(join(pkgDir, 'README.md'), renderReadme(target, contents, results, readBaselines()));
  }
  return results;
}

/** The contents recorded in ip.json by buildPackage, or undefined for an RTL-only package. */
export function packageContents(pkgDir: string): PackageContents | undefined {
  const path = join(pkgDir, 'ip.json');
  if (!existsSync(path)) return undefined;
  return (JSON.parse(readFileSync(path, 'utf8')) as { package?: PackageContents }).package;
}

export { readResults };

/** The machine-readable description of an IP: parameters, ports and timing. */
export function describe(target: Target) {
  const m = target.module;
  return {
    ip: target.ip,
    generator: target.generator.name,
    module: m.name,
    description: target.description,
    params: target.params,
    timing: m.timing,
    clock: clockEstimate(m, target.params),
    ports: m.ports.map((p) => ({
      name: p.name,
      direction: p.direction,
      width: p.type.width,
      signed: p.type.signed,
      control: isControlPort(p.name),
      ...(p.doc === undefined ? {} : { doc: p.doc }),
    })),
  };
}

/** The folder `<outDir>/<ip>/` of an IP's package. */
export function packageDir(outDir: string, ip: string): string {
  return resolve(outDir, ip);
}

// A new, empty `<ip>.tmp-<pid>` beside the package. The staging and set-aside folders of runs that
// were killed (their process has ended) are removed first.
function stagingDir(dir: string): string {
  makeFolders(dirname(dir));
  for (const kind of ['tmp', 'old']) removeStaleFolders(dirname(dir), `${basename(dir)}.${kind}-`);
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  return staging;
}

// rtl/*.v, <ip>.f and ip.json.
function writeCore(staging: string, target: Target, files: VerilogFile[]): void {
  mkdirSync(join(staging, 'rtl'), { recursive: true });
  for (const f of files) writeFileSync(join(staging, 'rtl', f.fileName), f.text);
  writeFileSync(join(staging, `${target.ip}.f`), files.map((f) => `rtl/${f.fileName}`).join('\n') + '\n');
  writeFileSync(join(staging, 'ip.json'), JSON.stringify(describe(target), null, 2) + '\n');
}

// A package whose rtl/ holds exactly these files with this text, for this module.
function holdsSameRtl(dir: string, target: Target, files: VerilogFile[]): boolean {
  try {
    const ipJson = JSON.parse(readFileSync(join(dir, 'ip.json'), 'utf8')) as { module?: string; ip?: string };
    if (ipJson.module !== target.module.name || ipJson.ip !== target.ip) return false;
    const present = readdirSync(join(dir, 'rtl')).sort();
    const wanted = files.map((f) => f.fileName).sort();
    if (present.join('\n') !== wanted.join('\n')) return false;
    return files.every((f) => readFileSync(join(dir, 'rtl', f.fileName), 'utf8') === f.text);
  } catch {
    return false;
  }
}
