/** A dashboard session: a cookie's token, stored as its hash (docs/dashboard.md). */
export interface SessionsTable {
  id: string;
  /** SHA-256 of the cookie's 256-bit random token, hex. */
  token_hash: string;
  workspace_id: string;
  /** The key that opened the session, re-checked on every request. */
  key_id: string;
  key_hash: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}
