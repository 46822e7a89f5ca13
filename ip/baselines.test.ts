import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { limiter, measureArea } from '../flows/ippack/area-baseline.ts';
import {
  areaGrowth,
  areaTargetsOf,
  describeFmaxDrop,
  describeGrowth,
  FMAX_BASELINE_TARGETS,
  fmaxDevicesOf,
  fmaxDropped,
  readBaselines,
} from '../flows/ippack/baselines.ts';
import { fmaxKey, synthesisKey } from '../flows/ippack/synthesis-key.ts';
import { nextpnrVersion, yosysVersion } from '../flows/ippack/tool-versions.ts';
import { FMAX_DEVICES } from '../flows/pnr/devices.ts';
import { measureModuleFmax } from '../flows/pnr/fmax.ts';
import { resolveTarget } from '../flows/target.ts';
import { CATALOG } from './catalog.ts';

// Area guard: every catalog IP is synthesized for each baseline target with the Yosys the baselines
// were recorded with (native Debian yosys; @yowasp/yosys gives other counts), two runs at a time, one
// test per IP and target. A resource that grows more than the tolerance fails its test; an IP
// without a baseline fails too. An IP whose synthesis fingerprint (Verilog, command, script) is the one
// its baseline was recorded under is not synthesized again: Yosys is deterministic. `bitsmith baseline --update` records new figures deliberately.
const baselines = readBaselines();
const workRoot = mkdtempSync(join(tmpdir(), 'bitsmith-baselines-'));
const twoAtATime = limiter(2);

async function checkEngine(): Promise<void> {
  const found = await yosysVersion(baselines!.engine);
  if (found !== baselines!.yosys) {
    throw new Error(
      `ip/baselines.json was recorded with ${baselines!.yosys} (${baselines!.engine}); this machine has ` +
        `${found ?? 'no yosys (Debian package yosys)'}. Area figures differ between Yosys versions: install ` +
        'that one, or record new baselines with `bitsmith baseline --update`.',
    );
  }
}

async function checkNextpnr(target: (typeof FMAX_BASELINE_TARGETS)[number]): Promise<void> {
  const recorded = baselines!.fmax?.[target];
  if (recorded === undefined)
    throw new Error(`ip/baselines.json has no ${target} Fmax: run \`bitsmith baseline --update\``);
  const tool = FMAX_DEVICES[target].pnr;
  const found = await nextpnrVersion(tool);
  if (found !== recorded.nextpnr) {
    throw new Error(
      `the ${target} Fmax baselines were recorded with ${tool} ${recorded.nextpnr}; this machine has ` +
        `${found ?? 'none (run ./setup.sh)'}: install that one, or record new baselines with \`bitsmith baseline --update\`.`,
    );
  }
}

describe('area baselines (ip/baselines.json)', () => {
  it('exist and name the Yosys they were measured with', () => {
    expect(baselines).toBeDefined();
    expect(baselines!.yosys).toMatch(/^Yosys \d+\.\d+/);
    expect(baselines!.tolerance).toBe(0.05);
  });

  it('hold no IP that left the catalog', () => {
    const names = CATALOG.map((e) => e.name);
    expect(Object.keys(baselines!.ips).filter((ip) => !names.includes(ip))).toEqual([]);
  });

  describe.concurrent.each(CATALOG.flatMap((e) => areaTargetsOf(e).map((t) => [e.name, t] as const)))(
    '%s on %s',
    (ip, target) => {
      it('is within 5% of its baseline in LUTs, FFs, carries, DSPs and RAMs', async () => {
        const baseline = baselines?.ips[ip]?.area[target];
        if (baseline === undefined) {
          throw new Error(
            `${ip} has no ${target} baseline in ip/baselines.json: run \`bitsmith baseline --update\``,
          );
        }
        await checkEngine();
        // Same Verilog, command and script as when the baseline was recorded: Yosys would give the same cells.
        const target_ = resolveTarget(ip);
        if (baselines!.ips[ip]!.keys?.[target] === synthesisKey(target_, target)) return;
        const measured = await twoAtATime(() =>
          measureArea(target_, target, baselines!.engine, join(workRoot, ip, target)),
        );
        const growth = areaGrowth(baseline, measured, baselines!.tolerance);
        expect(growth, describeGrowth(ip, target, growth, baselines!.tolerance)).toEqual([]);
      });
    },
  );

  // Fmax guard: a unit whose Verilog, wrapper and P&R settings are the ones its baseline was placed
  // with keeps its figure (nextpnr is deterministic for a fixed seed); any other is placed again.
  describe.concurrent.each(CATALOG.flatMap((e) => fmaxDevicesOf(e).map((t) => [e.name, t] as const)))(
    '%s on %s',
    (ip, device) => {
      it('keeps at least 90% of its Fmax baseline', async () => {
        const entry = baselines?.ips[ip];
        const mhz = entry?.fmax?.[device];
        const skipped = entry?.fmaxSkipped?.[device];
        if (mhz === undefined && skipped === undefined) {
          throw new Error(
            `${ip} has no ${device} Fmax baseline in ip/baselines.json: run \`bitsmith baseline --update\``,
          );
        }
        await checkNextpnr(device);
        const target_ = resolveTarget(ip);
        if (entry!.fmaxKeys?.[device] === fmaxKey(target_, device)) return;
        const dir = join(workRoot, ip, `fmax-${device}`);
        const outcome = await twoAtATime(() =>
          measureModuleFmax({
            module: target_.module,
            target: device,
            engine: baselines!.engine,
            workDir: dir,
          }),
        );
        if ('skipped' in outcome) {
          expect(mhz, `${ip} on ${device}: ${outcome.skipped}`).toBeUndefined();
          return;
        }
        if (mhz === undefined) return; // it did not fit before and fits now
        expect(
          fmaxDropped(mhz, outcome.fmax.mhz, baselines!.fmaxTolerance),
          describeFmaxDrop(ip, device, mhz, outcome.fmax.mhz, baselines!.fmaxTolerance),
        ).toBe(false);
      });
    },
  );
});
