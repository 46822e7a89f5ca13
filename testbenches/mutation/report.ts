// The mutation table of a generator as text: per variant, the IPs that killed it, and where it survived.
import type { GeneratorScore } from './harness.ts';

/** One line per generator: variants, killed, survived (and which). */
export function scoreLine(s: GeneratorScore): string {
  const survived = s.survived.length === 0 ? '' : ` — ${s.survived.join('; ')}`;
  return `${s.generator.padEnd(13)} ${String(s.variants).padStart(3)} variants ${String(s.killed).padStart(3)} killed ${String(s.survived.length).padStart(3)} survived${survived}`;
}

/** Every variant and its outcome per IP ('n/a' with the reason it is not a variant of that IP). */
export function scoreTable(s: GeneratorScore): string {
  const lines = [`${s.generator} (${s.ips.join(', ')})`];
  for (const r of s.results) {
    const by = (outcome: string) => r.outcomes.filter((o) => o.outcome === outcome).map((o) => o.ip);
    const [killed, survived, na] = [by('killed'), by('survived'), by('n/a')];
    const verdict =
      survived.length > 0
        ? `SURVIVED in ${survived.join(', ')}`
        : killed.length > 0
          ? 'killed'
          : 'not a variant of these IPs';
    lines.push(
      `  ${r.variant.padEnd(30)} ${verdict}${killed.length > 0 && na.length > 0 ? ` (n/a: ${na.length})` : ''}`,
    );
    // An equivalent model proved so by trying every result: say where and why.
    for (const o of r.outcomes)
      if (o.outcome === 'n/a' && o.why !== undefined && /tried|exact \(|either way|alike/.test(o.why))
        lines.push(`    not applicable to ${o.ip}: ${o.why}`);
  }
  return lines.join('\n');
}
