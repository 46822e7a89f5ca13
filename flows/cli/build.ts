import type { Command } from 'commander';
import { CATALOG } from '../../ip/catalog.ts';
import { buildCatalog, rowFailed, type BuildRow } from '../ippack/build-ip.ts';
import { screenshotPage } from '../ippack/chromium.ts';
import { writeIndexPage } from '../ippack/index-page.ts';
import { emit, outputFolder, simulationFolder, table } from './output.ts';
import { Progress } from './progress.ts';
import { areaTable, synthOptions } from './synth.ts';
import { withTimeoutOption } from './timeout.ts';
import { simOptions, type SimOptionValues } from './verify.ts';

export function registerBuild(program: Command): void {
  withTimeoutOption(program.command('build'))
    .description(
      'package every catalog IP into <out>/<ip>/ and write <out>/index.html; optionally verify, synthesize and place each',
    )
    .option('--verify', 'lint and run conformance for every IP')
    .option('--synth <targets>', 'also synthesize for these targets (comma-separated, or all)')
    .option('--pnr', 'also measure Fmax on iCE40 with nextpnr-ice40 (registered-I/O wrapper)')
    .option('--engine <name>', 'yosys engine: yowasp|native', 'yowasp')
    .option('--sim <name>', 'simulator: icarus|verilator|hls|all', 'all')
    .option('--vectors <kind>', 'default | exhaustive | corner | random:N', 'default')
    .option('--seed <n>', 'seed of random vectors and bubbles', '1')
    .option('--out <dir>', 'output folder', 'out')
    .option('--json', 'machine-readable output')
    .action(
      async (
        o: SimOptionValues & {
          verify?: boolean;
          synth?: string;
          pnr?: boolean;
          engine: string;
          out: string;
          json?: boolean;
        },
      ) => {
        const sim = simOptions(o);
        const synth = synthOptions(o.synth ?? 'generic', o.engine);
        const outDir = o.verify ? simulationFolder(o.out) : outputFolder(o.out);
        const progress = new Progress(CATALOG.length, 'build', true);
        const rows = await buildCatalog(CATALOG, {
          outDir,
          ...(o.verify ? { verify: sim } : {}),
          ...(o.synth === undefined ? {} : { synth }),
          pnr: o.pnr ?? false,
          onStep: (ip, step) => progress.step(ip, step),
          onDone: () => progress.tick(),
        });
        progress.stop();
        const index = writeIndexPage(outDir, rows);
        // A preview of the index; without chromium only the preview is skipped.
        const preview = await screenshotPage(index, index.replace(/\.html$/, '.png'));
        if ('skipped' in preview) process.stderr.write(`build: index.png skipped: ${preview.skipped}\n`);
        // A skipped optional part (a missing tool) is said once per part, not once per IP.
        for (const note of new Set(rows.flatMap((r) => Object.values(r.notes)))) {
          process.stderr.write(`build: ${note}\n`);
        }
        emit(o.json ?? false, { rows, index }, () => summary(rows, o.verify ?? false) + `index: ${index}\n`);
        if (rows.some(rowFailed)) process.exitCode = 1;
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
  if (area.length > 0) lines.push('\n', areaTable(area));
  const fmax = rows.filter((r) => r.fmax !== undefined);
  if (fmax.length > 0) {
    lines.push(
      '\n',
      table([
        ['IP', 'FMAX MHZ', 'DEVICE'],
        ...fmax.map((r) => [r.ip, r.fmax!.mhz.toFixed(2), r.fmax!.device]),
      ]),
    );
  }
  const failed = rows.filter(rowFailed).length;
  lines.push(
    `\n${rows.length - failed} of ${rows.length} IPs ${verified ? 'passed' : 'built'}${failed > 0 ? `, ${failed} failed` : ''}\n`,
  );
  return lines.join('');
}
