import type { Logger } from 'pino';

export interface WorkLoopOptions {
  /** How long to sleep when there is no work and nobody wakes the loop. */
  idleMs?: number;
  /** Longest back-off after repeated failures. */
  maxBackoffMs?: number;
  logger?: Logger;
}

/**
 * Runs `step` again and again while it finds work, then sleeps until woken (an
 * in-process signal that work arrived) or until `idleMs` passes (work written by other
 * processes). A failing step is logged and retried with exponential back-off; it never
 * stops the loop. `stop()` waits for the running step to finish.
 */
export class WorkLoop {
  private running = false;
  private current: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private failures = 0;

  constructor(
    readonly name: string,
    private readonly step: () => Promise<boolean>,
    private readonly options: WorkLoopOptions = {},
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.current = this.run();
  }

  /** Signals that work may be waiting. Cheap; safe to call on every commit. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.current;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let didWork = false;
      this.woken = false;
      try {
        didWork = await this.step();
        this.failures = 0;
      } catch (error) {
        this.failures++;
        this.options.logger?.error({ err: error, loop: this.name }, 'background step failed');
      }
      if (!this.running) break;
      if (didWork && this.failures === 0) continue;
      const backoff =
        this.failures > 0
          ? Math.min(this.options.maxBackoffMs ?? 30_000, 100 * 2 ** this.failures)
          : (this.options.idleMs ?? 250);
      if (this.woken && this.failures === 0) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, backoff);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wakeUp = done;
      });
      this.wakeUp = null;
    }
  }
}
