import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { renderTemplate } from '../../generators/emit/templates.ts';
import type { Module, NodeKind } from '../../generators/hdl/ir.ts';
import { makeScratchFolder } from '../../testbenches/sim/stale-folders.ts';
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

// IR nodes that Yosys keeps as wires (bit selections, joins, extensions, constants), not cells.
const WIRE_KINDS: ReadonlySet<NodeKind> = new Set([
  'input',
  'const',
  'slice',
  'concat',
  'zext',
  'sext',
  'cast',
  'instout',
]);

/**
 * The word-level cells of a module's own level, counted from the IR: operators, registers,
 * sub-module instances and memories. Yosys folds some operators into constants and wires, so its
 * count is usually lower.
 */
export function topLevelCells(top: Module): number {
  const operators = top.nodes.filter((n) => !WIRE_KINDS.has(n.kind)).length;
  return operators + top.registers.length + top.instances.length + top.memories.length;
}

/**
 * The top level of a design as an SVG schematic: Yosys reads the top's RTL into word-level cells
 * (adders, multipliers, muxes, flip-flops), with its sub-modules as port-only boxes written from the
 * IR, and netlistsvg lays it out and draws it. A top level far too large to read is decided from the
 * IR alone, before Yosys runs; sub-modules are never read, however large.
 */
export async function renderSchematic(
  files: string[],
  top: Module,
  engine?: SynthEngine,
): Promise<SchematicResult> {
  const tooLarge = (cells: number) => ({
    skipped: `the top level has ${cells} word-level cells, more than ${SCHEMATIC_MAX_CELLS} make a readable schematic`,
  });
  // The IR count runs up to 40% above Yosys's (which folds constants), hence the margin.
  const estimate = topLevelCells(top);
  if (estimate > 2 * SCHEMATIC_MAX_CELLS) return tooLarge(estimate);
  const topIndex = files.findIndex((f) => basename(f) === `${top.name}.v`);
  if (topIndex < 0) throw new Error(`renderSchematic: no file ${top.name}.v among the RTL files`);
  const workDir = await makeScratchFolder('schematic');
  try {
    // The top's path shows in the drawing's cell ids: src/<index>_<file>, as when every file was read.
    const topFile = `src/${topIndex}_${top.name}.v`;
    const [boxesFile, netlistFile] = ['boxes.v', 'schematic.json'];
    await mkdir(join(workDir, 'src'));
    await copyFile(files[topIndex]!, join(workDir, topFile));
    const subModules = [...new Map(top.instances.map((i) => [i.module.name, i.module])).values()];
    const modules = subModules.map((m) => ({
      name: m.name,
      ports: m.ports.map((p) => ({ name: p.name, direction: p.direction, msb: p.type.width - 1 })),
    }));
    await writeFile(
      join(workDir, boxesFile),
      renderTemplate('ip/schematic-boxes.v.hbs', { top: top.name, modules }),
    );
    await writeFile(
      join(workDir, 'schematic.ys'),
      renderTemplate('ip/schematic.ys.hbs', { top: top.name, topFile, boxesFile, netlistFile }),
    );
    const run = await runYosysScript(engine ?? (await preferredEngine()), {
      workDir,
      script: 'schematic.ys',
      inputs: [topFile, boxesFile],
      outputs: [netlistFile],
    });
    if (run.exitCode !== 0) {
      return {
        skipped: `Yosys could not read the design:\n${run.log.trimEnd().split('\n').slice(-8).join('\n')}`,
      };
    }
    const netlist = JSON.parse(await readFile(join(workDir, netlistFile), 'utf8')) as YosysJson;
    const cells = Object.keys(netlist.modules[top.name]?.cells ?? {}).length;
    if (cells > SCHEMATIC_MAX_CELLS) return tooLarge(cells);
    const drawing = await drawNetlist(netlist);
    return typeof drawing === 'string' ? { svg: drawing, cells } : drawing;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

interface YosysJson {
  creator?: string;
  modules: Record<string, { attributes?: Record<string, unknown>; cells?: Record<string, unknown> }>;
}

// netlistsvg splits and joins buses recursively, one call per bit: a 129-bit bus overflows the main
// thread's stack. A worker thread with a larger stack draws it; deeper still, the drawing is skipped.
const DRAW_STACK_MB = 64;
const DRAW_IN_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
require(workerData.netlistsvg)
  .render(workerData.skin, workerData.netlist)
  .then((svg) => parentPort.postMessage({ svg }), (error) => parentPort.postMessage({ error: String(error) }));
`;

let skin: string | undefined;

async function drawNetlist(netlist: YosysJson): Promise<string | { skipped: string }> {
  const require = createRequire(import.meta.url);
  skin ??= await readFile(require.resolve('netlistsvg/lib/default.svg'), 'utf8');
  // The creator line names the Yosys build; it does not change the drawing.
  const { creator: _creator, ...rest } = netlist;
  const worker = new Worker(DRAW_IN_WORKER, {
    eval: true,
    workerData: { netlistsvg: require.resolve('netlistsvg'), skin, netlist: rest },
    resourceLimits: { stackSizeMb: DRAW_STACK_MB },
  });
  const reply = await new Promise<{ svg?: unknown; error?: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  }).finally(() => worker.terminate());
  if (reply.error !== undefined) {
    if (!reply.error.includes('Maximum call stack size exceeded'))
      throw new Error(`netlistsvg: ${reply.error}`);
    return { skipped: `netlistsvg ran out of stack (${DRAW_STACK_MB} MB) on the top level's wide buses` };
  }
  const svg = reply.svg;
  if (typeof svg !== 'string' || !svg.startsWith('<svg')) throw new Error('netlistsvg drew no SVG');
  return svg.endsWith('\n') ? svg : svg + '\n';
}
