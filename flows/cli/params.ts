import type { Command } from 'commander';
import { ParameterError } from '../../generators/generator.ts';
import { paramDocs } from '../../generators/param-doc.ts';
import { GENERATORS, generatorByName } from '../../generators/registry.ts';
import { catalogEntry } from '../../ip/catalog.ts';
import { emit } from './output.ts';

export function registerParams(program: Command): void {
  program
    .command('params')
    .argument(
      '<generator|ip>',
      "a generator, or a catalog IP (its generator's parameters, with the IP's values)",
    )
    .description("list a generator's parameters: type, default, allowed values and what each one does")
    .option('--json', 'machine-readable output')
    .action((name: string, options: { json?: boolean }) => {
      const entry = catalogEntry(name);
      const generator = generatorByName(entry?.generator ?? name);
      if (generator === undefined) {
        throw new ParameterError(
          `'${name}' is neither a generator nor a catalog IP; generators: ${GENERATORS.map((g) => g.name).join(', ')}`,
        );
      }
      const params = paramDocs(generator).map((d) =>
        entry !== undefined && Object.hasOwn(entry.params, d.name)
          ? { ...d, value: entry.params[d.name] }
          : d,
      );
      const shown = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
      const data = {
        generator: generator.name,
        summary: generator.summary,
        ...(entry ? { ip: entry.name } : {}),
        params,
      };
      emit(options.json ?? false, data, () => {
        const width = Math.max(...params.map((d) => d.name.length));
        const blocks = params.map((d) => {
          const fallback =
            'default' in d ? `default ${shown(d.default)}` : 'default derived from other parameters';
          const value = 'value' in d ? `; ${entry!.name}: ${shown(d.value)}` : '';
          return [
            `${d.name.padEnd(width)}  ${d.type}, ${fallback}${value}`,
            ...(d.allowed === undefined ? [] : [`${' '.repeat(width)}  allowed: ${d.allowed}`]),
            ...(d.description === '' ? [] : [`${' '.repeat(width)}  ${d.description}`]),
          ].join('\n');
        });
        const title = `${generator.name}: ${generator.summary}${entry ? ` (the values of IP ${entry.name})` : ''}`;
        return [title, '', ...blocks, ''].join('\n');
      });
    });
}
