import type { Kysely } from 'kysely';
import { z } from 'zod';
import { PushSubscription } from '../channels/index.js';
import { newId } from '../shared/index.js';
import type { Database } from '../store/index.js';

const Key = PushSubscription.shape.keys;

/**
 * A browser's subscription as `PushSubscription.toJSON()` gives it. Push services are
 * https; http is accepted on loopback so a development setup can test end to end.
 */
export const SubscriptionInput = z.object({
  endpoint: z
    .url('must be a URL')
    .max(2000)
    .refine(
      (u) =>
        u.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(u),
      {
        message: 'must be an https:// URL',
      },
    ),
  expirationTime: z.number().nullable().optional(),
  keys: Key,
});

/**
 * Subscriptions kept per person, newest first. Each push goes to every one of them, and
 * the route storing them takes a write key (public in every browser): unbounded, one
 * person could be made to fan a single message out to any number of endpoints.
 */
export const MAX_SUBSCRIPTIONS_PER_PERSON = 10;

/**
 * Stores (or refreshes) a subscription and drops the person's oldest past
 * {@link MAX_SUBSCRIPTIONS_PER_PERSON}. A refresh counts as new: a browser that keeps
 * confirming its subscription keeps it.
 */
export async function saveSubscription(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
  sub: z.infer<typeof SubscriptionInput>,
  now: number,
): Promise<string> {
  const id = newId('sub');
  await db
    .insertInto('push_subscriptions')
    .values({
      id,
      workspace_id: workspaceId,
      profile_id: profileId,
      endpoint: sub.endpoint,
      keys: JSON.stringify(sub.keys),
      created_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(['workspace_id', 'endpoint'])
        .doUpdateSet({ profile_id: profileId, keys: JSON.stringify(sub.keys), created_at: now }),
    )
    .execute();
  // The one just saved always stays (even on a tie in time), with the newest others.
  const stale = await db
    .selectFrom('push_subscriptions')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .where('endpoint', '!=', sub.endpoint)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .offset(MAX_SUBSCRIPTIONS_PER_PERSON - 1)
    .limit(1000)
    .execute();
  if (stale.length > 0) {
    await db
      .deleteFrom('push_subscriptions')
      .where(
        'id',
        'in',
        stale.map((r) => r.id),
      )
      .execute();
  }
  const row = await db
    .selectFrom('push_subscriptions')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('endpoint', '=', sub.endpoint)
    .executeTakeFirstOrThrow();
  return row.id;
}
