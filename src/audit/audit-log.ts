import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** What an admin action changed: one row of the audit log. */
export interface AuditRecord {
  workspaceId: string;
  at: number;
  /** The API key's id (`env:RAPPORT_ADMIN_KEY` for the environment's); null if none. */
  keyId: string | null;
  /** `<kind>.<verb>`: `segment.update`, `key.revoke`, `consent.update`, ... */
  action: string;
  target: { kind: string; id: string };
  /** The thing before and after the change; undefined or null when it did not exist. */
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
  /** The route that made the change: `PUT /v1/segments/:id`. */
  route?: string | null;
}

/** The most JSON text kept of `before` and of `after`, each. */
export const MAX_AUDIT_VALUE_CHARS = 64 * 1024;

/** Property names whose values are never written to the log, at any depth. */
const SECRET_NAMES = /^(secret|secrets|key|apikey|password|pass|token|privatekey|private_key)$/i;
const REDACTED = '[redacted]';

function redact(value: unknown, depth = 0): unknown {
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      SECRET_NAMES.test(k) && v !== null && v !== undefined ? REDACTED : redact(v, depth + 1);
  }
  return out;
}

/**
 * `value` as the JSON text the log keeps: secrets replaced by "[redacted]", and past
 * 64 KiB a marker object holding the first part of the text, its size and its hash.
 */
export function auditValue(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(redact(value));
  if (text.length <= MAX_AUDIT_VALUE_CHARS) return text;
  const marker = {
    truncated: true,
    chars: text.length,
    sha256: createHash('sha256').update(text).digest('hex'),
    head: '',
  };
  const room = MAX_AUDIT_VALUE_CHARS - JSON.stringify(marker).length - 16;
  // JSON.stringify of the head may escape characters and grow: cut until it fits.
  let head = text.slice(0, room);
  while (JSON.stringify({ ...marker, head }).length > MAX_AUDIT_VALUE_CHARS) {
    head = head.slice(0, Math.floor(head.length * 0.9));
  }
  return JSON.stringify({ ...marker, head });
}

/**
 * Appends one entry. Pass the handle of the transaction that makes the change, so the
 * entry commits with it or not at all. Entries are never updated or deleted.
 */
export async function recordAudit(db: Kysely<Database>, entry: AuditRecord): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      workspace_id: entry.workspaceId,
      at: entry.at,
      key_id: entry.keyId,
      action: entry.action,
      target_kind: entry.target.kind,
      target_id: entry.target.id,
      before: auditValue(entry.before),
      after: auditValue(entry.after),
      request_id: entry.requestId ?? null,
      route: entry.route ?? null,
    })
    .execute();
}
