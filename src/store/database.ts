import type { Generated } from 'kysely';

/**
 * The hand-written schema of every table, shared by both stores. Times are epoch
 * milliseconds in BIGINT columns; JSON is stored as text so both stores hold the
 * client's bytes unchanged.
 */
export interface Database {
  workspaces: WorkspacesTable;
  api_keys: ApiKeysTable;
  events: EventsTable;
  rejected_events: RejectedEventsTable;
}

export interface WorkspacesTable {
  id: string;
  name: string;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  workspace_id: string;
  scope: 'write' | 'read' | 'admin';
  /** SHA-256 of the key, hex; keys are 192-bit random so a fast hash is enough. */
  key_hash: string;
  /** The first characters of the key, to tell keys apart in listings. */
  prefix: string;
  created_at: number;
  revoked_at: number | null;
}

export interface EventsTable {
  id: Generated<number>;
  workspace_id: string;
  message_id: string;
  type: string;
  /** Track event name, or page/screen name. */
  event: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  previous_id: string | null;
  group_id: string | null;
  /** Event time after clock-skew correction. */
  timestamp: number;
  received_at: number;
  sent_at: number | null;
  /** The event exactly as the client sent it (JSON text). */
  raw: string;
}

export interface RejectedEventsTable {
  id: Generated<number>;
  workspace_id: string;
  received_at: number;
  /** Position in the batch, or null for a single-event call. */
  batch_index: number | null;
  /** JSON array of `{path, problem}`. */
  details: string;
  raw: string;
}
