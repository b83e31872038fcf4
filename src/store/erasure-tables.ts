/** The erasure module's job table and the profiles module's tombstones (see database.ts). */

export interface ErasureJobsTable {
  id: string;
  workspace_id: string;
  /** Salted hash of the kind and value asked for: a second request finds this job. */
  request_hash: string;
  /** pending | running | done */
  status: string;
  /** The step the job is at (resumed there after a crash). */
  step: string;
  /** JSON of the person (identifiers, profile ids) while running; null once done. */
  subject: string | null;
  /** JSON: rows removed per table. */
  removed: string;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface ErasureTombstonesTable {
  workspace_id: string;
  /** HMAC-SHA-256 of `kind:value` under the workspace's erasure salt, hex. */
  hash: string;
  created_at: number;
}
