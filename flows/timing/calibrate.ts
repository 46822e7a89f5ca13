// Fit the delay model (generators/timing/) to measured Fmax: `npm run calibrate-timing`.
//
// The measurements are nextpnr results for catalog units, each inside the registered-I/O wrapper
// (flows/timing/measured.json: `--collect` copies them from ip/baselines.json, and the Fmax sweep adds
// units at other latencies). For each device the script searches the model's delays (Nelder–Mead, in
// log space so that they stay positive) for the smallest mean absolute log error, prints each unit's
// estimate against its measurement, and writes generators/timing/calibrated.ts. `--device ecp5-8`
// (a comma-separated list) fits only those devices; the others keep the delays they have.
import { fileURLToPath } from 'node:url';
import { writeFormatted } from './write-formatted.ts';
import { projectPath } from '../../generators/emit/paths.ts';
import { CALIBRATED } from '../../generators/timing/calibrated.ts';
import { DELAY_MODELS, MAPPINGS, type DelayModel } from '../../generators/timing/delay-model.ts';
import { estimateFmax } from '../../generators/timing/estimate.ts';
import { timingGraph } from '../../generators/timing/timing-graph.ts';
import type { Module } from '../../generators/hdl/ir.ts';
import { CATALOG } from '../../ip/catalog.ts';
import { readBaselines } from '../ippack/baselines.ts';
import {
  buildMeasuredUnit,
  CALIBRATED_DEVICES,
  readMeasurements,
  saveMeasurements,
  type Measurement,
} from './measurements.ts';
import { minimize } from './nelder-mead.ts';

const DELAYS = [
  'registerNs',
  'lutNs',
  'muxNs',
  'sizeExponent',
  'pathExponent',
  'carryBitNs',
  'chainNs',
  'chainExitNs',
  'dspNs',
  'bramNs',
  'fanoutNs',
] as const;
type Delay = (typeof DELAYS)[number];
const outputPath = projectPath('generators', 'timing', 'calibrated.ts');

/**
 * The estimate is fitted as this quantile of what place and route reaches: place and route meets it in
 * 1 − q of the units. A choice of latency rests on the estimate, and a missed clock costs more than a
 * stage too many, so the model leans low (docs/timing.md#fit).
 */
const REACHED_QUANTILE = 0.2;

/** The catalog's recorded Fmax, as measurements (replacing earlier copies of the same units). */
function collectFromBaselines(): Measurement[] {
  const baselines = readBaselines();
  const fromCatalog = CATALOG.flatMap((e) =>
    CALIBRATED_DEVICES.flatMap((device) => {
      const mhz = baselines?.ips[e.name]?.fmax?.[device];
      return mhz === undefined
        ? []
        : [{ unit: e.name, generator: e.generator, params: e.params, device, mhz }];
    }),
  );
  const names = new Set(CATALOG.map((e) => e.name));
  return [...fromCatalog, ...readMeasurements().filter((m) => !names.has(m.unit))];
}

/**
 * The delays that minimize the mean pinball loss of the log error over `points` (REACHED_QUANTILE). A delay no point's path can
 * include (block RAM where no unit has one) keeps the value in `fixed`.
 */
function fit(
  device: Measurement['device'],
  points: { module: Module; mhz: number }[],
  fixed: Partial<Record<Delay, number>>,
) {
  const start = DELAY_MODELS[device];
  const free = DELAYS.filter((d) => fixed[d] === undefined);
  const model = (x: readonly number[]): DelayModel => ({
    ...start,
    ...fixed,
    mapping: MAPPINGS[device],
    ...Object.fromEntries(free.map((d, i) => [d, Math.exp(x[i]!)])),
  });
  // The pinball loss of the log ratio: an estimate above the measurement (a clock promised and missed)
  // weighs (1 − q) / q times one below it, so the fit lands where a fraction 1 − q of units reach it.
  const error = (x: readonly number[]) => {
    const m = model(x);
    return (
      points.reduce((sum, p) => {
        const r = Math.log(p.mhz / estimateFmax(p.module, device, m).mhz);
        return sum + (r < 0 ? (1 - REACHED_QUANTILE) * -r : REACHED_QUANTILE * r);
      }, 0) / points.length
    );
  };
  // Nelder–Mead stalls on a kinked surface: five rounds, each restarted from the best point so far.
  // A delay new to the model (0 before its first fit) starts from half a nanosecond.
  let best = free.map((d) => Math.log(Math.max(start[d] === 0 ? 0.5 : start[d], 0.001)));
  for (let round = 0; round < 5; round++) best = minimize(error, best, { step: 0.3, iterations: 500 });
  return model(best);
}

function usesOp(module: Module, device: Measurement['device'], op: string): boolean {
  return timingGraph(module, MAPPINGS[device]).vertices.some(
    (v) => v.mapped.op === op || (op === 'bram' && v.mapped.op === 'source' && v.mapped.bram),
  );
}

async function main(): Promise<void> {
  if (process.argv.includes('--collect')) {
    await saveMeasurements(collectFromBaselines());
  }
  const measurements = readMeasurements();
  const at = process.argv.indexOf('--device');
  const only = at < 0 ? undefined : (process.argv[at + 1] ?? '').split(',');
  for (const d of only ?? []) {
    if (!(CALIBRATED_DEVICES as readonly string[]).includes(d))
      throw new Error(`--device '${d}' is not allowed: use ${CALIBRATED_DEVICES.join(', ')}`);
  }
  const fitted: Record<string, Record<string, number>> = structuredClone(CALIBRATED);
  for (const device of ['ecp5', 'ecp5-8', 'ice40'] as const) {
    if (only !== undefined && !only.includes(device)) continue;
    const points = measurements
      .filter((m) => m.device === device)
      .map((m) => ({ ...m, module: buildMeasuredUnit(m) }));
    const uses = (op: string) => points.some((p) => usesOp(p.module, device, op));
    const fixed: Partial<Record<Delay, number>> = {};
    // ECP5 speed 6 is fitted first; a device with no unit that uses a block takes its delay.
    if (!uses('dsp')) fixed.dspNs = fitted.ecp5!.dspNs!;
    if (!uses('bram')) fixed.bramNs = fitted.ecp5!.bramNs!;
    const model = fit(device, points, fixed);
    fitted[device] = Object.fromEntries(DELAYS.map((d) => [d, Number(model[d].toPrecision(4))]));
    // The median of measured over estimated: what units typically reach, above the low-leaning estimate.
    const ratios = points.map((p) => p.mhz / estimateFmax(p.module, device, model).mhz).sort((a, b) => a - b);
    fitted[device]!.typicalRatio = Number(ratios[Math.floor(ratios.length / 2)]!.toPrecision(4));
    const errors = points.map((p) => {
      const est = estimateFmax(p.module, device, model).mhz;
      console.log(
        `${device.padEnd(7)} ${p.unit.padEnd(34)} ${p.mhz.toFixed(1).padStart(7)} ${est.toFixed(1).padStart(7)} ${(((est - p.mhz) / p.mhz) * 100).toFixed(1).padStart(6)}%`,
      );
      return Math.abs(est - p.mhz) / p.mhz;
    });
    errors.sort((a, b) => a - b);
    console.log(
      `${device}: ${points.length} units, median absolute error ${(errors[Math.floor(errors.length / 2)]! * 100).toFixed(1)}%, worst ${(errors.at(-1)! * 100).toFixed(1)}%`,
    );
    console.log(`${device}: ${JSON.stringify(fitted[device])}`);
    const heldOut = readMeasurements('held-out').filter((m) => m.device === device);
    if (heldOut.length > 0) {
      const misses = heldOut
        .map((m) => Math.abs(estimateFmax(buildMeasuredUnit(m), device, model).mhz / m.mhz - 1))
        .sort((a, b) => a - b);
      console.log(
        `${device}: held out (not fitted), ${heldOut.length} placements: median absolute error ` +
          `${(misses[Math.floor(misses.length / 2)]! * 100).toFixed(1)}%, worst ${(misses.at(-1)! * 100).toFixed(1)}%`,
      );
    }
  }
  await writeFormatted(
    outputPath,
    `// Written by flows/timing/calibrate.ts from flows/timing/measured.json: do not edit by hand.\nexport const CALIBRATED = ${JSON.stringify(fitted)} as const;\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
