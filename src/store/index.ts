export type {
  Database,
  EventsTable,
  CatalogItemsTable,
  CatalogChangesTable,
  JourneyRunsTable,
  MessagesTable,
  QuarantinedEventsTable,
} from './database.js';
export type { Store, StoreAddress, StoreKind } from './store.js';
export { openStore, openStoreAt, type StoreOptions } from './open-store.js';
export { openSqlite, SQLITE_FILE } from './open-sqlite.js';
export { openPostgres } from './open-postgres.js';
export { migrate } from './migrate.js';
export { appendEvents, eventKey, type EventRow, type RejectedRow } from './sql/append-events.js';
export {
  withTransaction,
  withRetriedTransaction,
  isRetryable,
  isStoreUnavailable,
  skipLocked,
  type Tx,
} from './transaction.js';
export { assignEvents } from './sql/assign-events.js';
