import { SingleBar, Presets } from 'cli-progress';

/** Progress on stderr: a bar in a terminal, a line per 10% otherwise. */
export class Progress {
  private bar: SingleBar | null = null;
  private lastTenth = -1;
  private total = 0;
  private label = '';
  constructor(private readonly quiet: boolean) {}
  start(label: string, total: number): void {
    this.stop();
    this.label = label;
    this.total = total;
    this.lastTenth = -1;
    if (this.quiet) return;
    if (process.stderr.isTTY) {
      this.bar = new SingleBar(
        {
          format: `${label.padEnd(24)} [{bar}] {percentage}% | {value}/{total}`,
          stream: process.stderr,
        },
        Presets.shades_classic,
      );
      this.bar.start(total, 0);
    } else {
      process.stderr.write(`${label}...\n`);
    }
  }
  update(value: number): void {
    if (this.bar) {
      this.bar.update(value);
      return;
    }
    const tenth = this.total > 0 ? Math.floor((10 * value) / this.total) : 10;
    if (!this.quiet && tenth > this.lastTenth && tenth < 10) {
      this.lastTenth = tenth;
      process.stderr.write(`${this.label}: ${tenth * 10}%\n`);
    }
  }
  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
  /** A progress note (quiet with --json). */
  note(text: string): void {
    this.stop();
    if (!this.quiet) process.stderr.write(`${text}\n`);
  }
  /** A warning, always shown on stderr. */
  warn(text: string): void {
    this.stop();
    process.stderr.write(`${text}\n`);
  }
}
