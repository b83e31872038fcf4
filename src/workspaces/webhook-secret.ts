import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../shared/index.js';
import type { Database } from '../store/index.js';

/** How long a rotated-out secret keeps signing, unless the rotation says otherwise. */
export const WEBHOOK_SECRET_OVERLAP_MS = 24 * 3_600_000;

// One row per workspace in workspace_secrets, holding both secrets as one JSON value:
// a rotation replaces the pair in one conditional UPDATE, so two concurrent rotations
// can never leave a previous secret that nobody was shown.
const KIND = 'webhook';

const StoredSecrets = z.object({
  current: z.object({ secret: z.string().min(16), createdAt: z.number() }),
  previous: z
    .object({ secret: z.string().min(16), createdAt: z.number(), retiresAt: z.number() })
    .nullable(),
});
type StoredSecrets = z.infer<typeof StoredSecrets>;

/** What may be shown about the secrets after the fact: never the secrets themselves. */
export const WebhookSecretInfo = z.object({
  fingerprint: z
    .string()
    .describe('"sha256:" and the first 16 hex digits of the SHA-256 of the secret'),
  createdAt: z.string(),
  previous: z
    .object({ fingerprint: z.string(), createdAt: z.string(), retiresAt: z.string() })
    .nullable()
    .describe('the rotated-out secret while it still signs (null once retired)'),
});
export type WebhookSecretInfo = z.infer<typeof WebhookSecretInfo>;

/** The answer to a rotation: the new secret, shown this once. */
export const RotatedWebhookSecret = WebhookSecretInfo.extend({
  secret: z.string().describe('the new signing secret; it is not shown again'),
});
export type RotatedWebhookSecret = z.infer<typeof RotatedWebhookSecret>;

/** A new signing secret: 32 random bytes, prefixed so it is recognisable in a vault. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** Identifies a secret without revealing it, so a receiver can tell which one it holds. */
export function webhookSecretFingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;
}

async function readRow(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<{ raw: string; secrets: StoredSecrets } | null> {
  const row = await db
    .selectFrom('workspace_secrets')
    .select('value')
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', KIND)
    .executeTakeFirst();
  if (!row) return null;
  return { raw: row.value, secrets: StoredSecrets.parse(JSON.parse(row.value)) };
}

/**
 * The workspace's webhook secrets, created on first use: a workspace signs from the
 * moment it exists (new workspaces get theirs with the workspace; older ones here). A
 * concurrent first use keeps whichever was written first.
 */
async function ensureRow(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
): Promise<{ raw: string; secrets: StoredSecrets }> {
  const found = await readRow(db, workspaceId);
  if (found) return found;
  const now = clock.now();
  const fresh: StoredSecrets = {
    current: { secret: generateWebhookSecret(), createdAt: now },
    previous: null,
  };
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
  if (!stored) throw new Error(`webhook secret of workspace ${workspaceId} was not stored`);
  return stored;
}

/** Gives a workspace its signing secret if it has none (at creation and on first use). */
export async function ensureWebhookSecret(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
): Promise<void> {
  await ensureRow(db, clock, workspaceId);
}

/**
 * The secrets that sign a delivery now: the current one, then the rotated-out one until
 * it retires. Each becomes one `v1` value of `Rapport-Signature`.
 */
export async function webhookSigningSecrets(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
): Promise<string[]> {
  const { secrets } = await ensureRow(db, clock, workspaceId);
  const { current, previous } = secrets;
  return previous && clock.now() < previous.retiresAt
    ? [current.secret, previous.secret]
    : [current.secret];
}

function info(secrets: StoredSecrets, now: number): WebhookSecretInfo {
  const iso = (ms: number) => new Date(ms).toISOString();
  const { current, previous } = secrets;
  return {
    fingerprint: webhookSecretFingerprint(current.secret),
    createdAt: iso(current.createdAt),
    previous:
      previous && now < previous.retiresAt
        ? {
            fingerprint: webhookSecretFingerprint(previous.secret),
            createdAt: iso(previous.createdAt),
            retiresAt: iso(previous.retiresAt),
          }
        : null,
  };
}

/** Fingerprints and dates of the secrets that sign now; never the secrets. */
export async function describeWebhookSecret(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
): Promise<WebhookSecretInfo> {
  return info((await ensureRow(db, clock, workspaceId)).secrets, clock.now());
}

/**
 * Replaces the signing secret with a new one and returns it (the only time it is shown).
 * The old secret keeps signing beside it for `overlapMs` (24 h by default; 0 stops it at
 * once, after a leak), so receivers can switch without losing a delivery. A secret
 * rotated out earlier and still in its overlap is dropped: at most two sign at a time.
 */
export async function rotateWebhookSecret(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  options: { overlapMs?: number } = {},
): Promise<RotatedWebhookSecret> {
  const overlapMs = options.overlapMs ?? WEBHOOK_SECRET_OVERLAP_MS;
  for (let attempt = 0; attempt < 5; attempt++) {
    const { raw, secrets } = await ensureRow(db, clock, workspaceId);
    const now = clock.now();
    const next: StoredSecrets = {
      current: { secret: generateWebhookSecret(), createdAt: now },
      previous: overlapMs > 0 ? { ...secrets.current, retiresAt: now + overlapMs } : null,
    };
    // Conditional on the value read: a concurrent rotation makes this one start over,
    // so the secret it returns is the one that was stored.
    const result = await db
      .updateTable('workspace_secrets')
      .set({ value: JSON.stringify(next) })
      .where('workspace_id', '=', workspaceId)
      .where('kind', '=', KIND)
      .where('value', '=', raw)
      .executeTakeFirst();
    if (result.numUpdatedRows === 1n) {
      return { secret: next.current.secret, ...info(next, now) };
    }
  }
  throw new Error(`could not rotate the webhook secret of workspace ${workspaceId}: contended`);
}
