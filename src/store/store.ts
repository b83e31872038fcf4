import type { Kysely } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type { Database } from './database.js';
import type { Keyring, MasterKeys } from './encryption/keyring.js';

export type StoreKind = 'sqlite' | 'postgres';

/** Where a store's data lives: enough for another thread or process to open it too. */
export type StoreAddress = (
  { kind: 'sqlite'; dataDir: string } | { kind: 'postgres'; url: string }
) & {
  /** With encryption on, the master keys, so another thread's handle opens sealed data too. */
  masterKeys?: MasterKeys;
};

/**
 * An open store: one Kysely query layer over either SQLite or PostgreSQL. The raw
 * handles are here for the few hot paths that bypass the query builder; use them only
 * inside this module's helpers.
 */
export interface Store {
  readonly kind: StoreKind;
  readonly db: Kysely<Database>;
  /** Human-readable location: the SQLite file or the PostgreSQL database name. */
  readonly location: string;
  readonly address: StoreAddress;
  readonly sqlite?: BetterSqlite3.Database;
  readonly pgPool?: pg.Pool;
  /** With RAPPORT_ENCRYPTION_KEY set: the keys sealing personal data (see docs/privacy.md). */
  readonly encryption?: Keyring;
  close(): Promise<void>;
}
