import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { renderTemplate } from '../../generators/emit/templates.ts';
import { cellsFromStat, countResources } from './area-report.ts';
import { synthCommand } from './targets.ts';
import { SYNTH_ENGINES, SYNTH_TARGETS, type AreaReport, type SynthOptions } from './types.ts';
import { runYosysScript } from './yosys-runner.ts';

const STAT_FILE = 'stat.json';
const NETLIST_FILE = 'netlist.json';
const SCRIPT_FILE = 'synth.ys';

const synthOptionsSchema = z.object({
  files: z.array(z.string().min(1)).min(1),
  top: z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]*$/, 'a Verilog module name'),
  target: z.enum(SYNTH_TARGETS),
  engine: z.enum(SYNTH_ENGINES).default('yowasp'),
  workDir: z.string().min(1),
});

/**
 * Synthesizes `top` for a target with Yosys and reports its area. The design must pass
 * `check -assert` before and after synthesis. workDir ends up self-contained: src/, synth.ys,
 * yosys.log, stat.json and netlist.json (rerun with `yosys -s synth.ys` there).
 */
export async function synthesize(options: SynthOptions): Promise<AreaReport> {
  const parsed = synthOptionsSchema.safeParse(options);
  if (!parsed.success) throw new Error(`synthesize: ${describeIssues(parsed.error, options)}`);
  const { files, top, target, engine, workDir } = parsed.data;

  await mkdir(workDir, { recursive: true });
  await Promise.all([STAT_FILE, NETLIST_FILE].map((file) => rm(join(workDir, file), { force: true })));
  const sources = await copySources(files, workDir);
  const script = renderTemplate('synth/synth.ys.hbs', {
    top,
    target,
    files: sources,
    synthCommand: synthCommand(target, top),
    statFile: STAT_FILE,
    netlistFile: NETLIST_FILE,
  });
  await writeFile(join(workDir, SCRIPT_FILE), script);

  const run = await runYosysScript(engine, {
    workDir,
    script: SCRIPT_FILE,
    inputs: sources,
    outputs: [STAT_FILE, NETLIST_FILE],
  });
  if (run.exitCode !== 0) {
    throw new Error(
      `Yosys (${engine}) failed on ${top} for ${target}:\n${failureExcerpt(run.log)}\nFull log: ${run.logPath}`,
    );
  }
  const cells = cellsFromStat(await readFile(join(workDir, STAT_FILE), 'utf8'));
  return {
    target,
    top,
    cells,
    ...countResources(cells),
    seconds: run.seconds,
    netlistPath: join(workDir, NETLIST_FILE),
    logPath: run.logPath,
  };
}

// Each problem as "<parameter> = <value>: <what is allowed>".
function describeIssues(error: z.ZodError, options: unknown): string {
  return error.issues
    .map((issue) => {
      const value = issue.path.reduce<unknown>(
        (node, key) => (node as Record<PropertyKey, unknown>)?.[key],
        options,
      );
      return `${issue.path.join('.') || 'options'} = ${JSON.stringify(value)}: ${issue.message}`;
    })
    .join('; ');
}

/** Copies the design into workDir/src, so the folder can be rerun as it is (and yowasp can read it). */
async function copySources(files: string[], workDir: string): Promise<string[]> {
  await mkdir(join(workDir, 'src'), { recursive: true });
  const names = files.map((file, i) => {
    const name = basename(file);
    const clashes = files.some((other, j) => j !== i && basename(other) === name);
    return `src/${clashes ? `${i}_` : ''}${name}`;
  });
  await Promise.all(files.map((file, i) => copyFile(file, join(workDir, names[i]!))));
  return names;
}

// The pass that failed: from its "Executing" header to the ERROR line.
function failureExcerpt(log: string): string {
  const lines = log.trimEnd().split('\n');
  const errorAt = lines.findIndex((line) => line.startsWith('ERROR'));
  const end = errorAt >= 0 ? errorAt + 1 : lines.length;
  let start = end - 1;
  while (start > 0 && !/^\d+(\.\d+)*\. Executing/.test(lines[start]!)) start--;
  return lines.slice(Math.max(start, end - 30), end).join('\n');
}
