// Place and route units at chosen latencies and record their Fmax for the delay model's calibration:
//   npx tsx flows/timing/measure.ts <ip> --latency 0,2,4 --device ice40,ecp5
// Each result is added to flows/timing/measured.json as it comes (an interrupted run keeps what it
// measured); a unit measured again replaces its earlier figure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBaselines } from '../ippack/baselines.ts';
import { measureModuleFmax } from '../pnr/fmax.ts';
import { resolveTarget } from '../target.ts';
import { CALIBRATED_DEVICES, readMeasurements, saveMeasurements, type Measurement } from './measurements.ts';

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
  for (const latency of list('--latency').map(Number)) {
    const target = resolveTarget(ip, { latency });
    for (const device of devices) {
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
          console.log(`${ip} latency ${latency} ${device}: ${outcome.skipped}`);
          continue;
        }
        const unit = `${ip}@${latency}`;
        const point: Measurement = {
          unit,
          generator: target.generator.name,
          params: target.params,
          device,
          mhz: outcome.fmax.mhz,
        };
        saveMeasurements([
          ...readMeasurements().filter((m) => m.unit !== unit || m.device !== device),
          point,
        ]);
        console.log(
          `${ip} latency ${latency} ${device}: ${outcome.fmax.mhz} MHz (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}

await main();
