import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { generateVapidKeys } from '../channels/index.js';
import type { Clock } from '../shared/index.js';
import type { Database } from '../store/index.js';

export interface WorkspaceSecrets {
  /** Signs unsubscribe, preference-center and tracking links. */
  linkSecret: string;
  vapid: { publicKey: string; privateKey: string };
}

/**
 * The workspace's generated secrets, created on first use and kept in the store so every
 * process signs and verifies with the same ones. A concurrent first use keeps whichever
 * was written first.
 */
export async function workspaceSecrets(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
): Promise<WorkspaceSecrets> {
  const read = async () =>
    new Map(
      (
        await db
          .selectFrom('workspace_secrets')
          .select(['kind', 'value'])
          .where('workspace_id', '=', workspaceId)
          .execute()
      ).map((r) => [r.kind, r.value]),
    );
  let found = await read();
  if (!found.has('link') || !found.has('vapid')) {
    const vapid = generateVapidKeys();
    const now = clock.now();
    await db
      .insertInto('workspace_secrets')
      .values([
        {
          workspace_id: workspaceId,
          kind: 'link',
          value: randomBytes(32).toString('base64url'),
          created_at: now,
        },
        { workspace_id: workspaceId, kind: 'vapid', value: JSON.stringify(vapid), created_at: now },
      ])
      .onConflict((oc) => oc.columns(['workspace_id', 'kind']).doNothing())
      .execute();
    found = await read();
  }
  return {
    linkSecret: found.get('link')!,
    vapid: JSON.parse(found.get('vapid')!) as WorkspaceSecrets['vapid'],
  };
}
