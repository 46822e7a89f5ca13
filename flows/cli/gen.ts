import type { Command } from 'commander';
import { clockEstimate } from '../ippack/clock-estimate.ts';
import { buildPackage } from '../package.ts';
import { parseOverrides, resolveTarget } from '../target.ts';
import { emit, outputFolder } from './output.ts';
import { withTimeoutOption } from './timeout.ts';

export function registerGen(program: Command): void {
  withTimeoutOption(program.command('gen'))
    .description(
      'generate one IP (catalog name) or a generator with parameters into <out>/<ip>/: RTL, testbench, FuseSoC core, vendor scripts, README',
    )
    .argument('<ip|generator>', 'catalog IP name or generator name')
    .option('--set <key=value...>', 'override a parameter (repeatable)', [])
    .option('--out <dir>', 'output folder', 'out')
    .option('--json', 'machine-readable output')
    .action(async (name: string, options: { set: string[]; out: string; json?: boolean }) => {
      const target = resolveTarget(name, parseOverrides(options.set));
      const pkg = await buildPackage(target, outputFolder(options.out));
      for (const note of Object.values(pkg.notes)) process.stderr.write(`${target.ip}: ${note}\n`);
      const clock = clockEstimate(target.module, target.params).requested;
      if (clock?.typicalMhz !== undefined)
        process.stderr.write(
          `${target.ip}: no latency's estimate reaches ${clock.fmax} MHz on ${clock.target}; latency ${clock.latency} is estimated at ${clock.estimatedMhz} MHz and typically reaches ${clock.typicalMhz} after place and route: check it with bitsmith synth --pnr\n`,
        );
      emit(
        options.json ?? false,
        { ip: target.ip, module: target.module.name, dir: pkg.dir, files: pkg.rtlFiles },
        () => `${target.ip}: ${target.module.name}\n${pkg.rtlFiles.map((f) => `  ${f}\n`).join('')}`,
      );
    });
}
