import type { Command } from 'commander';
import {
  defaultRunName,
  EXPLORE_TARGETS,
  hardwareCost,
  parseDataSource,
  runExplore,
  type ExploreTarget,
} from '../explore/explore.ts';
import { readBaselines } from '../ippack/baselines.ts';
import { MULTIPLIER_UNITS, PRESETS, presetByName, runMultipliersPreset } from '../explore/presets.ts';
import { FORMAT_SETS, parseWeightFormats, type WeightFormat } from '../explore/quantize.ts';
import { figureCells, type Claim } from '../explore/report.ts';
import { synthTarget } from '../synth-ip.ts';
import { yosysVersion } from '../ippack/tool-versions.ts';
import { SYNTH_ENGINES, type SynthEngine } from '../synth/types.ts';
import {
  CACHE_FILE,
  SYNTH_DEQUANT_LATENCY,
  SYNTH_LANES,
  SYNTH_MAC_LATENCY,
  GEMV_SHAPE,
  synthesizedDequantCosts,
  synthesizedGemvCosts,
  synthesizedMacCosts,
  type SynthCosts,
} from '../explore/synth-cost.ts';
import type { Target } from '../target.ts';
import { join } from 'node:path';
import {
  DEFAULT_DOT_LENGTH,
  DOT_OUT_FORMATS,
  parseActivationFormat,
  parseDotOutFormat,
} from '../explore/dot.ts';
import { emit, outputFolder, table } from './output.ts';
import { Progress } from './progress.ts';

function positiveInteger(option: string, value: string): number {
  if (!/^[1-9]\d*$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new Error(`${option} '${value}' is not allowed: use a positive integer`);
  return Number(value);
}

/** 16M doubles, 128 MB: a synthetic tensor beyond that is a typo more often than a plan. */
const MAX_SIZE = 1 << 24;

/** JSON has no Infinity: an exact quantization's SQNR is the string "inf", as in results.json. */
const finiteOrText = (v: number) =>
  Number.isFinite(v) ? v : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';

const claimText = (claims: readonly Claim[]) =>
  claims.map((c) => `claim:    ${c.claim}\nmeasured: ${c.measured}\n`).join('');

/** Options a preset sets itself; giving one beside --preset is refused rather than silently ignored. */
const PRESET_SETS = ['formats', 'data', 'group', 'name'] as const;

export function registerExplore(program: Command): void {
  program
    .command('explore')
    .description(
      'Accuracy of weight formats (MSE, SQNR, max error, KL, dot products) on synthetic data or .npy tensors beside their hardware cost: CSV, JSON, SVG plots with the Pareto front and index.html; presets reproduce published claims',
    )
    .option(
      '--formats <list>',
      `weight formats name[:g<group>][:<scale format>], comma-separated, or a set: ${Object.keys(FORMAT_SETS).join(', ')}`,
      '4bit',
    )
    .option(
      '--data <spec>',
      'gaussian, laplace, student-t:<nu>, uniform, or .npy files (comma-separated)',
      'gaussian',
    )
    .option(
      '--preset <name>',
      `a reproduction of a published claim: ${PRESETS.map((p) => p.name).join(', ')} (sets formats, data, group and name)`,
    )
    .option('--size <n>', "elements of a synthetic tensor (default 65536, or the preset's)")
    .option('--group <n>', 'group size of formats with a free group size (default 128)')
    .option('--seed <n>', 'seed of a synthetic tensor', '1')
    .option(
      '--synth',
      'synthesize a dequantizer and a mixed_mac MAC for every format without catalog figures (Yosys, one at a time; cached by fingerprint)',
    )
    .option(
      '--synth-gemv',
      `also synthesize a GEMV core (${GEMV_SHAPE.rows} rows × ${GEMV_SHAPE.lanes} elements, fp16 activations) for every format without catalog GEMV figures, cost per MAC (minutes each; cached); implies --synth`,
    )
    .option('--engine <name>', `yosys engine for --synth: ${SYNTH_ENGINES.join('|')}`, 'yowasp')
    .option(
      '--activation <format>',
      'also the relative error of the dot products W·x with N(0, 1) activations rounded to this float format',
    )
    .option(
      '--dot-length <n>',
      `activations per dot product (K) with --activation`,
      String(DEFAULT_DOT_LENGTH),
    )
    .option(
      '--dot-out <format>',
      `format of each dot product with --activation: ${DOT_OUT_FORMATS.join(', ')} (the GEMV output's)`,
      'fp32',
    )
    .option('--clip-search', 'search the clipping ratio per group of scalar formats (least squared error)')
    .option(
      '--target <name>',
      `target whose recorded area is reported: ${EXPLORE_TARGETS.join(', ')}`,
      'ecp5',
    )
    .option('--name <name>', 'results folder under <out>/explore/ (default: from the data)')
    .option('--out <dir>', 'output folder', 'out')
    .option('--json', 'machine-readable output')
    .action(
      async (
        o: {
          preset?: string;
          clipSearch?: boolean;
          synth?: boolean;
          synthGemv?: boolean;
          engine: string;
          activation?: string;
          dotLength: string;
          dotOut: string;
          formats: string;
          data: string;
          size?: string;
          group?: string;
          seed: string;
          target: string;
          name?: string;
          out: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        const preset = o.preset === undefined ? undefined : presetByName(o.preset);
        if (preset)
          for (const option of PRESET_SETS)
            if (command.getOptionValueSource(option) === 'cli')
              throw new Error(
                `--${option} is not allowed with --preset: the preset '${preset.name}' sets it`,
              );
        const size = o.size === undefined ? (preset?.size ?? 65536) : positiveInteger('--size', o.size);
        if (size > MAX_SIZE)
          throw new Error(`--size '${o.size}' is not allowed: use at most ${MAX_SIZE} elements`);
        if (!/^\d+$/.test(o.seed) || !Number.isSafeInteger(Number(o.seed)))
          throw new Error(`--seed '${o.seed}' is not allowed: use a non-negative integer`);
        const group = o.group === undefined ? undefined : positiveInteger('--group', o.group);
        if (!(EXPLORE_TARGETS as readonly string[]).includes(o.target))
          throw new Error(`--target '${o.target}' is not allowed: use one of ${EXPLORE_TARGETS.join(', ')}`);
        if (o.name !== undefined && !/^[A-Za-z0-9._-]+$/.test(o.name))
          throw new Error(`--name '${o.name}' is not allowed: use letters, digits, '.', '_' and '-'`);
        const target = (
          preset?.kind === 'formats' && preset.target && command.getOptionValueSource('target') !== 'cli'
            ? preset.target
            : o.target
        ) as ExploreTarget;
        if (preset?.kind === 'multipliers') {
          for (const option of ['synth', 'synthGemv', 'activation', 'clipSearch'] as const)
            if (command.getOptionValueSource(option) === 'cli')
              throw new Error(
                `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is not allowed with --preset ${preset.name}: it measures multipliers, not weight formats`,
              );
          const outDir = outputFolder(o.out);
          const progress = new Progress(MULTIPLIER_UNITS, 'explore lmul', !o.json);
          const result = runMultipliersPreset({
            samples: size,
            seed: Number(o.seed),
            target,
            outDir,
            onUnit: (unit, i) => {
              if (i > 0) progress.tick();
              progress.step(unit, 'error');
            },
          });
          progress.tick();
          progress.stop();
          emit(
            o.json ?? false,
            result,
            () =>
              `${preset.description}: ${result.samples} normal pairs, seed ${result.seed}, LUTs on ${result.target}\n` +
              table([
                ['UNIT', 'IP', 'LUTS', 'MEAN REL. ERROR'],
                ...result.rows.map((r) => [
                  r.unit,
                  r.ip ?? '-',
                  r.luts === undefined ? '-' : String(r.luts),
                  `${(100 * r.meanRelativeError).toFixed(3)}%`,
                ]),
              ]) +
              claimText(result.claims) +
              `${result.csv}\n${result.json}\n`,
          );
          return;
        }
        if (!(SYNTH_ENGINES as readonly string[]).includes(o.engine))
          throw new Error(`--engine '${o.engine}' is not allowed: use one of ${SYNTH_ENGINES.join(', ')}`);
        // A whole GEMV core takes Yosys more memory than WebAssembly's 4 GB (about 10 GB natively).
        if (o.synthGemv && o.engine !== 'native')
          throw new Error(
            `--synth-gemv is not allowed with --engine ${o.engine}: a GEMV core's synthesis needs more than the 4 GB WebAssembly gives yowasp; use --engine native`,
          );
        const activation =
          o.activation === undefined
            ? undefined
            : {
                name: o.activation,
                format: parseActivationFormat(o.activation),
                length: positiveInteger('--dot-length', o.dotLength),
                outFormat: parseDotOutFormat(o.dotOut),
              };
        const formats = parseWeightFormats(preset?.formats ?? o.formats, preset?.group ?? group);
        const data = parseDataSource(preset?.data ?? o.data, size, Number(o.seed));
        const outDir = outputFolder(o.out);
        let synth: { dequant: SynthCosts; mac: SynthCosts; gemv?: SynthCosts } | undefined;
        let synthNotes: string[] = [];
        if (o.synth || o.synthGemv) {
          const engine = o.engine as SynthEngine;
          const yosys = (await yosysVersion(engine)) ?? 'unknown';
          const options = {
            outDir,
            target,
            engine,
            yosys,
            synthesize: (t: Target) =>
              synthTarget(t, { outDir: join(outDir, 'explore', 'units'), target, engine }),
            onUnit: (format: string, unit: string, cached: boolean) => {
              if (!o.json)
                process.stderr.write(
                  `explore synth ${format}: ${unit} ${cached ? '(cached)' : 'on ' + target}\n`,
                );
            },
          };
          // Only where the catalog has no figures (runExplore prefers the catalog's).
          const baselines = readBaselines();
          const catalog = (w: WeightFormat) => hardwareCost(w, target, baselines);
          const presetMac = (w: WeightFormat) => w.kind === 'scalar' && preset?.macIps?.[w.format.name];
          synth = {
            dequant: await synthesizedDequantCosts(
              formats.filter((w) => !catalog(w).dequant),
              options,
            ),
            mac: await synthesizedMacCosts(
              formats.filter((w) => !catalog(w).mac && !presetMac(w)),
              options,
            ),
            ...(o.synthGemv
              ? {
                  gemv: await synthesizedGemvCosts(
                    formats.filter((w) => !catalog(w).gemv),
                    options,
                  ),
                }
              : {}),
          };
          const { dequant, mac, gemv } = synth;
          synthNotes = [
            `Dequantizers synthesized with ${yosys} (${engine}) where the catalog has no figures: ${SYNTH_LANES} lanes (fewer when the group is smaller), latency ${SYNTH_DEQUANT_LATENCY} as in the catalog, FP16 out, per lane; ${dequant.synthesized} synthesized, ${dequant.cached} from ${join(outDir, CACHE_FILE)}.`,
            ...dequant.skipped.map((s) => `No dequantizer for ${s.format}: ${s.reason}.`),
            ...(target === 'xc7'
              ? []
              : [
                  `The Fmax of a synthesized unit is the delay model's estimate on ${target} (docs/timing.md), not a place-and-route figure.`,
                ]),
            `MACs synthesized likewise where the catalog has no mixed_mac of the format (fp16 activations, exact group sums, FP32 out, latency ${SYNTH_MAC_LATENCY} as the catalog's W4A16 MAC, one MAC): ${mac.synthesized} synthesized, ${mac.cached} cached.`,
            ...mac.skipped.map((s) => `No MAC for ${s.format}: ${s.reason}.`),
            ...(gemv
              ? [
                  `GEMV cores synthesized likewise where the catalog has none of the format (${GEMV_SHAPE.rows} rows × ${GEMV_SHAPE.lanes} elements per cycle, fp16 activations and output, products in LUTs, the catalog W4A16 core's stages; per MAC): ${gemv.synthesized} synthesized, ${gemv.cached} cached.`,
                  ...gemv.skipped.map((s) => `No GEMV core for ${s.format}: ${s.reason}.`),
                ]
              : []),
          ];
        }
        const progress = new Progress(formats.length, 'explore', !o.json);
        const result = runExplore({
          formats,
          data,
          name: preset?.name ?? o.name ?? defaultRunName(data),
          outDir,
          target,
          clipSearch: o.clipSearch ?? false,
          ...(activation ? { activation } : {}),
          ...(synth
            ? {
                synthesized: {
                  dequant: synth.dequant.costs,
                  mac: synth.mac.costs,
                  ...(synth.gemv ? { gemv: synth.gemv.costs } : {}),
                },
                synthNotes,
              }
            : {}),
          ...(preset?.macIps ? { macIps: preset.macIps } : {}),
          ...(preset ? { claims: preset.claims } : {}),
          onFormat: (format, i) => {
            if (i > 0) progress.tick();
            progress.step(format, 'quantize');
          },
        });
        progress.tick();
        progress.stop();
        emit(
          o.json ?? false,
          { ...result, rows: result.rows.map((r) => ({ ...r, sqnrDb: finiteOrText(r.sqnrDb) })) },
          () =>
            `${result.data} (${result.elements} elements), costs on ${result.target}\n` +
            table([
              [
                'FORMAT',
                'BITS/EL',
                'SQNR dB',
                'MSE',
                'MAX ERR',
                'KL',
                'DEQUANT LUT/LANE',
                'MIXED_MAC LUT',
                'GEMV LUT/MAC',
                ...(activation ? ['DOT REL ERR'] : []),
              ],
              ...result.rows.map((r) => [
                r.format,
                ...figureCells(r, '-'),
                ...(activation ? [r.dotRelativeError?.toExponential(3) ?? '-'] : []),
              ]),
            ]) +
            result.notes.map((n) => `note: ${n}\n`).join('') +
            claimText(result.claims) +
            `${result.csv}\n${result.json}\n${result.index}\n`,
        );
      },
    );
}
