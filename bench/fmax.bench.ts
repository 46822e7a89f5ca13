// Frequency-directed pipelining (`npm run bench -- fmax`): for each (unit, requested clock, device) the
// delay model picks a latency (`--set fmax=… --set target=…`), nextpnr places the unit at that latency,
// and the latencies next to it are placed too, to find the smallest one that really meets the clock.
// None of these units or latencies is in the calibration data (flows/timing/measured.json) except at
// their catalog latency, so the model's error here is measured on points it was not fitted to. Each
// placement is kept in flows/timing/held-out.json, where the calibration reports its error too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimateFmax } from '../generators/timing/estimate.ts';
import { table } from '../flows/cli/output.ts';
import { readBaselines } from '../flows/ippack/baselines.ts';
import { measureModuleFmax } from '../flows/pnr/fmax.ts';
import type { SynthEngine } from '../flows/synth/types.ts';
import { resolveTarget } from '../flows/target.ts';
import { recordMeasurement } from '../flows/timing/measurements.ts';

/** Requests (MHz) per catalog unit and device: below what the unit reached at its catalog latency. */
const REQUESTS: [ip: string, device: 'ice40' | 'ecp5', mhz: number][] = [
  ['fp_mul_bf16', 'ice40', 80],
  ['fp_mul_bf16', 'ice40', 120],
  ['fp_mul_e5m2', 'ice40', 100],
  ['lmul_fp16', 'ice40', 100],
  ['lmul_bf16_m3', 'ice40', 120],
  ['fma_fp32', 'ice40', 50],
  ['mac_e4m3fn_kulisch32', 'ice40', 70],
  ['dot8_e4m3fn_fp32', 'ice40', 60],
  ['dequant_razer_fp4_fp16x8', 'ice40', 100],
  ['dequant_mxint8_fp32x4', 'ice40', 80],
  ['mac_w4a16_g128', 'ice40', 60],
  ['fp_mul_bf16', 'ecp5', 120],
  ['fp_mul_bf16', 'ecp5', 160],
  ['fp_mul_e5m2', 'ecp5', 150],
  ['lmul_fp16', 'ecp5', 150],
  ['lmul_bf16_m3', 'ecp5', 180],
  ['fma_fp32', 'ecp5', 110],
  ['mac_e4m3fn_kulisch32', 'ecp5', 110],
  ['mac_lmul_bf16_fp32', 'ecp5', 120],
  ['dot8_e4m3fn_fp32', 'ecp5', 110],
  ['dequant_razer_fp4_fp16x8', 'ecp5', 140],
  ['dequant_mxint8_fp32x4', 'ecp5', 140],
  ['dequant_nvfp4_fp16x16', 'ecp5', 130],
  ['mac_w4a16_g128', 'ecp5', 110],
];

export async function benchFmax(): Promise<void> {
  const engine = readBaselines()?.engine ?? 'native';
  const workRoot = mkdtempSync(join(tmpdir(), 'bitsmith-bench-fmax-'));
  const placed = new Map<string, { mhz: number; estimate: number }>();
  const place = async (ip: string, latency: number, device: 'ice40' | 'ecp5') => {
    const key = `${ip} ${latency} ${device}`;
    if (!placed.has(key)) {
      const target = resolveTarget(ip, { latency });
      process.stderr.write(`fmax: ${ip} at latency ${latency} on ${device}\n`);
      const outcome = await measureModuleFmax({
        module: target.module,
        target: device,
        engine,
        workDir: join(workRoot, key.replaceAll(' ', '_')),
      });
      const mhz = 'fmax' in outcome ? outcome.fmax.mhz : Number.NaN;
      placed.set(key, { mhz, estimate: estimateFmax(target.module, device).mhz });
      if ('fmax' in outcome) {
        const unit = `${ip}@${latency}`;
        const point = { unit, generator: target.generator.name, params: target.params, device, mhz };
        await recordMeasurement(point, 'held-out');
      }
    }
    return placed.get(key)!;
  };
  const started = Date.now();
  try {
    const rows: string[][] = [];
    let met = 0;
    let close = 0;
    // Requests some latency of the unit meets after place and route: the ones the targets count.
    let reachable = 0;
    for (const [ip, device, mhz] of REQUESTS) {
      const max = maxLatency(ip);
      let latency: number;
      try {
        latency = resolveTarget(ip, { fmax: mhz, target: device }).params.latency as number;
      } catch (error) {
        // The model says no latency reaches the clock: a miss unless place and route agrees.
        const best = await place(ip, max, device);
        reachable += best.mhz >= mhz ? 1 : 0;
        rows.push([
          ip,
          device,
          String(mhz),
          'refused',
          best.estimate.toFixed(1),
          `${best.mhz.toFixed(1)} at ${max}`,
          best.mhz >= mhz ? '✗ (reachable)' : '– (unreachable)',
        ]);
        process.stderr.write(`fmax: ${(error as Error).message}\n`);
        continue;
      }
      const at = await place(ip, latency, device);
      // The smallest latency nextpnr says meets the clock, searched from the chosen one outwards (Fmax
      // grows with the stages, so two steps either way tell whether the choice is within one).
      let smallest: number | undefined;
      if (at.mhz >= mhz) {
        smallest = latency;
        for (let l = latency - 1; l >= Math.max(0, latency - 2); l--) {
          if ((await place(ip, l, device)).mhz < mhz) break;
          smallest = l;
        }
      } else {
        for (let l = latency + 1; l <= Math.min(max, latency + 2); l++) {
          if ((await place(ip, l, device)).mhz >= mhz) {
            smallest = l;
            break;
          }
        }
        // Fmax need not grow with every stage (placement varies): fewer stages may meet the clock.
        if (smallest === undefined) {
          for (let l = latency - 1; l >= Math.max(0, latency - 2); l--) {
            if ((await place(ip, l, device)).mhz >= mhz) smallest = l;
          }
        }
      }
      const ok = at.mhz >= mhz;
      const within = smallest !== undefined && Math.abs(latency - smallest) <= 1;
      const inReach = smallest !== undefined || (await place(ip, max, device)).mhz >= mhz;
      reachable += inReach ? 1 : 0;
      met += ok ? 1 : 0;
      close += within ? 1 : 0;
      rows.push([
        ip,
        device,
        String(mhz),
        String(latency),
        at.estimate.toFixed(1),
        `${at.mhz.toFixed(1)} ${ok ? '✓' : '✗'}`,
        smallest === undefined ? `> ${Math.min(max, latency + 2)}` : `${smallest}${within ? ' ✓' : ' ✗'}`,
      ]);
    }
    const placedRows = await placedByModelRows(workRoot, engine);
    const header = [
      'unit',
      'device',
      'asked (MHz)',
      'latency chosen',
      'estimated',
      'placed and routed',
      'smallest that meets',
    ];
    console.log(table([header, ...rows]));
    const errors = [...placed.values()]
      .filter((p) => Number.isFinite(p.mhz))
      .map((p) => Math.abs(p.estimate - p.mhz) / p.mhz)
      .sort((a, b) => a - b);
    console.log(
      `\n${met} of the ${reachable} requests that some latency meets were met after place and route ` +
        `(target: 90%); the chosen latency is within 1 of the smallest that meets the clock in ${close} ` +
        `(of ${REQUESTS.length} requests).\n` +
        `Delay model against nextpnr over ${errors.length} placements: median absolute error ` +
        `${((errors[Math.floor(errors.length / 2)] ?? 0) * 100).toFixed(1)}%, worst ${((errors.at(-1) ?? 0) * 100).toFixed(1)}% ` +
        `(${((Date.now() - started) / 60000).toFixed(1)} min).`,
    );
    console.log(
      `\nWith placement model (registers wherever the delay model's arrival times pass the period), on the ` +
        `feed-forward units:\n${table([['unit', 'device', 'asked (MHz)', 'latency chosen (cuts)', 'estimated', 'placed and routed'], ...placedRows.rows])}\n` +
        `${placedRows.met} of ${placedRows.rows.length} met after place and route; ${placedRows.fewer} took fewer stages than the cut points` +
        (placedRows.refused.length === 0
          ? '.'
          : `; ${placedRows.refused.length} refused:\n${placedRows.refused.map((r) => `- ${r}`).join('\n')}`),
    );
  } finally {
    rmSync(workRoot, { recursive: true, force: true });
  }
}

/**
 * Each request again with `placement: model`, where the unit is feed-forward: the latency the placement
 * needs (and the cut points' in parentheses), the estimate, and nextpnr's Fmax.
 */
async function placedByModelRows(workRoot: string, engine: SynthEngine) {
  const rows: string[][] = [];
  const refused: string[] = [];
  let met = 0;
  let fewer = 0;
  for (const [ip, device, mhz] of REQUESTS) {
    let target;
    try {
      target = resolveTarget(ip, { fmax: mhz, target: device, placement: 'model' });
    } catch (error) {
      // A unit with state is left out; a refusal (an operation or a whole child slower than the clock)
      // is a row, with its reason.
      const why = error instanceof Error ? error.message : String(error);
      if (/holds state|has memories|pipelined module/.test(why)) continue;
      refused.push(`${ip} at ${mhz} MHz on ${device}: ${why.replace(/^.*?is not allowed: /, '')}`);
      rows.push([ip, device, String(mhz), 'refused', '–', '–']);
      continue;
    }
    let cuts = '–';
    try {
      cuts = String(resolveTarget(ip, { fmax: mhz, target: device }).params.latency);
    } catch {
      // no cut count reaches the clock
    }
    process.stderr.write(`fmax: ${target.module.name} on ${device}\n`);
    const outcome = await measureModuleFmax({
      module: target.module,
      target: device,
      engine,
      workDir: join(workRoot, `${target.module.name}_${device}`),
    });
    const placed = 'fmax' in outcome ? outcome.fmax.mhz : Number.NaN;
    const latency = target.params.latency as number;
    met += placed >= mhz ? 1 : 0;
    fewer += cuts === '–' || latency < Number(cuts) ? 1 : 0;
    rows.push([
      ip,
      device,
      String(mhz),
      `${latency} (${cuts})`,
      estimateFmax(target.module, device).mhz.toFixed(1),
      `${placed.toFixed(1)} ${placed >= mhz ? '✓' : '✗'}`,
    ]);
  }
  return { rows, refused, met, fewer };
}

function maxLatency(ip: string): number {
  let max = 0;
  for (let l = 0; l <= 64; l++) {
    try {
      resolveTarget(ip, { latency: l });
      max = l;
    } catch {
      if (l > max + 1) break;
    }
  }
  return max;
}
