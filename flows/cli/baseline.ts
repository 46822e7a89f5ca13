import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CATALOG } from '../../ip/catalog.ts';
import { measureBaselines } from '../ippack/area-baseline.ts';
import {
  areaGrowth,
  BASELINE_TARGETS,
  BASELINES_PATH,
  describeGrowth,
  formatBaselines,
  readBaselines,
} from '../ippack/baselines.ts';
import { CATALOG_DOCS_PATH, renderCatalogDocs } from '../ippack/catalog-docs.ts';
import { SYNTH_ENGINES, type SynthEngine } from '../synth/types.ts';
import { emit, table } from './output.ts';

export function registerBaseline(program: Command): void {
  program
    .command('baseline')
    .description(
      'synthesize every catalog IP (ice40, xc7) and compare with ip/baselines.json; --update rewrites the file',
    )
    .option('--update', 'record the figures as the new baselines (and regenerate ip/README.md)')
    .option('--engine <name>', `yosys engine: ${SYNTH_ENGINES.join('|')}`, 'native')
    .option('--jobs <n>', 'Yosys runs at a time', '2')
    .option('--no-fmax', 'with --update: keep the recorded Fmax instead of measuring it again')
    .option('--json', 'machine-readable output')
    .action(async (o: { update?: boolean; engine: string; jobs: string; fmax: boolean; json?: boolean }) => {
      if (!(SYNTH_ENGINES as readonly string[]).includes(o.engine)) {
        throw new Error(`--engine '${o.engine}' is not allowed: use ${SYNTH_ENGINES.join(', ')}`);
      }
      if (!/^[1-9]\d*$/.test(o.jobs))
        throw new Error(`--jobs '${o.jobs}' is not allowed: use a positive integer`);
      const engine = o.engine as SynthEngine;
      const old = readBaselines();
      const workRoot = await mkdtemp(join(tmpdir(), 'bitsmith-baseline-'));
      try {
        const { baselines, notes } = await measureBaselines(CATALOG, {
          engine,
          workRoot,
          jobs: Number(o.jobs),
          fmax: (o.update ?? false) && o.fmax,
          ...(old === undefined || old.engine !== engine ? {} : { previous: old }),
          onStep: (ip, step) => process.stderr.write(`baseline: ${ip}: ${step}\n`),
        });
        for (const note of notes) process.stderr.write(`baseline: ${note}\n`);
        // Fmax not measured this time (--no-fmax, or nextpnr missing): keep what was recorded.
        if (baselines.fmax === undefined && old?.fmax !== undefined) {
          baselines.fmax = old.fmax;
          for (const [ip, e] of Object.entries(baselines.ips)) {
            const fmax = old.ips[ip]?.fmaxMhz;
            if (fmax !== undefined) e.fmaxMhz = fmax;
          }
        }
        const rows = Object.entries(baselines.ips).flatMap(([ip, e]) =>
          BASELINE_TARGETS.map((t) => {
            const now = e.area[t]!;
            const before = old?.ips[ip]?.area[t];
            const growth = before ? areaGrowth(before, now, old!.tolerance) : [];
            return { ip, target: t, now, before, growth };
          }),
        );
        const comparable = old !== undefined && old.engine === engine && old.yosys === baselines.yosys;
        if (o.update) {
          await writeFile(BASELINES_PATH, formatBaselines(baselines));
          await writeFile(CATALOG_DOCS_PATH, renderCatalogDocs(CATALOG, baselines));
        }
        const failures = comparable ? rows.filter((r) => r.growth.length > 0 || r.before === undefined) : [];
        emit(o.json ?? false, { baselines, rows, comparable }, () => {
          const lines = [
            table([
              ['IP', 'TARGET', 'LUTS', 'FFS', 'CARRY', 'DSP', 'BASELINE LUTS', 'STATUS'],
              ...rows.map((r) => [
                r.ip,
                r.target,
                String(r.now.luts),
                String(r.now.ffs),
                String(r.now.carries),
                String(r.now.dsps),
                r.before === undefined ? '-' : String(r.before.luts),
                r.before === undefined ? 'no baseline' : r.growth.length > 0 ? 'GREW' : 'ok',
              ]),
            ]),
          ];
          if (!comparable && old !== undefined) {
            lines.push(
              `\nThe baselines were recorded with ${old.yosys} (${old.engine}); these figures come from ${baselines.yosys} (${engine}), so they are not compared.\n`,
            );
          }
          for (const r of rows.filter((r) => r.growth.length > 0)) {
            lines.push(`\n${describeGrowth(r.ip, r.target, r.growth, old!.tolerance)}\n`);
          }
          lines.push(
            o.update
              ? `\nwrote ${BASELINES_PATH} and ${CATALOG_DOCS_PATH}\n`
              : `\n${rows.length - failures.length} of ${rows.length} within the baselines\n`,
          );
          return lines.join('');
        });
        if (!o.update && (failures.length > 0 || !comparable)) process.exitCode = 1;
      } finally {
        await rm(workRoot, { recursive: true, force: true });
      }
    });
}
