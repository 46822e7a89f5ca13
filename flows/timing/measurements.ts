import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { projectPath } from '../../generators/emit/paths.ts';

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

const MEASURED_PATH = projectPath('flows', 'timing', 'measured.json');

export function readMeasurements(): Measurement[] {
  try {
    return JSON.parse(readFileSync(MEASURED_PATH, 'utf8')) as Measurement[];
  } catch {
    return [];
  }
}

/** Write the measurements, sorted by unit and device, through a temporary file (never half written). */
export function saveMeasurements(list: readonly Measurement[]): void {
  const sorted = [...list].sort((a, b) => a.unit.localeCompare(b.unit) || a.device.localeCompare(b.device));
  writeFileSync(`${MEASURED_PATH}.tmp`, `${JSON.stringify(sorted, null, 2)}\n`);
  renameSync(`${MEASURED_PATH}.tmp`, MEASURED_PATH);
}
