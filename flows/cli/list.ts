import type { Command } from 'commander';
import { GENERATORS } from '../../generators/registry.ts';
import { CATALOG } from '../../ip/catalog.ts';
import { resolveTarget } from '../target.ts';
import { emit, table } from './output.ts';

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list the IP catalog and the generators')
    .option('--json', 'machine-readable output')
    .action((options: { json?: boolean }) => {
      const ips = CATALOG.map((e) => {
        const t = resolveTarget(e.name);
        const timing = t.module.timing;
        return {
          ip: e.name,
          generator: e.generator,
          module: t.module.name,
          latency: timing.kind === 'pipelined' ? timing.latency : timing.kind === 'comb' ? 0 : null,
          description: e.description,
        };
      });
      const generators = GENERATORS.map((g) => ({ name: g.name, family: g.family, summary: g.summary }));
      emit(options.json ?? false, { ips, generators }, () =>
        [
          table([
            ['IP', 'GENERATOR', 'MODULE', 'LATENCY', 'DESCRIPTION'],
            ...ips.map((i) => [i.ip, i.generator, i.module, String(i.latency), i.description]),
          ]),
          '',
          table([
            ['GENERATOR', 'FAMILY', 'SUMMARY'],
            ...generators.map((g) => [g.name, g.family, g.summary]),
          ]),
        ].join('\n'),
      );
    });
}
