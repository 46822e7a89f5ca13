import type { Command } from 'commander';
import { SYNTH_ENGINES, SYNTH_TARGETS, type SynthEngine, type SynthTarget } from '../synth/types.ts';
import type { AreaReport } from '../synth/types.ts';
import { synthTarget } from '../synth-ip.ts';
import { runFmax } from './pnr.ts';
import { parseOverrides, resolveTarget } from '../target.ts';
import { emit, outputFolder, table } from './output.ts';
import { withTimeoutOption } from './timeout.ts';

/** Check --target (a list, or 'all') and --engine, naming the bad value. */
export function synthOptions(
  targetText: string,
  engine: string,
): { targets: SynthTarget[]; engine: SynthEngine } {
  const targets = targetText === 'all' ? [...SYNTH_TARGETS] : targetText.split(',');
  for (const t of targets) {
    if (!(SYNTH_TARGETS as readonly string[]).includes(t)) {
      throw new Error(
        `--target '${t}' is not allowed: use ${SYNTH_TARGETS.join(', ')}, all, or a comma-separated list`,
      );
    }
  }
  if (!(SYNTH_ENGINES as readonly string[]).includes(engine)) {
    throw new Error(`--engine '${engine}' is not allowed: use ${SYNTH_ENGINES.join(', ')}`);
  }
  return { targets: targets as SynthTarget[], engine: engine as SynthEngine };
}

export function areaTable(reports: (AreaReport & { ip: string })[]): string {
  return table([
    ['IP', 'TARGET', 'LUTS', 'FFS', 'CARRY', 'DSP', 'RAM', 'SECONDS'],
    ...reports.map((r) => [
      r.ip,
      r.target,
      String(r.luts),
      String(r.ffs),
      String(r.carries),
      String(r.dsps),
      String(r.rams),
      r.seconds.toFixed(1),
    ]),
  ]);
}

export function registerSynth(program: Command): void {
  withTimeoutOption(program.command('synth'))
    .description('synthesize an IP with Yosys and report its area')
    .argument('<ip|generator>', 'catalog IP name or generator name')
    .option('--target <list>', `${SYNTH_TARGETS.join('|')}|all (comma-separated list allowed)`, 'generic')
    .option('--engine <name>', `${SYNTH_ENGINES.join('|')}`, 'yowasp')
    .option(
      '--pnr',
      'also place and route and report the achieved Fmax: iCE40 HX8K (nextpnr-ice40), or ECP5-85 speed 6 and 8 (nextpnr-ecp5) for --target ecp5',
    )
    .option('--set <key=value...>', 'override a parameter (repeatable)', [])
    .option('--out <dir>', 'output folder', 'out')
    .option('--json', 'machine-readable output')
    .action(
      async (
        name: string,
        o: { target: string; engine: string; pnr?: boolean; set: string[]; out: string; json?: boolean },
      ) => {
        const { targets, engine } = synthOptions(o.target, o.engine);
        const target = resolveTarget(name, parseOverrides(o.set));
        const outDir = outputFolder(o.out);
        const reports: (AreaReport & { ip: string })[] = [];
        for (const t of targets) {
          process.stderr.write(`${target.ip}: synth ${t} (${engine})\n`);
          reports.push({
            ip: target.ip,
            ...(await synthTarget(target, { outDir, target: t, engine })),
          });
        }
        if (o.pnr) {
          const fmax = await runFmax(target, targets, { outDir, engine });
          emit(
            o.json ?? false,
            { area: reports, fmax },
            () => areaTable(reports) + fmax.map((f) => f.text).join(''),
          );
          return;
        }
        emit(o.json ?? false, reports, () => areaTable(reports));
      },
    );
}
