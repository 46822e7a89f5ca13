import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBaselines } from '../flows/ippack/baselines.ts';
import { CATALOG_DOCS_PATH, renderCatalogDocs } from '../flows/ippack/catalog-docs.ts';
import { CATALOG } from './catalog.ts';

describe('ip/README.md', () => {
  const baselines = readBaselines();

  it('is up to date with the catalog and the baselines (regenerate with `bitsmith docs`)', () => {
    expect(readFileSync(CATALOG_DOCS_PATH, 'utf8')).toBe(renderCatalogDocs(CATALOG, baselines));
  });

  it('lists every catalog IP with its figures, so a change to either shows', () => {
    const text = renderCatalogDocs(CATALOG, baselines);
    for (const entry of CATALOG) {
      // An IP with no area baseline on any target (areaTargets: []) shows '–'.
      const base = baselines!.ips[entry.name];
      expect(text).toContain(`## ${entry.name}\n`);
      expect(text).toMatch(
        new RegExp(
          `^\\| \\[\`${entry.name}\`\\]\\(#${entry.name}\\) \\| \`${entry.generator}\` \\| [^|]+ \\| ${base?.area.ice40?.luts ?? '–'} \\|`,
          'm',
        ),
      );
    }
    const changed = structuredClone(baselines!);
    changed.ips[CATALOG[0]!.name]!.area.ice40!.luts += 1;
    expect(renderCatalogDocs(CATALOG, changed)).not.toBe(text);
  });
});
