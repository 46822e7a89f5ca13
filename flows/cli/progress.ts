import cliProgress from 'cli-progress';

/** Progress over a list of items: a bar on a terminal, one plain line per step otherwise (CI logs). */
export class Progress {
  private readonly bar: cliProgress.SingleBar | undefined;
  private done = 0;

  constructor(
    private readonly total: number,
    private readonly label: string,
    enabled = true,
  ) {
    if (enabled && process.stderr.isTTY) {
      this.bar = new cliProgress.SingleBar(
        {
          format: `${label} [{bar}] {value}/{total} {item}: {step}`,
          stream: process.stderr,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, 0, { item: '', step: '' });
    }
    this.quiet = !enabled;
  }

  private readonly quiet: boolean;

  /** Item `item` reached `step`. */
  step(item: string, step: string): void {
    if (this.bar !== undefined) this.bar.update(this.done, { item, step });
    else if (!this.quiet)
      process.stderr.write(`${this.label} [${this.done + 1}/${this.total}] ${item}: ${step}\n`);
  }

  /** Item finished. */
  tick(): void {
    this.done++;
    this.bar?.update(this.done);
  }

  stop(): void {
    this.bar?.stop();
  }
}
