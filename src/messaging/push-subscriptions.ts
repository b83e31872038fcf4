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
        .doUpdateSet({ profile_id: profileId, keys: JSON.stringify(sub.keys) }),
    )
    .execute();
  const row = await db
    .selectFrom('push_subscriptions')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('endpoint', '=', sub.endpoint)
    .executeTakeFirstOrThrow();
  return row.id;
}
