import type { Command } from 'commander';
import {
  defaultRunName,
  EXPLORE_TARGETS,
  parseDataSource,
  runExplore,
  type ExploreTarget,
} from '../explore/explore.ts';
import { FORMAT_SETS, parseWeightFormats } from '../explore/quantize.ts';
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

const fixed = (v: number | undefined, digits: number) => (v === undefined ? '-' : v.toFixed(digits));

export function registerExplore(program: Command): void {
  program
    .command('explore')
    .description(
      'Accuracy of weight formats (MSE, SQNR, max error, KL) on synthetic data or .npy tensors, beside the catalog IPs’ recorded cost (CSV and JSON)',
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
    .option('--size <n>', 'elements of a synthetic tensor', '65536')
    .option('--group <n>', 'group size of formats with a free group size (default 128)')
    .option('--seed <n>', 'seed of a synthetic tensor', '1')
    .option(
      '--target <name>',
      `target whose recorded area is reported: ${EXPLORE_TARGETS.join(', ')}`,
      'ecp5',
    )
    .option('--name <name>', 'results folder under <out>/explore/ (default: from the data)')
    .option('--out <dir>', 'output folder', 'out')
    .option('--json', 'machine-readable output')
    .action(
      (o: {
        formats: string;
        data: string;
        size: string;
        group?: string;
        seed: string;
        target: string;
        name?: string;
        out: string;
        json?: boolean;
      }) => {
        const size = positiveInteger('--size', o.size);
        if (size > MAX_SIZE)
          throw new Error(`--size '${o.size}' is not allowed: use at most ${MAX_SIZE} elements`);
        if (!/^\d+$/.test(o.seed) || !Number.isSafeInteger(Number(o.seed)))
          throw new Error(`--seed '${o.seed}' is not allowed: use a non-negative integer`);
        const group = o.group === undefined ? undefined : positiveInteger('--group', o.group);
        if (!(EXPLORE_TARGETS as readonly string[]).includes(o.target))
          throw new Error(`--target '${o.target}' is not allowed: use one of ${EXPLORE_TARGETS.join(', ')}`);
        if (o.name !== undefined && !/^[A-Za-z0-9._-]+$/.test(o.name))
          throw new Error(`--name '${o.name}' is not allowed: use letters, digits, '.', '_' and '-'`);
        const formats = parseWeightFormats(o.formats, group);
        const data = parseDataSource(o.data, size, Number(o.seed));
        const outDir = outputFolder(o.out);
        const progress = new Progress(formats.length, 'explore', !o.json);
        const result = runExplore({
          formats,
          data,
          name: o.name ?? defaultRunName(data),
          outDir,
          target: o.target as ExploreTarget,
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
              ],
              ...result.rows.map((r) => [
                r.format,
                String(r.bitsPerElement),
                r.sqnrDb.toFixed(2),
                r.mse.toExponential(3),
                r.maxError.toPrecision(4),
                r.kl.toPrecision(3),
                fixed(r.dequant?.lutsPerUnit, 1),
                fixed(r.mac?.lutsPerUnit, 1),
                fixed(r.gemv?.lutsPerUnit, 1),
              ]),
            ]) +
            result.notes.map((n) => `note: ${n}\n`).join('') +
            `${result.csv}\n${result.json}\n`,
        );
      },
    );
}
