import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import type { Store } from './store.js';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * BIGINT comes back as a JS number: our BIGINTs are epoch milliseconds and row ids,
 * far below 2^53. Set per pool rather than on the global `pg.types`.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    // pg types the OID as its own enum; any OID the server sends is valid here.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

export function openPostgres(url: string, poolSize = 10): Store {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // An idle client that loses its connection emits 'error' on the pool; without a
  // listener that would crash the process. The next query reconnects.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    location: new URL(url).pathname.slice(1) || 'postgres',
    address: { kind: 'postgres', url },
    pgPool: pool,
    close: async () => {
      await db.destroy();
    },
  };
}
