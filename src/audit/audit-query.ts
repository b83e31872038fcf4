import type { Kysely } from 'kysely';
import { z } from 'zod';
import { decodeJson } from '../shared/index.js';
import type { Database } from '../store/index.js';

const iso = (ms: number) => new Date(ms).toISOString();

export const AuditQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z
      .string()
      .regex(/^[0-9]+$/, 'must be a cursor returned by a previous page')
      .optional(),
    /** Exact action, e.g. `segment.update`. */
    action: z
      .string()
      .regex(/^[a-z_]+\.[a-z_]+$/, 'must be an action such as segment.update')
      .optional(),
    /** `kind` or `kind:id`, e.g. `segment` or `segment:seg_1`. */
    target: z
      .string()
      .min(1)
      .max(300)
      .regex(/^[a-z_]+(:.+)?$/, 'must be a kind (segment) or kind:id (segment:seg_1)')
      .optional(),
    keyId: z.string().min(1).max(200).optional(),
    /** Entries at or after this time (ISO 8601 date-time with offset). */
    since: z.iso.datetime({ offset: true }).optional(),
    /** Entries before this time. */
    until: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  keyId: z.string().nullable(),
  action: z.string(),
  target: z.object({ kind: z.string(), id: z.string() }),
  before: z.unknown().describe('JSON as it was, secrets redacted; null if it did not exist'),
  after: z.unknown().describe('JSON as it became; null if it no longer exists'),
  requestId: z.string().nullable(),
  route: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = z.object({
  entries: z.array(AuditEntry),
  nextCursor: z.string().nullable(),
});
export type AuditPage = z.infer<typeof AuditPage>;

/** Stored JSON text back to a value; text that does not parse is returned as it is. */
function parsed(text: string | null): unknown {
  if (text === null) return null;
  const d = decodeJson(z.unknown(), text);
  return d.kind === 'ok' ? d.value : text;
}

/** A workspace's audit log, newest first, cursor-paged. */
export async function listAudit(
  db: Kysely<Database>,
  workspaceId: string,
  query: AuditQuery,
): Promise<AuditPage> {
  let q = db.selectFrom('audit_log').selectAll().where('workspace_id', '=', workspaceId);
  if (query.cursor) q = q.where('id', '<', Number(query.cursor));
  if (query.action) q = q.where('action', '=', query.action);
  if (query.target) {
    const colon = query.target.indexOf(':');
    const kind = colon < 0 ? query.target : query.target.slice(0, colon);
    q = q.where('target_kind', '=', kind);
    if (colon >= 0) q = q.where('target_id', '=', query.target.slice(colon + 1));
  }
  if (query.keyId) q = q.where('key_id', '=', query.keyId);
  if (query.since) q = q.where('at', '>=', Date.parse(query.since));
  if (query.until) q = q.where('at', '<', Date.parse(query.until));
  const rows = await q
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  return {
    entries: page.map((r) => ({
      id: r.id,
      at: iso(r.at),
      keyId: r.key_id,
      action: r.action,
      target: { kind: r.target_kind, id: r.target_id },
      before: parsed(r.before),
      after: parsed(r.after),
      requestId: r.request_id,
      route: r.route,
    })),
    nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.id) : null,
  };
}
