export type {
  Database,
  EventsTable,
  CatalogItemsTable,
  CatalogChangesTable,
  JourneyRunsTable,
  DecisionsTable,
  ExperimentsTable,
} from './database.js';
export type { Store, StoreAddress, StoreKind } from './store.js';
export { openStore, openStoreAt } from './open-store.js';
export { openSqlite, SQLITE_FILE } from './open-sqlite.js';
export { openPostgres } from './open-postgres.js';
export { copyStore, type CopyReport } from './copy-store.js';
export { inspectStore } from './inspect.js';
export { appendEvents, eventKey, type EventRow, type RejectedRow } from './sql/append-events.js';
export {
  withTransaction,
  withRetriedTransaction,
  withLazyCommitTransaction,
  storeInTransaction,
  atomically,
  isStoreUnavailable,
  skipLocked,
  type Tx,
} from './transaction.js';
export { assignEvents } from './sql/assign-events.js';
export { encryptionOf } from './encryption/install.js';
export { reencryptAll, rotateEncryption } from './encryption/reencrypt.js';
export { flushErased } from './flush-erased.js';
export { forgetSubjects, openChangeFeed, recordChanges, type ChangeFeed } from './change-feed.js';
