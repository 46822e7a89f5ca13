// Each generator's default plan must expose every variant in its table (testbenches/mutation/tables.ts)
// for every catalog IP the variant applies to: a surviving variant is a model the vectors cannot tell
// from the right one.
import { describe, expect, it } from 'vitest';
import { scoreGenerator } from './harness.ts';
import { scoreTable } from './report.ts';
import { MUTATION_TABLES } from './tables.ts';

describe('mutation: every listed variant of every generator is killed by its default plan', () => {
  for (const table of MUTATION_TABLES) {
    it(table.generator, () => {
      const score = scoreGenerator(table);
      expect(score.survived, scoreTable(score)).toEqual([]);
    });
  }
});
