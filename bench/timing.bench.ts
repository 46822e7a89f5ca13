// Timing closure: every catalog IP's latency and Fmax on the iCE40 HX8K and the ECP5-85 (speed 6 and
// 8), the ratio to the INT8 MAC on the same device, and the targets beside them. Figures whose
// fingerprint matches ip/baselines.json are taken from it (nextpnr is deterministic for a fixed seed);
// the others are placed and routed now. `npm run bench -- timing` runs only this.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureBaselines } from '../flows/ippack/area-baseline.ts';
import { FMAX_BASELINE_TARGETS, readBaselines, type FmaxBaselineTarget } from '../flows/ippack/baselines.ts';
import { table } from '../flows/cli/output.ts';
import { resolveTarget } from '../flows/target.ts';
import { CATALOG, type CatalogEntry } from '../ip/catalog.ts';

/** The reference every float unit is compared with: the INT8 MAC with a registered product. */
const REFERENCE = 'mac_int8_s_acc32';

/** The Fmax targets (MHz) per kind of unit: iCE40 HX8K, ECP5 speed 6. */
function targetOf(entry: CatalogEntry): { ice40?: number; ecp5?: number } {
  if (entry.generator === 'gemv' || entry.generator === 'lut_gemv') return { ecp5: 100 };
  // The dequantizers and format converters (issue #13, deliverable 3): the multipliers' target.
  if (['fp_mul', 'lmul', 'reconf_mul', 'multi_fp_mul', 'dequant', 'fp_convert'].includes(entry.generator))
    return { ice40: 80, ecp5: 150 };
  if (['fp_mac', 'dot', 'mx_dot', 'mixed_mac', 'int_mac'].includes(entry.generator))
    return { ice40: 60, ecp5: 125 };
  // Issue #22: the adder at FloPoCo's iCE40 speed (FPAdd: 82 MHz with 8 stages); on ECP5 the MACs'
  // target, which every catalog adder meets (docs/fp_add.md#near-far-path: fp16 and bf16 at 6 stages, fp32 at 7).
  if (entry.generator === 'fp_add') return { ice40: 80, ecp5: 125 };
  return {};
}

export async function benchTiming(): Promise<void> {
  const workRoot = mkdtempSync(join(tmpdir(), 'bitsmith-bench-timing-'));
  const previous = readBaselines();
  const started = Date.now();
  try {
    const { baselines, notes } = await measureBaselines(CATALOG, {
      engine: 'native',
      workRoot,
      jobs: 2,
      fmax: true,
      ...(previous === undefined ? {} : { previous }),
      onStep: (ip, step) => process.stderr.write(`timing: ${ip}: ${step}\n`),
    });
    const fmax = (ip: string, t: FmaxBaselineTarget) => baselines.ips[ip]?.fmax?.[t];
    const show = (mhz: number | undefined, target?: number) =>
      mhz === undefined ? '–' : `${mhz.toFixed(1)}${target === undefined ? '' : mhz >= target ? ' ✓' : ' ✗'}`;
    const ratio = (ip: string, t: FmaxBaselineTarget) => {
      const [mhz, reference] = [fmax(ip, t), fmax(REFERENCE, t)];
      return mhz === undefined || reference === undefined ? '–' : (mhz / reference).toFixed(2);
    };
    const rows = CATALOG.map((entry) => {
      const timing = resolveTarget(entry.name).module.timing;
      const latency =
        timing.kind === 'comb' ? '0' : timing.kind === 'sequential' ? 'stream' : String(timing.latency);
      const goal = targetOf(entry);
      return [
        entry.name,
        latency,
        show(fmax(entry.name, 'ice40'), goal.ice40),
        show(fmax(entry.name, 'ecp5'), goal.ecp5),
        show(fmax(entry.name, 'ecp5-8')),
        ratio(entry.name, 'ice40'),
        ratio(entry.name, 'ecp5'),
        [goal.ice40, goal.ecp5].some((g) => g !== undefined)
          ? `≥ ${goal.ice40 ?? '–'} / ≥ ${goal.ecp5 ?? '–'}`
          : '',
      ];
    });
    console.log(
      table([
        [
          'IP',
          'LATENCY',
          'ICE40 MHZ',
          'ECP5-6 MHZ',
          'ECP5-8 MHZ',
          `÷ INT8 MAC ICE40`,
          '÷ INT8 MAC ECP5',
          'TARGET',
        ],
        ...rows,
      ]),
    );
    for (const note of notes) console.log(`note: ${note}`);
    const missed = rows.filter((r) => r.some((c) => c.endsWith('✗'))).length;
    console.log(
      `${rows.length - missed} of ${rows.length} IPs meet their Fmax targets on ${FMAX_BASELINE_TARGETS.join(', ')} ` +
        `(${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
  } finally {
    rmSync(workRoot, { recursive: true, force: true });
  }
}
