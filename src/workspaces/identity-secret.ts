import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../shared/index.js';
import type { Database } from '../store/index.js';
import {
  webhookSecretFingerprint as fingerprint,
  type RotatedWebhookSecret,
  type WebhookSecretInfo,
} from './webhook-secret.js';

/** How long a rotated-out identity secret still verifies tokens (they live up to 30 days). */
export const IDENTITY_SECRET_OVERLAP_MS = 24 * 3_600_000;

// Stored like the webhook secrets: one workspace_secrets row holding current and previous.
const KIND = 'identity';

const Stored = z.object({
  current: z.object({ secret: z.string().min(16), createdAt: z.number() }),
  previous: z
    .object({ secret: z.string().min(16), createdAt: z.number(), retiresAt: z.number() })
    .nullable(),
});
type Stored = z.infer<typeof Stored>;

const generate = () => `idsec_${randomBytes(32).toString('base64url')}`;

async function readRow(db: Kysely<Database>, workspaceId: string) {
  const row = await db
    .selectFrom('workspace_secrets')
    .select('value')
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', KIND)
    .executeTakeFirst();
  return row ? { raw: row.value, secrets: Stored.parse(JSON.parse(row.value)) } : null;
}

async function ensureRow(db: Kysely<Database>, clock: Clock, workspaceId: string) {
  const found = await readRow(db, workspaceId);
  if (found) return found;
  const now = clock.now();
  const fresh: Stored = { current: { secret: generate(), createdAt: now }, previous: null };
  await db
    .insertInto('workspace_secrets')
    .values({
      workspace_id: workspaceId,
      kind: KIND,
      value: JSON.stringify(fresh),
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'kind']).doNothing())
    .execute();
  const stored = await readRow(db, workspaceId);
  if (!stored) throw new Error(`identity secret of workspace ${workspaceId} was not stored`);
  return stored;
}

/** The secrets identity tokens verify against now (current, then one in its overlap). */
export async function identitySecrets(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
): Promise<string[]> {
  const { current, previous } = (await ensureRow(db, clock, workspaceId)).secrets;
  return previous && clock.now() < previous.retiresAt
    ? [current.secret, previous.secret]
    : [current.secret];
}

function info(secrets: Stored, now: number): WebhookSecretInfo {
  const iso = (ms: number) => new Date(ms).toISOString();
  const { current, previous } = secrets;
  return {
    fingerprint: fingerprint(current.secret),
    createdAt: iso(current.createdAt),
    previous:
      previous && now < previous.retiresAt
        ? {
            fingerprint: fingerprint(previous.secret),
            createdAt: iso(previous.createdAt),
            retiresAt: iso(previous.retiresAt),
          }
        : null,
  };
}

/** Fingerprints and dates of the identity secrets; never the secrets. */
export async function describeIdentitySecret(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
): Promise<WebhookSecretInfo> {
  return info((await ensureRow(db, clock, workspaceId)).secrets, clock.now());
}

/**
 * A new identity secret, shown this once, for the site's server to sign tokens with. The
 * old one verifies beside it for `overlapMs` (0 after a leak: its tokens stop at once).
 */
export async function rotateIdentitySecret(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  options: { overlapMs?: number } = {},
): Promise<RotatedWebhookSecret> {
  const overlapMs = options.overlapMs ?? IDENTITY_SECRET_OVERLAP_MS;
  for (let attempt = 0; attempt < 5; attempt++) {
    const { raw, secrets } = await ensureRow(db, clock, workspaceId);
    const now = clock.now();
    const next: Stored = {
      current: { secret: generate(), createdAt: now },
      previous: overlapMs > 0 ? { ...secrets.current, retiresAt: now + overlapMs } : null,
    };
    // Conditional on the value read, as for webhook secrets: the returned one is stored.
    const result = await db
      .updateTable('workspace_secrets')
      .set({ value: JSON.stringify(next) })
      .where('workspace_id', '=', workspaceId)
      .where('kind', '=', KIND)
      .where('value', '=', raw)
      .executeTakeFirst();
    if (result.numUpdatedRows === 1n) return { secret: next.current.secret, ...info(next, now) };
  }
  throw new Error(`could not rotate the identity secret of workspace ${workspaceId}: contended`);
}
