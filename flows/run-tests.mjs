#!/usr/bin/env node
// The test command (`npm test`): type check, format check and the vitest suite (unit tests and
// simulator runs), then one closing line `N passed, N failed` that CI reads. The same line is written
// to .test-summary so that a wrapper can repeat it last.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const results = '.vitest-results.json';
// Time limits: a hung step fails with a message instead of holding CI until its own limit.
const MINUTE = 60_000;
const STEP_LIMIT = 10 * MINUTE;
const VITEST_LIMIT = 60 * MINUTE;

/** Says so when a step was stopped by its time limit. */
function reportTimeout(name, r, limit) {
  if (r.error?.code === 'ETIMEDOUT')
    process.stdout.write(`== ${name} stopped after its ${limit / MINUTE}-minute time limit\n`);
}
let passed = 0;
let failed = 0;

function check(name, command, args) {
  process.stdout.write(`\n== ${name}: ${command} ${args.join(' ')}\n`);
  const r = spawnSync(command, args, { stdio: 'inherit', timeout: STEP_LIMIT });
  reportTimeout(name, r, STEP_LIMIT);
  if (r.status === 0) passed++;
  else {
    failed++;
    process.stdout.write(`== ${name} FAILED\n`);
  }
}

check('type check', 'npx', ['tsc', '--noEmit', '-p', '.']);
check('format', 'npx', ['prettier', '--check', '--log-level', 'warn', '.']);

rmSync(results, { force: true });
process.stdout.write('\n== vitest\n');
const extra = process.argv.slice(2);
const vitest = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...extra],
  { stdio: 'inherit', timeout: VITEST_LIMIT },
);
reportTimeout('vitest', vitest, VITEST_LIMIT);
try {
  const report = JSON.parse(readFileSync(results, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A test file that fails to load has no tests to count; count it as a failure.
  failed += report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
} catch {
  failed++;
  process.stdout.write('== vitest wrote no results\n');
}
if (vitest.status !== 0 && failed === 0) failed++;

const summary = `${passed} passed, ${failed} failed`;
writeFileSync('.test-summary', summary + '\n');
process.stdout.write(`\n${summary}\n`);
process.exit(failed === 0 ? 0 : 1);
