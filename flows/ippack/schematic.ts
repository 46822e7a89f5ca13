import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import netlistsvg from 'netlistsvg';
import { renderTemplate } from '../../generators/emit/templates.ts';
import { runYosysScript } from '../synth/yosys-runner.ts';
import type { SynthEngine } from '../synth/types.ts';
import { findTool } from '../tools.ts';

/** Above this many cells in the top module a schematic is no longer readable, and ELK gets slow. */
export const SCHEMATIC_MAX_CELLS = 400;

export type SchematicResult = { svg: string; cells: number } | { skipped: string };

/** 'native' when a yosys binary is on PATH (faster), otherwise the WebAssembly build from npm. */
export async function preferredEngine(): Promise<SynthEngine> {
  return (await findTool('yosys')) !== undefined ? 'native' : 'yowasp';
}

/**
 * The top level of a design as an SVG schematic: Yosys reads the RTL into word-level cells (adders,
 * multipliers, muxes, flip-flops; sub-modules stay boxes), netlistsvg lays it out and draws it.
 */
export async function renderSchematic(
  files: string[],
  top: string,
  engine?: SynthEngine,
): Promise<SchematicResult> {
  const workDir = await mkdtemp(join(tmpdir(), 'bitsmith-schematic-'));
  try {
    const sources = files.map((f, i) => `src/${i}_${basename(f)}`);
    await mkdir(join(workDir, 'src'));
    await Promise.all(files.map((f, i) => copyFile(f, join(workDir, sources[i]!))));
    const netlistFile = 'schematic.json';
    await writeFile(
      join(workDir, 'schematic.ys'),
      renderTemplate('ip/schematic.ys.hbs', { top, files: sources, netlistFile }),
    );
    const run = await runYosysScript(engine ?? (await preferredEngine()), {
      workDir,
      script: 'schematic.ys',
      inputs: sources,
      outputs: [netlistFile],
    });
    if (run.exitCode !== 0) {
      return {
        skipped: `Yosys could not read the design:\n${run.log.trimEnd().split('\n').slice(-8).join('\n')}`,
      };
    }
    const netlist = JSON.parse(await readFile(join(workDir, netlistFile), 'utf8')) as YosysJson;
    const cells = Object.keys(netlist.modules[top]?.cells ?? {}).length;
    if (cells > SCHEMATIC_MAX_CELLS) {
      return {
        skipped: `the top level has ${cells} word-level cells, more than ${SCHEMATIC_MAX_CELLS} make a readable schematic`,
      };
    }
    return { svg: await drawNetlist(netlist), cells };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

interface YosysJson {
  creator?: string;
  modules: Record<string, { attributes?: Record<string, unknown>; cells?: Record<string, unknown> }>;
}

let skin: Promise<string> | undefined;

async function drawNetlist(netlist: YosysJson): Promise<string> {
  skin ??= readFile(new URL(import.meta.resolve('netlistsvg/lib/default.svg')), 'utf8');
  // The creator line names the Yosys build; it does not change the drawing.
  const { creator: _creator, ...rest } = netlist;
  const svg = await netlistsvg.render(await skin, rest);
  if (typeof svg !== 'string' || !svg.startsWith('<svg')) throw new Error('netlistsvg drew no SVG');
  return svg.endsWith('\n') ? svg : svg + '\n';
}
