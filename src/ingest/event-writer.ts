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
  private flushing: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly store: Store,
    /** Called after each commit with the events that were new, in log order. */
    private readonly onCommitted: (fresh: NormalizedEvent[]) => void = () => undefined,
  ) {}

  /** Resolves with the new (non-replayed) events once they are committed. */
  write(events: NormalizedEvent[], rejected: RejectedRow[] = []): Promise<NormalizedEvent[]> {
    if (this.closed) return Promise.reject(new Error('event writer is closed'));
    return new Promise<NormalizedEvent[]>((resolve, reject) => {
      this.queue.push({ events, rejected, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    // Let requests that arrived in the same tick join this commit.
    await new Promise((r) => setImmediate(r));
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      await this.commitGroup(group);
    }
    this.flushing = null;
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
    while (this.flushing) await this.flushing;
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
