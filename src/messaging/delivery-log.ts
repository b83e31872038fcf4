import type { Logger } from 'pino';
import { LogBudget, redactContacts, type Clock } from '../shared/index.js';
import type { ClaimedMessage, Delivery } from './sender.js';

/** The `event` field of each line: stable names that dashboards and alerts match on. */
export type DeliveryEvent =
  'message.sent' | 'message.failed' | 'message.skipped' | 'message.deferred';

/**
 * The reason code of a skip: the `code: detail` prefix the gates write
 * (`no_consent`, `quiet_hours`, `global_control`, `no_address`...), `frequency_cap` for a
 * capped message, `other` for free text.
 * @example reasonCode({ kind: 'skipped', reason: 'quiet_hours: dropped' }) // 'quiet_hours'
 */
export function reasonCode(outcome: Extract<Delivery, { reason: string }>): string {
  if (outcome.kind === 'capped') return 'frequency_cap';
  const head = /^([a-z][a-z0-9_]*):/.exec(outcome.reason);
  return head ? head[1]! : 'other';
}

/**
 * One structured line per delivery outcome, without personal data: ids, channel, reason
 * code, and the receiver's words with any address taken out. Each event has its own
 * budget (100 lines a minute by default), so failures are never crowded out by sends;
 * what the budget holds back is counted, and `summary()` reports it once per batch.
 */
export class DeliveryLog {
  private readonly budget: LogBudget;
  private held: Record<string, number> = {};

  constructor(
    private readonly logger: Logger,
    clock: Clock,
    perMinute = 100,
  ) {
    this.budget = new LogBudget(clock, perMinute, 60_000);
  }

  /** Logs what happened to `m`; `final` tells a retried failure from one that stops. */
  outcome(
    m: ClaimedMessage,
    outcome: Delivery,
    status: string,
    durationMs: number,
    error?: string,
  ): void {
    const base = {
      workspace: m.workspaceId,
      messageId: m.id,
      journeyId: m.journeyId,
      channel: outcome.channel ?? m.channel,
      attempt: m.attempts,
      durationMs: Math.round(durationMs),
    };
    switch (outcome.kind) {
      case 'sent':
        this.line('info', 'message.sent', { ...base, status });
        return;
      case 'retry':
      case 'failed':
      case 'bounced':
        this.line('warn', 'message.failed', {
          ...base,
          status,
          final: status !== 'retry',
          reason: outcome.kind === 'bounced' ? 'bounced' : 'error',
          error: redactContacts(error ?? outcome.error),
        });
        return;
      case 'skipped':
      case 'capped':
        this.line('info', 'message.skipped', {
          ...base,
          status,
          reason: reasonCode(outcome),
          detail: redactContacts(outcome.reason),
        });
        return;
      case 'defer':
        this.line('debug', 'message.deferred', {
          ...base,
          reason: outcome.reason === 'quiet hours' ? 'quiet_hours' : 'send_time',
          until: new Date(outcome.at).toISOString(),
        });
        return;
    }
  }

  /** After a batch: one line counting, per event, the lines the budget held back. */
  summary(): void {
    const held = this.held;
    if (Object.keys(held).length === 0) return;
    this.held = {};
    this.logger.info({ event: 'message.log_summary', held }, 'delivery lines held back');
  }

  private line(
    level: 'info' | 'warn' | 'debug',
    event: DeliveryEvent,
    fields: Record<string, unknown>,
  ): void {
    if (!this.logger.isLevelEnabled(level)) return;
    if (!this.budget.take(event)) {
      this.held[event] = (this.held[event] ?? 0) + 1;
      return;
    }
    this.logger[level]({ event, ...fields }, event.replace('.', ' '));
  }
}
