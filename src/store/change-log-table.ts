import type { Generated } from 'kysely';

/** Changes to cached things, for other processes' caches (SQLite; see change-feed.ts). */
export interface ChangeLogTable {
  seq: Generated<number>;
  workspace_id: string;
  topic: string;
  subject: string;
  created_at: number;
}
