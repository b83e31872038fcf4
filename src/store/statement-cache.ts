import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs more than running
 * a point lookup. The same few hundred SQL texts repeat all day (parameters are bound,
 * not inlined), so compiled statements are kept, least recently used dropped first.
 * Statements survive schema changes: SQLite re-prepares them itself.
 */
export function withStatementCache(db: BetterSqlite3.Database, size = 500): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => db.close(),
    prepare: (sql: string) => {
      let stmt = cache.get(sql);
      if (stmt) {
        // Re-insert to mark it most recently used.
        cache.delete(sql);
      } else {
        stmt = db.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
