import { readFileSync } from 'node:fs';
import { projectPath } from '../../generators/emit/paths.ts';
import type { Module } from '../../generators/hdl/ir.ts';
import { generatorByName } from '../../generators/registry.ts';
import { withPackageLock } from '../lock.ts';
import { writeFormatted } from './write-formatted.ts';

/** The devices the delay model is calibrated on (nextpnr places the units there). */
export const CALIBRATED_DEVICES = ['ice40', 'ecp5', 'ecp5-8'] as const;

/** A measured point: a unit's generator and parameters, the device, and the Fmax nextpnr reached. */
export interface Measurement {
  /** A catalog IP, or `<ip>@<latency>` for one measured at another latency. */
  unit: string;
  generator: string;
  params: Record<string, unknown>;
  device: (typeof CALIBRATED_DEVICES)[number];
  mhz: number;
}

/**
 * `measured`: the calibration data. `held-out`: placements `npm run bench -- fmax` made, which the fit
 * never sees; the calibration reports the model's error on them.
 */
export type MeasurementSet = 'measured' | 'held-out';
const pathOf = (set: MeasurementSet) => projectPath('flows', 'timing', `${set}.json`);

export function readMeasurements(set: MeasurementSet = 'measured'): Measurement[] {
  try {
    return JSON.parse(readFileSync(pathOf(set), 'utf8')) as Measurement[];
  } catch {
    return [];
  }
}

/** Write the measurements, sorted by unit and device, through a temporary file (never half written). */
export async function saveMeasurements(
  list: readonly Measurement[],
  set: MeasurementSet = 'measured',
): Promise<void> {
  const sorted = [...list].sort((a, b) => a.unit.localeCompare(b.unit) || a.device.localeCompare(b.device));
  await writeFormatted(pathOf(set), JSON.stringify(sorted));
}

/**
 * Add one measurement, replacing the unit's earlier figure on its device, under a lock on the file: runs
 * of measure.ts side by side lose nothing to each other's writes.
 */
export async function recordMeasurement(point: Measurement, set: MeasurementSet = 'measured'): Promise<void> {
  await withPackageLock(pathOf(set), () =>
    saveMeasurements(
      [...readMeasurements(set).filter((m) => m.unit !== point.unit || m.device !== point.device), point],
      set,
    ),
  );
}

const built = new Map<string, Module>();

/**
 * The unit a measurement was made on, built again from its generator and parameters (once per run). A
 * unit whose registers the delay model placed (`placement: model`) is placed again with the delays
 * recorded beside it (`placedWith`), whatever the model's delays are now, so it is the unit measured.
 */
export function buildMeasuredUnit(m: Pick<Measurement, 'generator' | 'params'>): Module {
  const key = JSON.stringify([m.generator, m.params]);
  if (!built.has(key)) {
    const generator = generatorByName(m.generator);
    if (generator === undefined) throw new Error(`flows/timing/measured.json: no generator '${m.generator}'`);
    if (m.params.placement === 'model') {
      const { fmax, target, placement, placedWith, latency: _, ready, ...own } = m.params;
      const fixed = generator.params.parse({ ...own, latency: 0 }) as Record<string, unknown>;
      built.set(key, generator.build({ ...fixed, ready, fmax, target, placement, placedWith }));
    } else {
      built.set(key, generator.build(generator.params.parse(m.params)));
    }
  }
  return built.get(key)!;
}
