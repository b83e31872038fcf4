import type { Generated } from 'kysely';

/** The audit log of admin actions (docs/audit.md). */
export interface AuditLogTable {
  id: Generated<number>;
  workspace_id: string;
  at: number;
  /** The API key's id; `env:RAPPORT_ADMIN_KEY` for the environment's admin key. */
  key_id: string | null;
  /** `segment.update`, `key.create`, ... */
  action: string;
  target_kind: string;
  target_id: string;
  /** JSON text, secrets left out, at most 64 KiB; null when there was nothing. */
  before: string | null;
  after: string | null;
  request_id: string | null;
  /** `PUT /v1/segments/:id` */
  route: string | null;
}
