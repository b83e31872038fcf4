import {
  applyFrequencyCaps,
  applyQuietHours,
  chooseSendTime,
  durationMs,
  type FrequencyCap,
} from '../channels/index.js';
import { mayContact, type ConsentChannel } from '../privacy/index.js';
import { resolveTimeZone } from '../shared/index.js';
import type { Database } from '../store/index.js';
import type { Kysely } from 'kysely';
import { erasureHasher } from '../workspaces/index.js';
import type { WorkspaceSettings } from './workspace-settings.js';
import { addressConsents, suppressionsFor } from './consent-store.js';
import type { Recipient } from './person.js';
import type { ClaimedSend, Delivery } from './sender.js';

const SENT = ['sent', 'delivered', 'opened', 'clicked'];

/**
 * The one place every message passes before it is rendered and sent: consent and
 * suppressions ("respect the no"), quiet hours and send-time in the recipient's zone, and
 * frequency caps across journeys (priority decides who wins). Returns null to go ahead,
 * or the final or deferring outcome.
 */
export async function gate(
  db: Kysely<Database>,
  message: ClaimedSend,
  recipient: Recipient,
  settings: WorkspaceSettings,
  request: {
    channel: ConsentChannel;
    topic: string | undefined;
    transactional: boolean;
    address: string | undefined;
  },
  now: number,
): Promise<Delivery | null> {
  const suppressions = await suppressionsFor(
    db,
    message.workspaceId,
    request.channel,
    request.address,
    await erasureHasher(db, { now: () => now }, message.workspaceId),
  );
  const addressSaid =
    request.channel === 'email' && request.address
      ? await addressConsents(db, message.workspaceId, request.address)
      : undefined;
  const decision = mayContact(
    recipient.consents,
    { ...request, suppressions, addressConsents: addressSaid },
    settings.consent,
  );
  if (decision.kind !== 'ok') {
    return { kind: 'skipped', reason: `${decision.reason}: ${decision.detail}`.trim() };
  }

  const zone = resolveTimeZone(recipient.timezone ?? undefined);
  const timing = message.payload.timing ?? {};
  if (timing.bestHourWithin && message.attempts <= 1) {
    const windowMs = durationMs(timing.bestHourWithin) ?? 0;
    const chosen = chooseSendTime({
      now: message.payload.queuedAt ?? now,
      timeZone: zone,
      bestHour: recipient.computed.best_send_hour,
      workspaceBestHour: settings.delivery.bestHour,
      windowMs,
    });
    if (chosen.at > now)
      return { kind: 'defer', at: chosen.at, reason: `waiting for the best send hour` };
  }
  const quiet = applyQuietHours(
    now,
    settings.delivery.quietHours ?? undefined,
    zone,
    timing.quietHours ?? settings.delivery.quietMode,
  );
  if (quiet.kind === 'defer') return { kind: 'defer', at: quiet.at, reason: 'quiet hours' };
  if (quiet.kind === 'drop')
    return { kind: 'skipped', reason: 'quiet_hours: dropped, it fell in the quiet hours' };

  const caps = settings.delivery.caps.filter((c: FrequencyCap) => c.channel === request.channel);
  if (caps.length > 0 && !request.transactional) {
    const longest = Math.max(...caps.map((c) => durationMs(c.per) ?? 0));
    const recent = await db
      .selectFrom('messages')
      .select(['sent_at'])
      .where('workspace_id', '=', message.workspaceId)
      .where('profile_id', '=', message.profileId)
      .where('channel', '=', request.channel)
      .where('status', 'in', SENT)
      .where('sent_at', '>', now - longest)
      .execute();
    // Other messages due for this person on this channel now compete by priority,
    // including those another sender holds this moment (each side then reaches the same
    // verdict, so concurrent sends cannot both slip under the cap).
    const rivals = await db
      .selectFrom('messages')
      .select(['id', 'priority', 'created_at'])
      .where('workspace_id', '=', message.workspaceId)
      .where('profile_id', '=', message.profileId)
      .where('channel', '=', request.channel)
      .where((eb) =>
        eb.or([
          eb('status', '=', 'sending'),
          eb.and([eb('status', 'in', ['queued', 'retry']), eb('next_attempt_at', '<=', now)]),
        ]),
      )
      .where('id', '!=', message.id)
      .execute();
    const self = await db
      .selectFrom('messages')
      .select(['priority', 'created_at'])
      .where('id', '=', message.id)
      .executeTakeFirstOrThrow();
    const result = applyFrequencyCaps(
      caps,
      recent.map((r) => ({ channel: request.channel, at: r.sent_at! })),
      [
        {
          id: message.id,
          channel: request.channel,
          priority: self.priority,
          createdAt: self.created_at,
        },
        ...rivals.map((r) => ({
          id: r.id,
          channel: request.channel,
          priority: r.priority,
          createdAt: r.created_at,
        })),
      ],
      now,
    );
    const mine = result.capped.find((c) => c.candidate.id === message.id);
    if (mine)
      return {
        kind: 'capped',
        reason: `cap ${mine.cap.max} per ${mine.cap.per} on ${mine.cap.channel}`,
      };
  }
  return null;
}
