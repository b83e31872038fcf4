/** The store's own key table for encryption at rest (see database.ts). */

export interface EncryptionKeysTable {
  id: string;
  /** `data` seals values; `index` keys the blind index. */
  purpose: string;
  /** The key wrapped by the master key (`kw:v1:<master key id>:...`). */
  wrapped: string;
  created_at: number;
  /** Set once no row is sealed under this data key any more. */
  retired_at: number | null;
}
