import type { Clock } from './clock.js';

/**
 * How many log lines of each kind may be written per window. Past the budget a caller
 * stops writing one line per item and writes a summary instead, so a campaign of 100,000
 * messages or a failing SMTP server gives a readable log, not a flood.
 * @example
 * const budget = new LogBudget(clock, 100, 60_000);
 * if (budget.take('message.sent')) logger.info({ event: 'message.sent', ... });
 */
export class LogBudget {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly perWindow = 100,
    private readonly windowMs = 60_000,
  ) {}

  /** True when a line of this kind may be written now (and counts it). */
  take(kind: string): boolean {
    const now = this.clock.now();
    let w = this.windows.get(kind);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, used: 0 };
      this.windows.set(kind, w);
    }
    if (w.used >= this.perWindow) return false;
    w.used++;
    return true;
  }
}
