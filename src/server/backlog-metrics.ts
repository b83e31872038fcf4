import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../shared/index.js';

/** How far behind each part of the system is, read from the store (so every process agrees). */
export interface Backlog {
  /** Messages still to deliver, by status (queued, retry, sending) and channel. */
  outbox: readonly { status: string; channel: string; count: number }[];
  /** Events not yet folded into profiles. */
  pendingEvents: number;
  /** Milliseconds the oldest waiting item of each stage has waited (0: none waits). */
  lagMs: { profiles: number; outbox: number; journeys: number; segments: number };
}

/**
 * Registers the backlog gauges. A scrape reads the store once (all gauges share one
 * read), and a read younger than `cacheMs` (on the clock) is reused, so a scrape storm,
 * or several Prometheus servers, cost one set of indexed queries per interval.
 */
export function registerBacklogGauges(
  registry: Registry,
  clock: Clock,
  read: () => Promise<Backlog>,
  cacheMs: number,
): void {
  let cached: { at: number; value: Promise<Backlog> } | null = null;
  const current = (): Promise<Backlog> => {
    const now = clock.now();
    if (!cached || now - cached.at >= cacheMs) {
      const value = read();
      cached = { at: now, value };
      // A failed read is not kept: the next scrape tries again.
      value.catch(() => {
        if (cached?.value === value) cached = null;
      });
    }
    return cached.value;
  };
  new Gauge({
    name: 'rapport_outbox_messages',
    help: 'Messages still to deliver, by status (queued, retry, sending) and channel; all workspaces.',
    labelNames: ['status', 'channel'] as const,
    registers: [registry],
    async collect() {
      const b = await current();
      this.reset();
      for (const o of b.outbox) this.set({ status: o.status, channel: o.channel }, o.count);
    },
  });
  new Gauge({
    name: 'rapport_pipeline_pending_events',
    help: 'Events not yet folded into profiles, all workspaces.',
    registers: [registry],
    async collect() {
      this.set((await current()).pendingEvents);
    },
  });
  new Gauge({
    name: 'rapport_pipeline_lag_seconds',
    help: 'Age of the oldest waiting item per stage: profiles (events not folded; the segments, journeys, consent, decisions and experiments stages run in its transaction) and outbox (messages due).',
    labelNames: ['stage'] as const,
    registers: [registry],
    async collect() {
      const { lagMs } = await current();
      this.set({ stage: 'profiles' }, lagMs.profiles / 1000);
      this.set({ stage: 'outbox' }, lagMs.outbox / 1000);
    },
  });
  new Gauge({
    name: 'rapport_journey_lag_seconds',
    help: 'Age of the oldest journey timer that is due and not yet run (0: none waits).',
    registers: [registry],
    async collect() {
      this.set((await current()).lagMs.journeys / 1000);
    },
  });
  new Gauge({
    name: 'rapport_segment_lag_seconds',
    help: 'Age of the oldest segment check (a window expiring, a date crossing) that is due and not yet run.',
    registers: [registry],
    async collect() {
      this.set((await current()).lagMs.segments / 1000);
    },
  });
}
