// The mutation table of every generator as recorded in scores.json, for the package README's
// conformance section (flows/ippack/readme.ts): scoring a generator takes up to two minutes, too long
// for every package build. The mutation test fails when the record differs from a fresh score, and
// `npx tsx testbenches/mutation/record.ts` writes it anew.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GeneratorScore } from './harness.ts';

export const SCORES_PATH = fileURLToPath(new URL('./scores.json', import.meta.url));

/** One generator's table as the README shows it. */
export interface ScoreRecord {
  ips: string[];
  variants: number;
  killed: number;
  survived: number;
  rows: { variant: string; result: string }[];
}

export function scoreRecord(s: GeneratorScore): ScoreRecord {
  return {
    ips: s.ips,
    variants: s.variants,
    killed: s.killed,
    survived: s.survived.length,
    rows: s.results
      .filter((r) => r.outcomes.some((o) => o.outcome !== 'n/a'))
      .map((r) => {
        const by = (outcome: string) => r.outcomes.filter((o) => o.outcome === outcome).map((o) => o.ip);
        const [killed, survived] = [by('killed'), by('survived')];
        return {
          variant: r.variant,
          result:
            survived.length > 0
              ? `survived in ${survived.join(', ')}`
              : `killed in ${killed.length} of ${r.outcomes.length} IPs${killed.length < r.outcomes.length ? ' (n/a in the others)' : ''}`,
        };
      }),
  };
}

/** The recorded tables by generator ({} when none is recorded). */
export function recordedScores(): Record<string, ScoreRecord> {
  try {
    return JSON.parse(readFileSync(SCORES_PATH, 'utf8')) as Record<string, ScoreRecord>;
  } catch {
    return {};
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  void import('./harness.ts').then(({ scoreAll }) => {
    const record = Object.fromEntries(scoreAll().map((s) => [s.generator, scoreRecord(s)]));
    writeFileSync(SCORES_PATH, `${JSON.stringify(record, null, 2)}\n`);
  });
}
