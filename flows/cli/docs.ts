import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CATALOG } from '../../ip/catalog.ts';
import { readBaselines } from '../ippack/baselines.ts';
import { CATALOG_DOCS_PATH, catalogDocsUpToDate, renderCatalogDocs } from '../ippack/catalog-docs.ts';

export function registerDocs(program: Command): void {
  program
    .command('docs')
    .description(
      'write ip/README.md from the catalog and ip/baselines.json (--check: only say if it is current)',
    )
    .option('--check', 'exit non-zero when ip/README.md is not up to date, without writing it')
    .action(async (o: { check?: boolean }) => {
      const text = renderCatalogDocs(CATALOG, readBaselines());
      if (o.check) {
        const current = catalogDocsUpToDate(text);
        process.stdout.write(
          current
            ? `${CATALOG_DOCS_PATH} is up to date\n`
            : `${CATALOG_DOCS_PATH} is out of date: run bitsmith docs\n`,
        );
        if (!current) process.exitCode = 1;
        return;
      }
      await writeFile(CATALOG_DOCS_PATH, text);
      process.stdout.write(`wrote ${CATALOG_DOCS_PATH}\n`);
    });
}
