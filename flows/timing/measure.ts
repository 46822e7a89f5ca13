// Place and route units at chosen latencies and record their Fmax for the delay model's calibration:
//   npx tsx flows/timing/measure.ts <ip> --latency 0,2,4 --device ice40,ecp5
// or with the registers the delay model places for some clocks, on each device (placement: model; the
// delays it placed with are recorded, so the calibration rebuilds the same unit):
//   npx tsx flows/timing/measure.ts <ip> --fmax 80,120 --device ice40,ecp5
// Each result is added to flows/timing/measured.json as it comes (an interrupted run keeps what it
// measured); a unit measured again replaces its earlier figure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBaselines } from '../ippack/baselines.ts';
import { measureModuleFmax } from '../pnr/fmax.ts';
import { resolveTarget } from '../target.ts';
import { DELAY_MODELS } from '../../generators/timing/delay-model.ts';
import { CALIBRATED_DEVICES, recordMeasurement, type Measurement } from './measurements.ts';

function has(flag: string): boolean {
  return process.argv.includes(flag);
}

function list(flag: string): string[] {
  const at = process.argv.indexOf(flag);
  if (at < 0 || process.argv[at + 1] === undefined) throw new Error(`${flag} is missing`);
  return process.argv[at + 1]!.split(',');
}

async function main(): Promise<void> {
  const ip = process.argv[2]!;
  const devices = list('--device') as Measurement['device'][];
  for (const d of devices) {
    if (!(CALIBRATED_DEVICES as readonly string[]).includes(d))
      throw new Error(`--device '${d}' is not allowed: use ${CALIBRATED_DEVICES.join(', ')}`);
  }
  const engine = readBaselines()?.engine ?? 'native';
  const units = has('--fmax')
    ? list('--fmax').flatMap((fmax) => devices.flatMap((device) => placedUnit(ip, Number(fmax), device)))
    : list('--latency').flatMap((latency) =>
        devices.map((device) => {
          const target = resolveTarget(ip, { latency: Number(latency) });
          return { unit: `${ip}@${latency}`, device, target, params: target.params };
        }),
      );
  for (const { unit, device, target, params } of units) {
    const dir = mkdtempSync(join(tmpdir(), 'bitsmith-measure-'));
    try {
      const t0 = Date.now();
      const outcome = await measureModuleFmax({
        module: target.module,
        target: device,
        engine,
        workDir: dir,
      });
      if ('skipped' in outcome) {
        console.log(`${unit} ${device}: ${outcome.skipped}`);
        continue;
      }
      const point: Measurement = {
        unit,
        generator: target.generator.name,
        params,
        device,
        mhz: outcome.fmax.mhz,
      };
      await recordMeasurement(point);
      console.log(`${unit} ${device}: ${outcome.fmax.mhz} MHz (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** A unit with its registers placed for `fmax` on the device, and the delays it was placed with. */
function placedUnit(ip: string, fmax: number, device: Measurement['device']) {
  let target;
  try {
    target = resolveTarget(ip, { fmax, target: device, placement: 'model' });
  } catch (error) {
    console.log(`${ip}@f${fmax} ${device}: ${(error as Error).message}`);
    return [];
  }
  const { mapping: _, ...placedWith } = DELAY_MODELS[device];
  return [{ unit: `${ip}@f${fmax}`, device, target, params: { ...target.params, placedWith } }];
}

await main();
