import type { Store } from './store.js';

/**
 * After an erasure: on SQLite, copies the WAL into the database file (where secure_delete
 * has zeroed the deleted rows) and truncates it, so the erased bytes are in neither file.
 * A reader holding an old snapshot can keep the checkpoint from finishing; the next
 * erasure (or SQLite's own checkpoints) finishes it. PostgreSQL keeps deleted tuples
 * until VACUUM reclaims them (autovacuum does; docs/privacy.md): nothing to do here.
 */
export function flushErased(store: Store): void {
  if (store.kind === 'sqlite' && store.sqlite?.open) {
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  }
}
