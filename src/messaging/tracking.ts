import type { Kysely } from 'kysely';
import { z } from 'zod';
import { verifyClickToken, verifyOpenToken } from '../channels/index.js';
import { peekPayload } from '../privacy/index.js';
import type { Clock } from '../shared/index.js';
import type { Database } from '../store/index.js';
import { readSettings } from './workspace-settings.js';
import { redirectTarget } from './link-hosts.js';
import { recordStatus } from './outbox.js';

export interface EngagementDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** The workspace's link secret, read without ever creating one (null: none). */
  linkSecret(workspaceId: string): Promise<string | null>;
  /** Where people reach this server: its host is always a trackable destination. */
  publicUrl: string;
  emitTo(
    workspaceId: string,
    profileId: string,
    event: string,
    properties: Record<string, unknown>,
    messageId: string,
  ): Promise<void>;
}

/**
 * What a tracking hit came to: `authentic` when the token verified (then a click has its
 * destination), or not, and then nothing was written.
 */
export type EngagementResult = { authentic: false } | { authentic: true; url: string | null };

/** The message a tracking token names (`m`), before its signature is checked. */
const NamesMessage = z.object({ m: z.string().min(1) });

const RANK = ['sent', 'delivered', 'opened', 'clicked'];
const FALSE: EngagementResult = { authentic: false };

/**
 * Turns an open pixel or click redirect hit into `Email Opened` / `Email Link Clicked` on
 * the person (attributed to the message, journey and step) and moves the message's
 * status forward. The message id in the token leads to the workspace whose secret signed
 * it; the signature is checked before anything is written. An expired but authentic
 * click still redirects (the link must keep working) without being counted. A
 * destination whose host is no longer trackable (see `redirectTarget`) is neither
 * followed nor counted.
 */
export async function recordEngagement(
  deps: EngagementDeps,
  token: string,
  kind: 'open' | 'click',
): Promise<EngagementResult> {
  // Unverified: it only says which message (so which workspace's secret) to check with.
  const named = NamesMessage.safeParse(peekPayload(token));
  if (!named.success) return FALSE;
  const messageId = named.data.m;
  const message = await deps.db
    .selectFrom('messages')
    .selectAll()
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (!message) return FALSE;
  const linkSecret = await deps.linkSecret(message.workspace_id);
  if (linkSecret === null) return FALSE;
  const now = deps.clock.now();
  const base = {
    message_id: message.id,
    journey_id: message.journey_id,
    step_id: message.step_id,
    channel: message.channel,
  };
  if (kind === 'click') {
    const v = verifyClickToken(token, linkSecret, now);
    if (v.kind !== 'ok' && v.reason !== 'expired') return FALSE;
    const { tracking } = await readSettings(deps.db, message.workspace_id);
    const ws = message.workspace_id;
    const url = await redirectTarget(deps.db, ws, tracking, deps.publicUrl, v.claims.url);
    if (url === null) return { authentic: true, url: null };
    if (v.kind !== 'ok') return { authentic: true, url };
    await deps.emitTo(
      message.workspace_id,
      message.profile_id,
      'Email Link Clicked',
      {
        ...base,
        url: v.claims.url,
        link_index: v.claims.linkIndex,
        ...(v.claims.decisionIds ? { decision_ids: v.claims.decisionIds } : {}),
      },
      `click:${message.id}:${v.claims.linkIndex}`,
    );
    await advance(deps, message.id, message.status, 'clicked', now);
    return { authentic: true, url };
  }
  const v = verifyOpenToken(token, linkSecret, now);
  if (v.kind !== 'ok') return v.reason === 'expired' ? { authentic: true, url: null } : FALSE;
  await deps.emitTo(
    message.workspace_id,
    message.profile_id,
    'Email Opened',
    base,
    `open:${message.id}`,
  );
  await advance(deps, message.id, message.status, 'opened', now);
  return { authentic: true, url: null };
}

async function advance(
  deps: EngagementDeps,
  id: string,
  current: string,
  next: 'opened' | 'clicked',
  now: number,
) {
  const at = RANK.indexOf(current);
  if (at >= 0 && at < RANK.indexOf(next)) await recordStatus(deps.db, id, next, now);
}
