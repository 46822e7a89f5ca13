// The cost targets on xc7 without DSPs (native Yosys, as the area baselines): INT4 → FP16
// element conversion at most 20 LUTs per lane; MXFP4 with its E8M0 scale → FP16 at most 40 LUTs per
// lane (measured on 8 lanes, shared per-word logic included: a 32-lane block unit amortizes it further).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureArea } from '../../flows/ippack/area-baseline.ts';
import { resolveTarget } from '../../flows/target.ts';

const work = mkdtempSync(join(tmpdir(), 'bitsmith-dequant-cost-'));

async function lutsPerLane(params: Record<string, unknown>): Promise<number> {
  const target = resolveTarget('dequant', params);
  const area = await measureArea(target, 'xc7-nodsp', 'native', join(work, target.module.name));
  expect(area.dsps).toBe(0);
  return area.luts / (params.lanes as number);
}

describe('dequant cost per lane (xc7, no DSP)', () => {
  it('INT4 → FP16 element conversion: at most 20 LUTs per lane', async () => {
    expect(await lutsPerLane({ format: 'int4', scale: 'none', lanes: 8, latency: 1 })).toBeLessThanOrEqual(
      20,
    );
  });

  it('MXFP4 element with E8M0 scale → FP16: at most 40 LUTs per lane', async () => {
    expect(
      await lutsPerLane({ format: 'mxfp4', lanes: 32, outFormat: 'fp16', latency: 1 }),
    ).toBeLessThanOrEqual(40);
  });
});
