import {
  appendEvents,
  eventKey,
  type EventRow,
  type RejectedRow,
  type Store,
} from '../store/index.js';
import type { NormalizedEvent } from './normalize.js';

interface Pending {
  events: NormalizedEvent[];
  rejected: RejectedRow[];
  resolve(fresh: NormalizedEvent[]): void;
  reject(error: unknown): void;
}

/**
 * Group commit for the event log. Concurrent requests queue their rows; one flush writes
 * everything queued in a single transaction and then acknowledges each request with the
 * events of its own that were new. Under load this turns N small commits (N fsyncs) into
 * one, while a lone request still commits at once.
 */
export class EventWriter {
  private queue: Pending[] = [];
  private readonly flushes = new Set<Promise<void>>();
  private scheduled = false;
  private closed = false;
  /**
   * Commits in flight at once. SQLite has one writer, so one; PostgreSQL overlaps a few
   * so the next group is written while the previous waits for its commit.
   */
  private readonly maxInFlight: number;

  constructor(
    private readonly store: Store,
    /** Called after each commit with the events that were new, in log order. */
    private readonly onCommitted: (fresh: NormalizedEvent[]) => void = () => undefined,
  ) {
    this.maxInFlight = store.kind === 'postgres' ? 6 : 1;
  }

  /** Resolves with the new (non-replayed) events once they are committed. */
  write(events: NormalizedEvent[], rejected: RejectedRow[] = []): Promise<NormalizedEvent[]> {
    if (this.closed) return Promise.reject(new Error('event writer is closed'));
    return new Promise<NormalizedEvent[]>((resolve, reject) => {
      this.queue.push({ events, rejected, resolve, reject });
      this.schedule();
    });
  }

  /** Starts a flush on the next turn (so requests of this tick join it) if one may start. */
  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.flushes.size >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.queue.length === 0 || this.flushes.size >= this.maxInFlight) return;
      const group = this.queue;
      this.queue = [];
      const flush = this.commitGroup(group).finally(() => {
        this.flushes.delete(flush);
        this.schedule();
      });
      this.flushes.add(flush);
      this.schedule();
    });
  }

  private async commitGroup(group: Pending[]): Promise<void> {
    try {
      const inserted = await appendEvents(
        this.store,
        group.flatMap((p) => p.events.map(toRow)),
        group.flatMap((p) => p.rejected),
      );
      const all: NormalizedEvent[] = [];
      for (const p of group) {
        // A messageId repeated within one group is new only for its first occurrence.
        const fresh = p.events.filter((e) => inserted.delete(eventKey(e.workspaceId, e.messageId)));
        all.push(...fresh);
        p.resolve(fresh);
      }
      this.notify(all);
    } catch (groupError) {
      if (group.length === 1) {
        group[0]!.reject(groupError);
        return;
      }
      // One request's rows must not fail the others: the group rolled back, so retry
      // each request in its own transaction.
      for (const p of group) await this.commitGroup([p]);
    }
  }

  private notify(fresh: NormalizedEvent[]): void {
    if (fresh.length === 0) return;
    try {
      this.onCommitted(fresh);
    } catch {
      // Subscribers react to committed events; their failure must not un-acknowledge them.
    }
  }

  /** Waits for every queued write to commit, then refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushes.size > 0 || this.queue.length > 0 || this.scheduled) {
      if (this.flushes.size > 0) await Promise.all([...this.flushes]);
      else await new Promise((r) => setImmediate(r));
    }
  }
}

function toRow(e: NormalizedEvent): EventRow {
  return {
    workspace_id: e.workspaceId,
    message_id: e.messageId,
    type: e.type,
    event: e.event,
    user_id: e.userId,
    anonymous_id: e.anonymousId,
    previous_id: e.previousId,
    group_id: e.groupId,
    timestamp: e.timestamp,
    received_at: e.receivedAt,
    sent_at: e.sentAt,
    raw: e.raw,
  };
}
