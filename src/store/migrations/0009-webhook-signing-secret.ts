import { sql, type Kysely } from 'kysely';

/**
 * Webhooks become signed by default with a generated per-workspace secret. A secret a
 * workspace had put in its settings (`webhook.secret`, the only way to sign until now)
 * moves to `workspace_secrets` as that workspace's signing secret, so receivers that
 * verify with it keep verifying; it leaves the settings, which any admin can read back.
 * Workspaces without one get a generated secret on first use.
 *
 * The stored shape is frozen here as it was written (src/workspaces/webhook-secret.ts
 * reads it): `{ current: { secret, createdAt }, previous: null }`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{
    workspace_id: string;
    settings: string;
  }>`SELECT workspace_id, settings FROM workspace_settings`.execute(db);
  // A migration has no injected clock; the date only labels when the secret was adopted.
  const now = Date.now();
  for (const row of rows) {
    const settings: unknown = JSON.parse(row.settings);
    if (!isRecord(settings) || !isRecord(settings.webhook) || !('secret' in settings.webhook)) {
      continue;
    }
    const { secret, ...webhook } = settings.webhook;
    if (typeof secret === 'string' && secret.length >= 16) {
      const value = JSON.stringify({ current: { secret, createdAt: now }, previous: null });
      await sql`INSERT INTO workspace_secrets (workspace_id, kind, value, created_at)
        VALUES (${row.workspace_id}, 'webhook', ${value}, ${now})
        ON CONFLICT (workspace_id, kind) DO NOTHING`.execute(db);
    }
    const rest = JSON.stringify({ ...settings, webhook });
    await sql`UPDATE workspace_settings SET settings = ${rest}
      WHERE workspace_id = ${row.workspace_id}`.execute(db);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
