import type { Command } from 'commander';
import { writePackage } from '../package.ts';
import { parseOverrides, resolveTarget } from '../target.ts';
import { emit } from './output.ts';

export function registerGen(program: Command): void {
  program
    .command('gen')
    .description('generate one IP (catalog name) or a generator with parameters into <out>/<ip>/')
    .argument('<ip|generator>', 'catalog IP name or generator name')
    .option('--set <key=value...>', 'override a parameter (repeatable)', [])
    .option('--out <dir>', 'output folder', 'out')
    .option('--json', 'machine-readable output')
    .action((name: string, options: { set: string[]; out: string; json?: boolean }) => {
      const target = resolveTarget(name, parseOverrides(options.set));
      const pkg = writePackage(target, options.out);
      emit(
        options.json ?? false,
        { ip: target.ip, module: target.module.name, dir: pkg.dir, files: pkg.rtlFiles },
        () => `${target.ip}: ${target.module.name}\n${pkg.rtlFiles.map((f) => `  ${f}\n`).join('')}`,
      );
    });
}
