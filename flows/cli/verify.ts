import type { Command } from 'commander';
import { formatReport } from '../../testbenches/conformance.ts';
import { parseVectorKind } from '../../testbenches/plans/plan.ts';
import { SIMULATOR_NAMES, type SimulatorChoice } from '../../testbenches/sim/container.ts';
import { parseOverrides, resolveTarget, type Target } from '../target.ts';
import { verifyVendor } from '../sim/verify-vendor.ts';
import { isCocotbChoice, verifyTarget, type VerifyResult, type VerifySimChoice } from '../verify.ts';
import { COCOTB_SIMULATORS } from '../../testbenches/sim/cocotb.ts';
import { emit, simulationFolder } from './output.ts';
import { withTimeoutOption } from './timeout.ts';

export interface SimOptionValues {
  sim: string;
  vectors: string;
  seed: string;
  vcd?: boolean;
}

/**
 * The g++ C-simulation against the vendor's ap_types (hls4ml's copy in .venv, flows/sim/hls-vendor.ts).
 * Not part of 'all': it needs the Python environment, and 'all' keeps to the Debian tools.
 */
export const VENDOR_SIMULATOR = 'hls-vendor';
// cocotb-icarus and cocotb-verilator run the package's cocotb bench (tb/cocotb/) with the .venv's cocotb.
const VERIFY_SIM_CHOICES = [...SIMULATOR_NAMES, VENDOR_SIMULATOR, 'all', ...COCOTB_SIMULATORS];

/** Check verify's --sim (which also takes hls-vendor), --vectors and --seed, naming the bad one. */
export function verifySimOptions(o: SimOptionValues) {
  if (!VERIFY_SIM_CHOICES.includes(o.sim))
    throw new Error(`--sim '${o.sim}' is not allowed: use ${VERIFY_SIM_CHOICES.join(', ')}`);
  const vendor = o.sim === VENDOR_SIMULATOR;
  const checked = simOptions({ ...o, sim: vendor ? 'hls' : isCocotbChoice(o.sim) ? 'all' : o.sim });
  const sim: VerifySimChoice = isCocotbChoice(o.sim) ? o.sim : checked.sim;
  return { ...checked, sim, vendor };
}

/** Check --sim, --vectors and --seed, naming the bad one. */
export function simOptions(o: SimOptionValues) {
  const choices = [...SIMULATOR_NAMES, 'all'];
  if (!choices.includes(o.sim)) throw new Error(`--sim '${o.sim}' is not allowed: use ${choices.join(', ')}`);
  // Above 2^53 a seed would be rounded (and then misquoted): refuse it as typed.
  if (!/^\d+$/.test(o.seed) || !Number.isSafeInteger(Number(o.seed)))
    throw new Error(`--seed '${o.seed}' is not allowed: use an integer from 0 to ${Number.MAX_SAFE_INTEGER}`);
  return {
    sim: o.sim as SimulatorChoice,
    vectors: parseVectorKind(o.vectors),
    seed: Number(o.seed),
    vcd: o.vcd ?? false,
  };
}

/**
 * A streaming core (GEMV) runs its plan's jobs, not vectors, and its job testbench writes no
 * waveform: refuse --vectors other than default and --vcd rather than ignore them.
 */
export function checkStreamingOptions(target: Target, o: SimOptionValues): void {
  if (target.module.timing.kind !== 'sequential') return;
  if (o.vectors !== 'default')
    throw new Error(
      `--vectors '${o.vectors}' is not allowed for ${target.ip}: a streaming core runs its plan's jobs ` +
        `(--vectors default); vary the data and stalls with --seed`,
    );
  if (o.vcd === true)
    throw new Error(
      `--vcd is not allowed for ${target.ip}: the job testbench of a streaming core writes no waveform`,
    );
}

export function lintText(result: VerifyResult): string {
  return result.lint.clean
    ? 'lint         clean (verilator --lint-only -Wall)\n'
    : `lint         FAIL\n${result.lint.messages.join('\n')}\n`;
}

export function registerVerify(program: Command): void {
  withTimeoutOption(program.command('verify'))
    .description('generate an IP, lint it and check it against its golden model in the simulators')
    .argument('<ip|generator>', 'catalog IP name or generator name')
    .option('--sim <name>', `simulator: ${VERIFY_SIM_CHOICES.join('|')}`, 'all')
    .option('--vectors <kind>', 'default | exhaustive | corner | random:N', 'default')
    .option('--seed <n>', 'seed of random vectors and bubbles', '1')
    .option('--vcd', 'dump a waveform')
    .option('--set <key=value...>', 'override a parameter (repeatable)', [])
    .option('--out <dir>', 'output folder', 'out')
    .option('--json', 'machine-readable output')
    .action(async (name: string, o: SimOptionValues & { set: string[]; out: string; json?: boolean }) => {
      const { vendor, ...sim } = verifySimOptions(o);
      const target = resolveTarget(name, parseOverrides(o.set));
      checkStreamingOptions(target, o);
      const onStep = (step: string) => process.stderr.write(`${target.ip}: ${step}\n`);
      const outDir = simulationFolder(o.out);
      const result = vendor
        ? await verifyVendor(target, { outDir, vectors: sim.vectors, seed: sim.seed, onStep })
        : await verifyTarget(target, { outDir, ...sim, onStep });
      emit(o.json ?? false, result, () => lintText(result) + formatReport(result.conformance));
      if (!result.passed) process.exitCode = 1;
    });
}
