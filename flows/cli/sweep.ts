import type { Command } from 'commander';
import { runSweep } from '../sweep.ts';
import { emit, outputFolder, table } from './output.ts';
import { synthOptions } from './synth.ts';

export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description(
      'LUTs against mean relative error for exact FP8/FP16/BF16 multipliers and L-Mul m = 2..7 (CSV and SVG)',
    )
    .option('--samples <n>', 'standard-normal sample pairs for the error', '400000')
    .option('--seed <n>', 'seed of the sample', '1')
    .option('--target <name>', 'synthesis target', 'xc7-nodsp')
    .option('--engine <name>', 'yosys engine: yowasp|native', 'yowasp')
    .option('--out <dir>', 'output folder', 'out')
    .option('--json', 'machine-readable output')
    .action(
      async (o: {
        samples: string;
        seed: string;
        target: string;
        engine: string;
        out: string;
        json?: boolean;
      }) => {
        const { targets, engine } = synthOptions(o.target, o.engine);
        if (targets.length !== 1)
          throw new Error(`--target '${o.target}' is not allowed: the sweep takes one target`);
        if (!/^[1-9]\d*$/.test(o.samples))
          throw new Error(`--samples '${o.samples}' is not allowed: use a positive integer`);
        if (!/^\d+$/.test(o.seed))
          throw new Error(`--seed '${o.seed}' is not allowed: use a non-negative integer`);
        const result = await runSweep({
          outDir: outputFolder(o.out),
          samples: Number(o.samples),
          seed: Number(o.seed),
          target: targets[0]!,
          engine,
          onUnit: (label, i, n) => process.stderr.write(`sweep [${i + 1}/${n}] ${label}\n`),
        });
        emit(
          o.json ?? false,
          result,
          () =>
            table([
              ['UNIT', 'MODULE', 'LUTS', 'FFS', 'CARRY', 'MEAN REL. ERROR'],
              ...result.points.map((p) => [
                p.label,
                p.module,
                String(p.luts),
                String(p.ffs),
                String(p.carries),
                `${(100 * p.meanRelativeError).toFixed(2)}%`,
              ]),
            ]) + `\n${result.csv}\n${result.svg}\n`,
        );
      },
    );
}
