import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../ip/catalog.ts';
import { catalogEntry } from '../../ip/catalog.ts';
import { buildCatalog, rowFailed, type BuildRow } from './build-ip.ts';
import { dumpDom, findChromium, missingChromiumMessage, screenshotPage } from './chromium.ts';
import { escapeHtml, writeIndexPage } from './index-page.ts';
import { countColor, decodePng } from './png.ts';

const out = mkdtempSync(join(tmpdir(), 'bitsmith-index-'));
const entries: CatalogEntry[] = [
  catalogEntry('mul_int4_u_comb')!,
  { name: 'mac_too_narrow', generator: 'int_mac', params: { accWidth: 4 }, description: 'a bad entry' },
  catalogEntry('mac_int4_s_acc16')!,
];
let rows: BuildRow[] = [];
let index = '';

describe('bitsmith build over a catalog with a bad entry', () => {
  beforeAll(async () => {
    rows = await buildCatalog(entries, {
      outDir: out,
      verify: { sim: 'icarus', vectors: { kind: 'default' }, seed: 1 },
    });
    index = writeIndexPage(out, rows);
  });

  it('reports the bad entry by name with the parameter, and builds the others', () => {
    expect(rows.map((r) => r.ip)).toEqual(entries.map((e) => e.name));
    const bad = rows[1]!;
    expect(bad.error).toMatch(/int_mac: parameter 'accWidth' = 4 is not allowed/);
    expect(rowFailed(bad)).toBe(true);
    for (const good of [rows[0]!, rows[2]!]) {
      expect(good.error).toBeUndefined();
      expect(good.verify?.passed).toBe(true);
      expect(rowFailed(good)).toBe(false);
      expect(existsSync(join(out, good.ip, 'README.md'))).toBe(true);
    }
    expect(existsSync(join(out, 'mac_too_narrow'))).toBe(false);
  });

  it('writes an index whose rows and links match the packages', () => {
    const html = readFileSync(index, 'utf8');
    expect([...html.matchAll(/<tr id="ip-([\w]+)"/g)].map((m) => m[1])).toEqual(entries.map((e) => e.name));
    expect(html).toContain(escapeHtml(rows[1]!.error!));
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(10);
    for (const href of hrefs) expect(existsSync(join(out, decodeURIComponent(href))), href).toBe(true);
    expect(html).toContain('<span class="status pass">PASS</span>');
    expect(html).toContain('256 vectors; icarus 256/256; lint clean');
  });

  it('renders in headless Chromium', async (context) => {
    if ((await findChromium()) === undefined) {
      context.skip(missingChromiumMessage());
      return;
    }
    const png = join(out, 'index.png');
    const shot = await screenshotPage(index, png, { width: 1400, height: 900 });
    expect(shot).toEqual({ png });
    const image = decodePng(readFileSync(png));
    expect([image.width, image.height]).toEqual([1400, 900]);
    // The table header, the two green PASS badges and the purple ERROR badge were laid out and painted.
    expect(countColor(image, [0x1f, 0x3a, 0x5f])).toBeGreaterThan(20_000);
    expect(countColor(image, [0x1a, 0x7f, 0x37])).toBeGreaterThan(500);
    expect(countColor(image, [0x82, 0x50, 0xdf])).toBeGreaterThan(200);
    const dom = await dumpDom(index);
    if ('skipped' in dom) throw new Error(dom.skipped);
    expect(dom.dom.match(/<tr id="ip-/g)?.length).toBe(3);
    expect(dom.dom).toContain('img class="schematic" src="mul_int4_u_comb/doc/schematic.svg"');
  });
});
