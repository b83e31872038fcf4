import type { CreateTableBuilder } from 'kysely';
import type { StoreKind } from './store.js';

/** The few column types that differ between the stores, for migrations. */
export interface MigrationContext {
  kind: StoreKind;
  /** Adds an auto-incrementing BIGINT primary key named `id`. */
  idColumn<T extends string>(builder: CreateTableBuilder<T>): CreateTableBuilder<T, 'id'>;
}

export function migrationContext(kind: StoreKind): MigrationContext {
  return {
    kind,
    idColumn: (builder) =>
      kind === 'sqlite'
        ? // INTEGER PRIMARY KEY aliases SQLite's rowid: no extra index, monotonic inserts.
          builder.addColumn('id', 'integer', (c) => c.primaryKey())
        : builder.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity()),
  };
}
