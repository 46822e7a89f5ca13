// Golden models are written from the math: of the generator code they may read only the formats
// library (exact codecs and format tables), never a datapath, the IR or a generator's parameters.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const here = import.meta.dirname;
const models = readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
/** The imports of a source text that reach into generators/ outside the formats library. */
const outsideFormats = (text: string) =>
  [...text.matchAll(/from '([^']+)'/g)]
    .map((m) => m[1]!)
    .filter((path) => path.includes('generators/') && !path.includes('generators/formats/'));

describe('golden models', () => {
  it.each(models)('%s imports nothing of generators/ but the formats library', (file) => {
    expect(outsideFormats(readFileSync(join(here, file), 'utf8'))).toEqual([]);
  });

  it('finds the models it checks (and the rule flags a datapath import)', () => {
    expect(models.length).toBeGreaterThan(5);
    const text = `import { a } from '../../generators/formats/index.ts';\nimport { b } from '../../generators/gemv/chunk.ts';`;
    expect(outsideFormats(text)).toEqual(['../../generators/gemv/chunk.ts']);
  });
});
