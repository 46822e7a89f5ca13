// Both sides quantized (issue #17): the activation quantizer's LUTs per element, mx_dot's LUTs per lane
// beside dot's (target ≤ 1.2×), and the W4A8 GEMV core's LUTs against the W4A16 core's at the same
// P·S (target ≤ 0.6×, from ip/baselines.json: a whole core takes minutes to synthesize).
// `npm run bench -- quantized` runs only this.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readBaselines } from '../flows/ippack/baselines.ts';
import { measureLuts } from './area.bench.ts';

const QUANTIZE_MXFP4 = { name: 'quantize_mxfp4_bf16', set: { latency: 0 }, perLane: 32 };
const MX_DOT_MXFP8 = {
  name: 'mx_dot',
  set: { aFormat: 'mxfp8_e4m3', bFormat: 'mxfp8_e4m3', outFormat: 'fp32', latency: 0 },
  perLane: 32,
};
const DOT32_E4M3 = {
  name: 'dot',
  set: { aFormat: 'e4m3fn', bFormat: 'e4m3fn', lanes: 32, sum: 'exact', outFormat: 'fp32', latency: 0 },
  perLane: 32,
};
const W4A8 = 'gemv_w4a8_g128_p4s8';
const W4A16 = 'gemv_w4a16_g128_p4s8';

export async function benchQuantized(): Promise<void> {
  const root = join(tmpdir(), `bitsmith-bench-quantized-${process.pid}`);
  const perElement = await measureLuts(QUANTIZE_MXFP4, join(root, 'quantize'), 'xc7-nodsp');
  const perElementEcp5 = await measureLuts(QUANTIZE_MXFP4, join(root, 'quantize-ecp5'), 'ecp5');
  console.log(
    `quantize MXFP4 from bf16, 32 elements per cycle: ${perElement.toFixed(1)} LUTs per element on xc7 -nodsp, ` +
      `${perElementEcp5.toFixed(1)} on ECP5`,
  );
  const mx = await measureLuts(MX_DOT_MXFP8, join(root, 'mx_dot'), 'xc7-nodsp');
  const dot = await measureLuts(DOT32_E4M3, join(root, 'dot'), 'xc7-nodsp');
  const ratio = mx / dot;
  console.log(
    `mx_dot MXFP8 (E4M3) → fp32: ${mx.toFixed(1)} LUTs per lane on xc7 -nodsp, dot32 E4M3 ${dot.toFixed(1)}: ` +
      `${ratio.toFixed(2)}× (target ≤ 1.2×: ${ratio <= 1.2 ? 'met' : 'over'})`,
  );
  const ips = readBaselines()?.ips;
  const [w4a8, w4a16] = [ips?.[W4A8]?.area.ecp5, ips?.[W4A16]?.area.ecp5];
  if (w4a8 === undefined || w4a16 === undefined) {
    console.log(`${W4A8} / ${W4A16}: no ECP5 baseline in ip/baselines.json`);
    return;
  }
  const gemvRatio = w4a8.luts / w4a16.luts;
  console.log(
    `${W4A8} against ${W4A16} (ECP5, P·S = 32, from ip/baselines.json): ${w4a8.luts} against ${w4a16.luts} LUTs, ` +
      `${gemvRatio.toFixed(2)}× (target ≤ 0.6×: ${gemvRatio <= 0.6 ? 'met' : 'over'})`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchQuantized();
