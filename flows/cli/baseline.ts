import { rm, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CATALOG } from '../../ip/catalog.ts';
import { measureBaselines, recordFigure, type Measured } from '../ippack/area-baseline.ts';
import { writeAtomically } from '../ippack/results.ts';
import {
  areaGrowth,
  BASELINE_TARGETS,
  BASELINES_PATH,
  describeGrowth,
  FMAX_BASELINE_TARGETS,
  formatBaselines,
  readBaselines,
  type Baselines,
} from '../ippack/baselines.ts';
import { CATALOG_DOCS_PATH, renderCatalogDocs } from '../ippack/catalog-docs.ts';
import { SYNTH_ENGINES, type SynthEngine } from '../synth/types.ts';
import { makeScratchFolder } from '../../testbenches/sim/stale-folders.ts';
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
    .option(
      '--only <ips>',
      'with --update: measure only these IPs (comma-separated); the others keep their figures',
    )
    .option('--json', 'machine-readable output')
    .action(
      async (o: {
        update?: boolean;
        engine: string;
        jobs: string;
        fmax: boolean;
        only?: string;
        json?: boolean;
      }) => {
        if (!(SYNTH_ENGINES as readonly string[]).includes(o.engine)) {
          throw new Error(`--engine '${o.engine}' is not allowed: use ${SYNTH_ENGINES.join(', ')}`);
        }
        if (!/^[1-9]\d*$/.test(o.jobs))
          throw new Error(`--jobs '${o.jobs}' is not allowed: use a positive integer`);
        const engine = o.engine as SynthEngine;
        const old = readBaselines();
        const workRoot = await makeScratchFolder('baseline');
        const saveAsMeasured = o.update === true ? savingEachFigure(old, engine) : undefined;
        try {
          const { baselines, notes } = await measureBaselines(CATALOG, {
            engine,
            workRoot,
            jobs: Number(o.jobs),
            fmax: (o.update ?? false) && o.fmax,
            ...(o.only === undefined ? {} : { only: checkedIpList(o.only) }),
            ...(old === undefined || old.engine !== engine ? {} : { previous: old }),
            onStep: (ip, step) => process.stderr.write(`baseline: ${ip}: ${step}\n`),
            ...(saveAsMeasured === undefined ? {} : { onMeasured: saveAsMeasured }),
          });
          for (const note of notes) process.stderr.write(`baseline: ${note}\n`);
          keepUnmeasuredFmax(baselines, old);
          const rows = Object.entries(baselines.ips).flatMap(([ip, e]) =>
            BASELINE_TARGETS.filter((t) => e.area[t] !== undefined).map((t) => {
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
          const failures = comparable
            ? rows.filter((r) => r.growth.length > 0 || r.before === undefined)
            : [];
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
      },
    );
}

/** The IP names of --only, each checked against the catalog. */
function checkedIpList(text: string): string[] {
  const names = text.split(',').filter((n) => n !== '');
  for (const name of names) {
    if (!CATALOG.some((e) => e.name === name))
      throw new Error(`--only: '${name}' is not a catalog IP (see \`bitsmith list\`)`);
  }
  return names;
}

/**
 * With --update, each new figure goes into ip/baselines.json as soon as it is measured, with its
 * fingerprint, so that an interrupted update keeps what it measured and a rerun measures only the rest.
 * Only when the file was recorded with the same engine (the Yosys version is checked by the measurement,
 * which then keeps nothing of the old file): figures of another engine are not mixed into it.
 */
function savingEachFigure(old: Baselines | undefined, engine: SynthEngine) {
  if (old === undefined || old.engine !== engine) return undefined;
  const working = structuredClone(old);
  return (figure: Measured): void => {
    recordFigure(working.ips, figure);
    writeAtomically(BASELINES_PATH, formatBaselines(working));
  };
}

/** Devices whose Fmax was not measured this time (--no-fmax, or a missing nextpnr) keep what was recorded. */
function keepUnmeasuredFmax(baselines: Baselines, old: Baselines | undefined): void {
  for (const t of FMAX_BASELINE_TARGETS) {
    if (baselines.fmax?.[t] !== undefined || old?.fmax?.[t] === undefined) continue;
    (baselines.fmax ??= {})[t] = old.fmax[t];
    for (const [ip, e] of Object.entries(baselines.ips)) {
      const before = old.ips[ip];
      if (before?.fmax?.[t] !== undefined) (e.fmax ??= {})[t] = before.fmax[t];
      if (before?.fmaxSkipped?.[t] !== undefined) (e.fmaxSkipped ??= {})[t] = before.fmaxSkipped[t];
      if (before?.fmaxKeys?.[t] !== undefined) (e.fmaxKeys ??= {})[t] = before.fmaxKeys[t];
    }
  }
}
