import type { Logger } from 'pino';
import { DEFAULT_RETRY_POLICY, nextRetryAt, type RetryPolicy } from '../channels/index.js';
import type { Clock } from '../shared/index.js';
import { skipLocked, withRetriedTransaction, type Store, type Tx } from '../store/index.js';
import { DeliveryLog } from './delivery-log.js';
import type { MessageStatus } from './message.js';
import { decodeOutboxEntry, type OutboxEntry } from './outbox-payload.js';

interface ClaimedFields {
  id: string;
  workspaceId: string;
  profileId: string;
  journeyId: string | null;
  runId: string | null;
  stepId: string | null;
  idempotencyKey: string;
  channel: string;
  topic: string | null;
  attempts: number;
}

/** A message claimed for delivery, its payload decoded through its kind's schema. */
export type ClaimedMessage = ClaimedFields & OutboxEntry;

/** A claimed `send` message: what the e-mail and push channels deliver. */
export type ClaimedSend = Extract<ClaimedMessage, { kind: 'send' }>;

/**
 * What a channel did with a message; `channel`, when a deliverer picked one (the
 * `preferred` channel), is recorded as the message's channel.
 */
export type Delivery = (
  | { kind: 'sent'; payload?: Record<string, unknown>; detail?: string }
  | { kind: 'retry'; error: string; retryAfterMs?: number | undefined }
  | { kind: 'failed'; error: string }
  | { kind: 'bounced'; error: string }
  /** Refused before sending (consent, caps...): a final state with its reason. */
  | { kind: 'skipped' | 'capped'; reason: string; payload?: Record<string, unknown> }
  /** Not now (quiet hours, send-time window): try again at `at`, not an attempt. */
  | { kind: 'defer'; at: number; reason: string }
) & { channel?: string };

export type Deliver = (message: ClaimedMessage) => Promise<Delivery>;

export interface SenderOptions {
  /** How long a claimed message is reserved; a crashed sender's messages return after it. */
  leaseMs?: number;
  batchSize?: number;
  concurrency?: number;
  retry?: RetryPolicy;
  logger?: Logger;
}

/**
 * Delivers the outbox. A batch is claimed in a short transaction (SKIP LOCKED on
 * PostgreSQL) and leased; each message goes through its channel outside any transaction;
 * the outcome is recorded with the status history. Delivery is at least once: a sender
 * killed between a successful send and recording it resends after the lease, with the
 * same `Idempotency-Key`, so receivers can drop the copy. A message is never *created*
 * twice (the outbox key is unique per step visit).
 */
export class OutboxSender {
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly retry: RetryPolicy;
  private readonly log: DeliveryLog | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly channels: Record<string, Deliver>,
    private readonly options: SenderOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.batchSize = options.batchSize ?? 100;
    this.concurrency = options.concurrency ?? 16;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.log = options.logger && new DeliveryLog(options.logger, clock);
  }

  /** Delivers one batch of due messages; resolves true if there was any. */
  async step(): Promise<boolean> {
    const { claimed, unreadable } = await this.claim();
    if (claimed.length === 0 && unreadable.length === 0) return false;
    const outcomes: Outcome[] = [...unreadable];
    const open = new Set(claimed.map((m) => m.id));
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const m = claimed[next++]!;
        outcomes.push(await this.deliver(m));
        open.delete(m.id);
      }
    };
    // Outcomes are recorded once the whole batch is delivered. A slow batch (a slow
    // receiver, a loaded machine) would outlive its lease and another sender would claim
    // and send its messages again, so the lease of what is still undelivered is renewed
    // while the batch runs.
    const renewal = setInterval(
      () => {
        void this.renewLease([...open]).catch((err: unknown) =>
          this.options.logger?.warn({ err }, 'could not renew the outbox lease'),
        );
      },
      Math.max(50, this.leaseMs / 3),
    );
    try {
      await Promise.all(Array.from({ length: Math.min(this.concurrency, claimed.length) }, worker));
    } finally {
      clearInterval(renewal);
    }
    // One transaction records the whole batch: a commit (an fsync on SQLite) per batch,
    // not two per message.
    await withRetriedTransaction(this.store, (tx) => writeOutcomes(tx, outcomes, this.clock.now()));
    this.log?.summary();
    return true;
  }

  /** Pushes the lease of messages this sender is still delivering a lease further on. */
  private async renewLease(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const until = this.clock.now() + this.leaseMs;
    await this.store.db
      .updateTable('messages')
      .set({ locked_until: until, next_attempt_at: until })
      .where('id', 'in', [...ids])
      .where('status', '=', 'sending')
      .execute();
  }

  /**
   * Claims a batch of due messages. A message whose payload does not decode fails at
   * once with the field at fault as its reason: sending it could only go wrong, and it
   * must not hold up the others.
   */
  private async claim(): Promise<{ claimed: ClaimedMessage[]; unreadable: Outcome[] }> {
    return withRetriedTransaction(this.store, async (tx) => {
      const now = this.clock.now();
      const rows = await tx
        .selectFrom('messages')
        .selectAll()
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(this.batchSize)
        .modifyEnd(skipLocked(this.store))
        .execute();
      if (rows.length === 0) return { claimed: [], unreadable: [] };
      const until = now + this.leaseMs;
      await tx
        .updateTable('messages')
        .set((eb) => ({
          status: 'sending',
          attempts: eb('attempts', '+', 1),
          locked_until: until,
          next_attempt_at: until,
          updated_at: now,
        }))
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      const claimed: ClaimedMessage[] = [];
      const unreadable: Outcome[] = [];
      for (const r of rows) {
        const entry = decodeOutboxEntry(r.kind, r.payload);
        if (entry.kind === 'corrupt') {
          const reason = `unreadable payload: ${entry.problem}`;
          this.options.logger?.warn(
            {
              event: 'message.failed',
              workspace: r.workspace_id,
              messageId: r.id,
              journeyId: r.journey_id,
              channel: r.channel,
              final: true,
              reason: 'unreadable_payload',
              error: reason,
            },
            'message failed',
          );
          unreadable.push({ id: r.id, status: 'failed', nextAttemptAt: null, reason });
          continue;
        }
        claimed.push({
          id: r.id,
          workspaceId: r.workspace_id,
          profileId: r.profile_id,
          journeyId: r.journey_id,
          runId: r.run_id,
          stepId: r.step_id,
          idempotencyKey: r.idempotency_key,
          channel: r.channel,
          topic: r.topic,
          attempts: r.attempts + 1,
          ...entry.value,
        });
      }
      return { claimed, unreadable };
    });
  }

  private async deliver(m: ClaimedMessage): Promise<Outcome> {
    const channel = this.channels[m.channel];
    let outcome: Delivery;
    // Real time, not the clock: how long the receiver took is what an operator wants.
    const started = performance.now();
    try {
      outcome = channel
        ? await channel(m)
        : { kind: 'failed', error: `no sender for channel "${m.channel}" is configured` };
    } catch (error) {
      this.options.logger?.error({ err: error, messageId: m.id }, 'channel threw');
      outcome = { kind: 'retry', error: error instanceof Error ? error.message : String(error) };
    }
    const recorded = this.record(m, outcome);
    this.log?.outcome(
      m,
      outcome,
      recorded.status,
      performance.now() - started,
      recorded.reason ?? undefined,
    );
    return outcome.channel ? { ...recorded, channel: outcome.channel } : recorded;
  }

  private record(m: ClaimedMessage, outcome: Delivery): Outcome {
    const now = this.clock.now();
    const payload =
      'payload' in outcome && outcome.payload ? JSON.stringify(outcome.payload) : undefined;
    switch (outcome.kind) {
      case 'sent':
        return {
          id: m.id,
          status: 'sent',
          nextAttemptAt: null,
          sentAt: now,
          reason: outcome.detail ?? null,
          payload,
        };
      case 'defer':
        return {
          id: m.id,
          status: 'queued',
          nextAttemptAt: outcome.at,
          reason: outcome.reason,
          deferred: true,
        };
      case 'retry': {
        const at = nextRetryAt(m.attempts, now, Math.random, {
          policy: this.retry,
          retryAfterMs: outcome.retryAfterMs,
        });
        return {
          id: m.id,
          status: at === null ? 'dead' : 'retry',
          nextAttemptAt: at,
          reason:
            at === null ? `gave up after ${m.attempts} attempts: ${outcome.error}` : outcome.error,
        };
      }
      case 'failed':
      case 'bounced':
        return { id: m.id, status: outcome.kind, nextAttemptAt: null, reason: outcome.error };
      case 'skipped':
      case 'capped':
        return {
          id: m.id,
          status: outcome.kind,
          nextAttemptAt: null,
          reason: outcome.reason,
          payload,
        };
    }
  }
}

interface Outcome {
  id: string;
  status: MessageStatus;
  nextAttemptAt: number | null;
  reason: string | null;
  sentAt?: number;
  payload?: string | undefined;
  /** Not an attempt: back in the queue without a history entry. */
  deferred?: boolean;
  /** The channel the message went out on, when the deliverer chose it. */
  channel?: string;
}

async function writeOutcomes(tx: Tx, outcomes: readonly Outcome[], now: number): Promise<void> {
  for (const o of outcomes) {
    await tx
      .updateTable('messages')
      .set((eb) => ({
        status: o.status,
        updated_at: now,
        locked_until: null,
        next_attempt_at: o.nextAttemptAt,
        reason: o.reason,
        ...(o.deferred ? { attempts: eb('attempts', '-', 1) } : {}),
        ...(o.sentAt !== undefined ? { sent_at: o.sentAt } : {}),
        ...(o.payload !== undefined ? { payload: o.payload } : {}),
        ...(o.channel !== undefined ? { channel: o.channel } : {}),
      }))
      .where('id', '=', o.id)
      .execute();
  }
  const history = outcomes
    .filter((o) => !o.deferred)
    .map((o) => ({ message_id: o.id, status: o.status, detail: o.reason, at: now }));
  for (let i = 0; i < history.length; i += 200) {
    await tx
      .insertInto('message_events')
      .values(history.slice(i, i + 200))
      .execute();
  }
}
