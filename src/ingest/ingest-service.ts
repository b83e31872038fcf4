import type { RejectedRow } from '../store/index.js';
import { ValidationError, zodDetails, type Clock, type ErrorDetail } from '../shared/index.js';
import type { EventWriter } from './event-writer.js';
import { normalizeEvent, type NormalizedEvent } from './normalize.js';
import { batchElementSources } from './raw-elements.js';
import { BatchRequest, type BatchResponse, type EventType } from './segment-schemas.js';

export interface IngestCounters {
  accepted(type: string, n: number): void;
  duplicate(n: number): void;
  rejected(n: number): void;
}

/** Decides which refused batch elements are stored, and in what form (see RejectedKeeper). */
export interface RejectedGate {
  admit(workspaceId: string, rows: readonly RejectedRow[]): Promise<RejectedRow[]>;
}

/** Without a gate nothing refused is stored: the client still gets every reason. */
const storeNone: RejectedGate = { admit: () => Promise.resolve([]) };

const noCounters: IngestCounters = {
  accepted: () => undefined,
  duplicate: () => undefined,
  rejected: () => undefined,
};

/**
 * The ingestion use cases behind the Segment-compatible endpoints: validate, normalize,
 * append to the log through the group-commit writer, and answer only once committed.
 */
export class IngestService {
  constructor(
    private readonly writer: EventWriter,
    private readonly clock: Clock,
    private readonly counters: IngestCounters = noCounters,
    private readonly rejects: RejectedGate = storeNone,
  ) {}

  /** One event from `/v1/track` and friends. Invalid input throws and stores nothing. */
  async ingestOne(
    workspaceId: string,
    type: EventType,
    value: unknown,
    raw: string,
  ): Promise<{ duplicate: boolean }> {
    const result = normalizeEvent({
      workspaceId,
      value,
      raw,
      receivedAt: this.clock.now(),
      expectedType: type,
    });
    if (result.kind === 'invalid') {
      this.counters.rejected(1);
      throw new ValidationError(`Invalid ${type} event`, result.details);
    }
    const fresh = await this.writer.write([result.event]);
    this.count([result.event], fresh);
    return { duplicate: fresh.length === 0 };
  }

  /**
   * A `/v1/batch` body: valid events are stored, each invalid one is reported by index
   * and kept in the rejected-events table within its caps (what the caps drop is counted
   * in /metrics), so nothing is silently dropped.
   */
  async ingestBatch(workspaceId: string, value: unknown, text: string): Promise<BatchResponse> {
    const parsed = BatchRequest.safeParse(value);
    if (!parsed.success) {
      this.counters.rejected(1);
      throw new ValidationError('Invalid batch', zodDetails(parsed.error));
    }
    const items = parsed.data.batch;
    const sources = batchElementSources(text);
    const exact = sources !== null && sources.length === items.length;
    const receivedAt = this.clock.now();
    const events: NormalizedEvent[] = [];
    const rejected: RejectedRow[] = [];
    const report: BatchResponse['rejected'] = [];
    items.forEach((item, index) => {
      const raw = exact ? sources[index]! : (JSON.stringify(item) ?? 'null');
      const result = normalizeEvent({
        workspaceId,
        value: item,
        raw,
        receivedAt,
        batchSentAt: parsed.data.sentAt,
      });
      if (result.kind === 'ok') {
        events.push(result.event);
        return;
      }
      const details: ErrorDetail[] = result.details.map((d) => ({
        path: d.path ? `batch.${index}.${d.path}` : `batch.${index}`,
        problem: d.problem,
      }));
      report.push({ index, details });
      rejected.push({
        workspace_id: workspaceId,
        received_at: receivedAt,
        batch_index: index,
        details: JSON.stringify(details),
        raw,
      });
    });
    const fresh = await this.writer.write(events, await this.rejects.admit(workspaceId, rejected));
    this.count(events, fresh);
    this.counters.rejected(rejected.length);
    return {
      success: report.length === 0,
      accepted: events.length,
      duplicates: events.length - fresh.length,
      rejected: report,
    };
  }

  private count(all: NormalizedEvent[], fresh: NormalizedEvent[]): void {
    const byType = new Map<string, number>();
    for (const e of fresh) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
    for (const [type, n] of byType) this.counters.accepted(type, n);
    if (all.length > fresh.length) this.counters.duplicate(all.length - fresh.length);
  }
}
