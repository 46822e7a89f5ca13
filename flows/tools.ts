// The external programs bitsmith runs, and the Debian package that provides each one.
import { findExecutable, requireExecutable } from '../testbenches/sim/executables.ts';

export const EXTERNAL_TOOLS = {
  iverilog: 'iverilog',
  vvp: 'iverilog',
  verilator: 'verilator',
  yosys: 'yosys',
  'nextpnr-ice40': 'nextpnr-ice40',
  icepack: 'fpga-icestorm',
  'g++': 'g++',
} as const satisfies Record<string, string>;

export type ToolName = keyof typeof EXTERNAL_TOOLS;

export function debianPackageOf(tool: ToolName): string {
  return EXTERNAL_TOOLS[tool];
}

/** The tool's full path, or undefined when it is not on PATH. */
export function findTool(tool: ToolName): Promise<string | undefined> {
  return findExecutable(tool);
}

/** The tool's full path; a missing tool is an Error that names the Debian package to install. */
export function requireTool(tool: ToolName): Promise<string> {
  return requireExecutable(tool, EXTERNAL_TOOLS[tool]);
}

/** Every external tool with its path, or undefined where it is missing (for a "what is installed" report). */
export async function locateTools(): Promise<Record<ToolName, string | undefined>> {
  const names = Object.keys(EXTERNAL_TOOLS) as ToolName[];
  const paths = await Promise.all(names.map((name) => findTool(name)));
  return Object.fromEntries(names.map((name, i) => [name, paths[i]])) as Record<ToolName, string | undefined>;
}
