import type { CatalogEntry } from '../../ip/catalog.ts';
import { withPackageLock } from '../lock.ts';
import { buildPackage, packageDir, recordResults } from '../package.ts';
import { measureFmax } from '../pnr/fmax.ts';
import { synthTarget } from '../synth-ip.ts';
import type { AreaReport, SynthEngine, SynthTarget } from '../synth/types.ts';
import { resolveTarget, type Target } from '../target.ts';
import { verifyTarget, type VerifyOptions, type VerifyResult } from '../verify.ts';
import type { FmaxResult } from './results.ts';
import { preferredEngine } from './schematic.ts';
import { join } from 'node:path';

export interface BuildIpOptions {
  outDir: string;
  /** Lint and conformance, as `bitsmith verify` runs them. */
  verify?: Omit<VerifyOptions, 'outDir' | 'onStep'>;
  /** Area on these targets. */
  synth?: { targets: SynthTarget[]; engine: SynthEngine };
  /** Fmax on the iCE40 (nextpnr-ice40); skipped with a note when nextpnr is missing. */
  pnr?: boolean;
  onStep?: (step: string) => void;
}

export interface BuildRow {
  ip: string;
  module: string;
  /** Why the entry could not be built (bad parameters, a tool that failed). */
  error?: string;
  verify?: VerifyResult;
  area: (AreaReport & { ip: string })[];
  fmax?: FmaxResult;
  /** Parts skipped, with the reason. */
  notes: Record<string, string>;
}

/** Build one IP's full package, then verify, synthesize and place it as asked; results land in its README. */
export function buildIp(target: Target, options: BuildIpOptions): Promise<BuildRow> {
  return withPackageLock(packageDir(options.outDir, target.ip), () => buildLocked(target, options));
}

async function buildLocked(target: Target, options: BuildIpOptions): Promise<BuildRow> {
  const step = options.onStep ?? (() => {});
  step('package');
  const engine = options.synth?.engine ?? (await preferredEngine());
  const pkg = await buildPackage(target, options.outDir, { engine });
  const row: BuildRow = { ip: target.ip, module: target.module.name, area: [], notes: { ...pkg.notes } };
  if (options.verify) {
    row.verify = await verifyTarget(target, { outDir: options.outDir, ...options.verify, onStep: step });
  }
  for (const t of options.synth?.targets ?? []) {
    step(`synth ${t}`);
    row.area.push({
      ip: target.ip,
      ...(await synthTarget(target, { outDir: options.outDir, target: t, engine })),
    });
  }
  if (options.pnr) {
    step('pnr');
    const outcome = await measureFmax({
      module: target.module,
      rtlFiles: pkg.rtlFiles,
      target: 'ice40',
      engine,
      workDir: join(pkg.dir, 'pnr', 'ice40'),
    });
    if ('fmax' in outcome) {
      row.fmax = outcome.fmax;
      recordResults(target, pkg.dir, { fmax: { ice40: outcome.fmax } });
    } else {
      row.notes['fmax ice40'] = outcome.skipped;
      recordResults(target, pkg.dir, { notes: { 'fmax ice40': outcome.skipped } });
    }
  }
  return row;
}

/**
 * Build every entry. An entry that fails (its parameters do not validate, a tool fails on it) is
 * reported by name in its row and the others still build; the caller decides the exit status.
 */
export async function buildCatalog(
  entries: readonly CatalogEntry[],
  options: Omit<BuildIpOptions, 'onStep'> & {
    onStep?: (ip: string, step: string) => void;
    onDone?: () => void;
  },
): Promise<BuildRow[]> {
  const rows: BuildRow[] = [];
  for (const entry of entries) {
    let row: BuildRow = { ip: entry.name, module: '', area: [], notes: {} };
    try {
      options.onStep?.(entry.name, 'generate');
      const target = resolveCatalogEntry(entry);
      row = await buildIp(target, { ...options, onStep: (s) => options.onStep?.(entry.name, s) });
    } catch (error) {
      row.error = error instanceof Error ? error.message : String(error);
    }
    rows.push(row);
    options.onDone?.();
  }
  return rows;
}

/** A catalog entry as a Target; also works for entries that are not in ip/catalog.ts (tests). */
function resolveCatalogEntry(entry: CatalogEntry): Target {
  const target = resolveTarget(entry.generator, entry.params);
  return { ...target, ip: entry.name, description: entry.description };
}

/** A row failed when it could not be built or did not pass verification. */
export function rowFailed(row: BuildRow): boolean {
  return row.error !== undefined || (row.verify !== undefined && !row.verify.passed);
}
