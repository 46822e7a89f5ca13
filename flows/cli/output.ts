/** Print a result: JSON for scripts (BigInt as hex strings), text for people. */
export function emit(json: boolean, data: unknown, text: () => string): void {
  if (json) {
    process.stdout.write(
      JSON.stringify(data, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v), 2) + '\n',
    );
  } else {
    process.stdout.write(text());
  }
}

/** Left-aligned columns with two spaces between them. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return (
    rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') +
    '\n'
  );
}
