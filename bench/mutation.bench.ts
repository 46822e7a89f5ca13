// Mutation scores: per generator, how many of its listed wrong variants the default plan's vectors
// expose (testbenches/mutation/). `npm run bench -- mutation` runs only this.
import { scoreGenerator } from '../testbenches/mutation/harness.ts';
import { scoreLine, scoreTable } from '../testbenches/mutation/report.ts';
import { MUTATION_TABLES } from '../testbenches/mutation/tables.ts';

export async function benchMutation(): Promise<void> {
  const lines: string[] = [];
  for (const table of MUTATION_TABLES) {
    const started = Date.now();
    const score = scoreGenerator(table);
    console.log(`${scoreTable(score)}\n  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    lines.push(scoreLine(score));
  }
  console.log(`\n${lines.join('\n')}`);
}
