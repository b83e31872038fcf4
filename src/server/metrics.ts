import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { IngestCounters, RejectedCounters } from '../ingest/index.js';
import type { Clock } from '../shared/index.js';
import { registerBacklogGauges, type Backlog } from './backlog-metrics.js';

/** The process's Prometheus metrics, in a registry of its own (no global state). */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'rapport_http_requests_total',
    help: 'HTTP requests by method, route and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'rapport_http_request_duration_seconds',
    help: 'HTTP request latency by method and route.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly eventsIngested = new Counter({
    name: 'rapport_events_ingested_total',
    help: 'Events appended to the log, by type (replays not counted).',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly eventsDuplicate = new Counter({
    name: 'rapport_events_duplicate_total',
    help: 'Events acknowledged but not stored again because their messageId was seen.',
    registers: [this.registry],
  });
  readonly eventsRejected = new Counter({
    name: 'rapport_events_rejected_total',
    help: 'Events or request bodies refused as invalid.',
    registers: [this.registry],
  });

  readonly connectionsDropped = new Counter({
    name: 'rapport_http_connections_dropped_total',
    help: 'Connections closed on arrival because the connection cap was reached.',
    registers: [this.registry],
  });

  readonly rejectedDropped = new Counter({
    name: 'rapport_rejected_events_dropped_total',
    help: 'Refused batch elements not stored because their workspace had its cap of stored refusals.',
    registers: [this.registry],
  });
  readonly rejectedTruncated = new Counter({
    name: 'rapport_rejected_events_truncated_total',
    help: 'Refused batch elements stored with their text cut to the size limit.',
    registers: [this.registry],
  });
  readonly rejectedDeleted = new Counter({
    name: 'rapport_rejected_events_deleted_total',
    help: 'Stored refusals deleted by the cleanup: past retention, or over the cap.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly eventsProcessed = new Counter({
    name: 'rapport_events_processed_total',
    help: 'Events folded into profiles by the profile stage.',
    registers: [this.registry],
  });

  readonly renderLimitsExceeded = new Counter({
    name: 'rapport_render_limit_exceeded_total',
    help: 'Template renders (sends and previews) this process stopped at a render limit.',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  readonly eventsQuarantined = new Counter({
    name: 'rapport_events_quarantined_total',
    help: 'Events this process set aside after they failed the profile stage repeatedly.',
    registers: [this.registry],
  });

  /** Reads the quarantine's size from the store at each scrape, so every process agrees. */
  countQuarantine(count: () => Promise<number>): void {
    new Gauge({
      name: 'rapport_quarantined_events',
      help: 'Events waiting in the quarantine (GET /v1/admin/quarantine), all workspaces.',
      registers: [this.registry],
      async collect() {
        this.set(await count());
      },
    });
  }

  /**
   * Reads the backlog from the store when scraped (outbox depth, pipeline, journey and
   * segment lag), at most once per `cacheMs` of the clock.
   */
  observeBacklog(clock: Clock, read: () => Promise<Backlog>, cacheMs = 5_000): void {
    registerBacklogGauges(this.registry, clock, read, cacheMs);
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'rapport_' });
  }

  ingestCounters(): IngestCounters {
    return {
      accepted: (type, n) => {
        this.eventsIngested.inc({ type }, n);
      },
      duplicate: (n) => {
        this.eventsDuplicate.inc(n);
      },
      rejected: (n) => {
        if (n > 0) this.eventsRejected.inc(n);
      },
    };
  }

  rejectedCounters(): RejectedCounters {
    return {
      dropped: (n) => this.rejectedDropped.inc(n),
      truncated: (n) => this.rejectedTruncated.inc(n),
      deleted: (reason, n) => this.rejectedDeleted.inc({ reason }, n),
    };
  }
}
