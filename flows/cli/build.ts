import type { Command } from 'commander';
import { CATALOG } from '../../ip/catalog.ts';
import { writePackage } from '../package.ts';
import { synthTarget } from '../synth-ip.ts';
import type { AreaReport } from '../synth/types.ts';
import { resolveTarget } from '../target.ts';
import { verifyTarget, type VerifyResult } from '../verify.ts';
import { emit, table } from './output.ts';
import { Progress } from './progress.ts';
import { areaTable, synthOptions } from './synth.ts';
import { simOptions, type SimOptionValues } from './verify.ts';

interface BuildRow {
  ip: string;
  module: string;
  error?: string;
  verify?: VerifyResult;
  area: (AreaReport & { ip: string })[];
}

export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('generate every catalog IP into <out>/, optionally verify and synthesize each')
    .option('--verify', 'lint and run conformance for every IP')
    .option('--synth <targets>', 'also synthesize for these targets (comma-separated, or all)')
    .option('--engine <name>', 'yosys engine: yowasp|native', 'yowasp')
    .option('--sim <name>', 'simulator: icarus|verilator|all', 'all')
    .option('--vectors <kind>', 'default | exhaustive | corner | random:N', 'default')
    .option('--seed <n>', 'seed of random vectors and bubbles', '1')
    .option('--out <dir>', 'output folder', 'out')
    .option('--json', 'machine-readable output')
    .action(
      async (
        o: SimOptionValues & {
          verify?: boolean;
          synth?: string;
          engine: string;
          out: string;
          json?: boolean;
        },
      ) => {
        const sim = simOptions(o);
        const synth = o.synth === undefined ? undefined : synthOptions(o.synth, o.engine);
        const progress = new Progress(CATALOG.length, 'build', !(o.json ?? false) || true);
        const rows: BuildRow[] = [];
        for (const entry of CATALOG) {
          const row: BuildRow = { ip: entry.name, module: '', area: [] };
          rows.push(row);
          try {
            progress.step(entry.name, 'generate');
            const target = resolveTarget(entry.name);
            row.module = target.module.name;
            writePackage(target, o.out);
            if (o.verify)
              row.verify = await verifyTarget(target, {
                outDir: o.out,
                ...sim,
                onStep: (s) => progress.step(entry.name, s),
              });
            for (const t of synth?.targets ?? []) {
              progress.step(entry.name, `synth ${t}`);
              row.area.push({
                ip: entry.name,
                ...(await synthTarget(target, { outDir: o.out, target: t, engine: synth!.engine })),
              });
            }
          } catch (error) {
            // One broken entry must not stop the others; it fails the build at the end.
            row.error = error instanceof Error ? error.message : String(error);
          }
          progress.tick();
        }
        progress.stop();
        const failed = rows.filter(
          (r) => r.error !== undefined || (r.verify !== undefined && !r.verify.passed),
        );
        emit(o.json ?? false, rows, () => summary(rows, o.verify ?? false));
        if (failed.length > 0) process.exitCode = 1;
      },
    );
}

function summary(rows: BuildRow[], verified: boolean): string {
  const status = (r: BuildRow) => {
    if (r.error !== undefined) return `ERROR: ${r.error}`;
    if (r.verify === undefined) return 'generated';
    const sims = r.verify.conformance.results
      .map((s) => `${s.simulator} ${s.passed}/${s.passed + s.failed}`)
      .join(', ');
    return `${r.verify.passed ? 'PASS' : 'FAIL'}  lint ${r.verify.lint.clean ? 'clean' : 'FAIL'}, ${sims}`;
  };
  const lines = [
    table([
      ['IP', 'MODULE', verified ? 'VERIFICATION' : 'STATUS'],
      ...rows.map((r) => [r.ip, r.module, status(r)]),
    ]),
  ];
  const area = rows.flatMap((r) => r.area);
  if (area.length > 0) lines.push('', areaTable(area));
  const failed = rows.filter(
    (r) => r.error !== undefined || (r.verify !== undefined && !r.verify.passed),
  ).length;
  lines.push(
    `\n${rows.length - failed} of ${rows.length} IPs ${verified ? 'passed' : 'built'}${failed > 0 ? `, ${failed} failed` : ''}\n`,
  );
  return lines.join('');
}
