import { createECDH, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { decodeJson, type Clock, type Decoded } from '../shared/index.js';
import type { Database } from '../store/index.js';

/** A VAPID key pair as stored (see `generateVapidKeys`). */
export const VapidKeys = z.object({ publicKey: z.string().min(1), privateKey: z.string().min(1) });
export type VapidKeys = z.infer<typeof VapidKeys>;

export interface WorkspaceSecrets {
  /** Signs unsubscribe, preference-center and tracking links. */
  linkSecret: string;
  /**
   * Decoded apart from the link secret: unreadable keys stop web push (its messages fail
   * with the reason), not e-mail.
   */
  vapid: Decoded<VapidKeys>;
}

/**
 * A VAPID key pair (RFC 8292): a P-256 key, the public one as the uncompressed point
 * (65 bytes) and the private one as its 32-byte scalar, both base64url, the form web push
 * libraries and PushManager.subscribe take. Generated here with node:crypto so settings and
 * secrets do not load the push library.
 */
export function generateVapidKeys(): VapidKeys {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  // getPrivateKey drops leading zero bytes; the scalar is always 32 bytes on the wire.
  const privateKey = Buffer.alloc(32);
  const raw = ecdh.getPrivateKey();
  raw.copy(privateKey, 32 - raw.length);
  return {
    publicKey: ecdh.getPublicKey(null, 'uncompressed').toString('base64url'),
    privateKey: privateKey.toString('base64url'),
  };
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
    vapid: decodeJson(VapidKeys, found.get('vapid')!),
  };
}
