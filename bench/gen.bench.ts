// `bitsmith gen` cost against RTL size, over a sweep of GEMV cores (e4m3fn weights × fp16 x): wall
// time, CPU time and peak RSS of the gen process, each gen run as a child process of its own. They
// should grow linearly with the Verilog written; issue #20 asks for a 16×32 core in under 10 s.
// `npm run bench -- gen` runs only this.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { table } from '../flows/cli/output.ts';
import { projectPath } from '../generators/emit/paths.ts';

const SIZES: [rows: number, lanes: number][] = [
  [2, 8],
  [4, 8],
  [4, 16],
  [8, 16],
  [8, 32],
  [16, 32],
];

// Loaded before the CLI: prints the process's peak resident set (kB) and CPU time (µs) when it exits.
// CPU time, unlike wall time, does not grow when other work shares the machine.
const REPORT_USAGE =
  'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();' +
  'process.stderr.write(`gen-usage ${u.maxRSS} ${u.userCPUTime+u.systemCPUTime}\\n`)})';

export async function benchGen(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'bitsmith-bench-gen-'));
  try {
    const lines: string[][] = [
      ['P×S', 'RTL (MB)', 'gen (s)', 'CPU (s)', 'peak RSS (MB)', 'CPU s per MB of RTL'],
    ];
    for (const [p, s] of SIZES) {
      const sets = ['weight=e4m3fn', `rows=${p}`, `lanes=${s}`].flatMap((s) => ['--set', s]);
      const start = performance.now();
      const run = spawnSync(
        process.execPath,
        [
          '--import',
          REPORT_USAGE,
          projectPath('bin', 'bitsmith.js'),
          'gen',
          'gemv',
          ...sets,
          '--out',
          out,
          '--json',
        ],
        { encoding: 'utf8', maxBuffer: 64 << 20 },
      );
      const seconds = (performance.now() - start) / 1000;
      if (run.status !== 0) throw new Error(`gen gemv ${sets.join(' ')} failed:\n${run.stderr}`);
      const [, peakKb, cpuMicros] = /gen-usage (\d+) (\d+)/.exec(run.stderr)!.map(Number);
      const { dir } = JSON.parse(run.stdout) as { dir: string };
      const rtl = readdirSync(join(dir, 'rtl')).reduce((n, f) => n + statSync(join(dir, 'rtl', f)).size, 0);
      const mb = rtl / 2 ** 20;
      lines.push([
        `${p}×${s}`,
        mb.toFixed(2),
        seconds.toFixed(1),
        (cpuMicros! / 1e6).toFixed(1),
        (peakKb! / 1024).toFixed(0),
        (cpuMicros! / 1e6 / mb).toFixed(1),
      ]);
    }
    process.stdout.write(table(lines));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
