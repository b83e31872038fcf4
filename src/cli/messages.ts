import {
  retryFailedMessages,
  RETRYABLE_STATUSES,
  type RetryableStatus,
} from '../messaging/index.js';
import { parseIsoDuration, systemClock, ValidationError } from '../shared/index.js';
import { auditedCommand } from './audited.js';
import { withStore, workspaceOf } from './store-command.js';

interface RetryFlags {
  status: string;
  since?: string;
  journey?: string;
  limit?: string;
  workspace?: string;
  data?: string;
  json?: boolean;
}

function invalid(flag: string, problem: string): ValidationError {
  return new ValidationError(`${flag}: ${problem}.`, [{ path: flag, problem }]);
}

function parseStatuses(text: string): RetryableStatus[] {
  const out: RetryableStatus[] = [];
  for (const s of text.split(',').map((x) => x.trim())) {
    const known = RETRYABLE_STATUSES.find((r) => r === s);
    if (!known)
      throw invalid(
        '--status',
        `"${s}" cannot be retried: give failed or dead (bounced, skipped and suppressed messages stay as they are, since the address or the person said no)`,
      );
    out.push(known);
  }
  return out;
}

/** `--since`: an ISO 8601 date-time, or a duration back from now (P7D). */
function parseSince(text: string, now: number): number {
  if (text.startsWith('P')) {
    const d = parseIsoDuration(text, {
      maxMs: 3650 * 86_400_000,
      maxText: '10 years (P3650D)',
      allowZero: true,
    });
    if (d.kind !== 'ok') throw invalid('--since', d.problem);
    return now - d.ms;
  }
  const at = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at))
    throw invalid(
      '--since',
      'must be an ISO 8601 date-time (2026-12-01T00:00:00Z) or a duration (P7D)',
    );
  return at;
}

/**
 * `rapport messages retry`: puts failed messages back in the outbox once what made them
 * fail is fixed (SMTP_URL, the public URL, the sender, a template); the running sender
 * delivers them. Audited; running it again finds nothing new to requeue.
 */
export async function runMessagesRetry(flags: RetryFlags): Promise<void> {
  const statuses = parseStatuses(flags.status);
  const now = systemClock.now();
  const since = flags.since === undefined ? undefined : parseSince(flags.since, now);
  const limit = flags.limit === undefined ? 10_000 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
    throw invalid('--limit', 'must be a whole number from 1 to 100000');
  if (flags.journey !== undefined && (flags.journey === '' || flags.journey.length > 200))
    throw invalid('--journey', 'must be a journey id');
  await withStore(flags, async (store) => {
    const ws = await workspaceOf(store, flags.workspace);
    const filter = { statuses, since, journeyId: flags.journey, limit };
    const result = await auditedCommand(
      store,
      'messages retry',
      { action: 'message.retry', kind: 'message', workspaceId: ws },
      async (s) => {
        const done = await retryFailedMessages(s.db, ws, filter, now);
        return {
          result: done,
          targetId: flags.journey ?? '*',
          after: {
            statuses,
            since: since === undefined ? null : new Date(since).toISOString(),
            journeyId: flags.journey ?? null,
            requeued: done.retried.map((m) => m.id),
          },
          changed: done.retried.length > 0,
        };
      },
    );
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({ requeued: result.retried.length, unfixable: result.unfixable, messages: result.retried })}\n`,
      );
      return;
    }
    process.stdout.write(
      `Requeued ${result.retried.length} message${result.retried.length === 1 ? '' : 's'}; a running Rapport (rapport start) sends them now.\n`,
    );
    if (result.unfixable > 0)
      process.stdout.write(
        `${result.unfixable} left as they are: their stored content is broken, so sending again cannot succeed.\n`,
      );
  });
}
