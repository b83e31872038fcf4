// Runs the plain-SQL reference of the segments benchmark at a fixed `now` and compares
// each segment's member set with the memberships Rapport stored.
import pg from 'pg';
import type { SegmentDefinition } from '../src/segments/index.js';
import type { Store } from '../src/store/index.js';
import { WORKSPACE } from './_segments-data.js';
import type { CreatedSegment } from './_segments-setup.js';
import { sideTables, SqlTranslator, Unsupported } from './_segments-sql.js';

export interface SegmentComparison {
  key: string;
  name: string;
  members: number;
  /** Null when the segment is left out of the comparison; `excluded` says why. */
  sqlMembers: number | null;
  sqlMs: number | null;
  agree: boolean | null;
  /** In the SQL result but not stored, and stored but not in the SQL result. */
  missing?: number;
  extra?: number;
  excluded?: string;
  sql?: string;
}

/** One connection that runs statements and returns the first column of each row. */
interface Runner {
  exec(sql: string): Promise<void>;
  column(sql: string): Promise<string[]>;
  close(): Promise<void>;
}

async function runner(store: Store, databaseUrl: string | undefined): Promise<Runner> {
  if (store.kind === 'sqlite') {
    const db = store.sqlite!;
    return {
      exec: (sql) => {
        db.exec(sql);
        return Promise.resolve();
      },
      column: (sql) => Promise.resolve(db.prepare(sql).pluck().all() as string[]),
      close: () => Promise.resolve(),
    };
  }
  // Its own connection in UTC, so that date-only strings read as midnight UTC.
  const client = new pg.Client({ connectionString: databaseUrl, options: '-c timezone=UTC' });
  await client.connect();
  return {
    exec: async (sql) => {
      await client.query(sql);
    },
    column: async (sql) =>
      (await client.query<{ profile_id: string }>(sql)).rows.map((r) => r.profile_id),
    close: () => client.end(),
  };
}

/**
 * Builds the reference's side tables and runs one query per segment at `now`; compares
 * each result with `segment_members`. Times are wall-clock per statement.
 */
export async function compareWithSql(
  store: Store,
  databaseUrl: string | undefined,
  segments: CreatedSegment[],
  now: number,
): Promise<{ sideTablesSeconds: number; querySeconds: number; results: SegmentComparison[] }> {
  const defs = new Map<string, SegmentDefinition>();
  for (const r of await store.db
    .selectFrom('segments')
    .select(['id', 'definition'])
    .where('workspace_id', '=', WORKSPACE)
    .execute())
    defs.set(r.id, JSON.parse(r.definition) as SegmentDefinition);
  const stored = new Map<string, Set<string>>();
  for (const r of await store.db
    .selectFrom('segment_members')
    .select(['segment_id', 'profile_id'])
    .where('workspace_id', '=', WORKSPACE)
    .execute()) {
    let set = stored.get(r.segment_id);
    if (!set) stored.set(r.segment_id, (set = new Set()));
    set.add(r.profile_id);
  }

  const run = await runner(store, databaseUrl);
  try {
    const t0 = performance.now();
    for (const statement of sideTables(store.kind, now)) await run.exec(statement);
    const sideTablesSeconds = (performance.now() - t0) / 1000;
    const translator = new SqlTranslator(store.kind, now, (id) => {
      const d = defs.get(id);
      if (!d) throw new Error(`unknown segment ${id}`);
      return d;
    });
    const results: SegmentComparison[] = [];
    let querySeconds = 0;
    for (const s of segments) {
      const members = stored.get(s.id) ?? new Set<string>();
      const base = { key: s.key, name: s.name, members: members.size };
      let query: string;
      try {
        query = translator.translate(defs.get(s.id)!);
      } catch (error) {
        if (!(error instanceof Unsupported)) throw error;
        results.push({
          ...base,
          sqlMembers: null,
          sqlMs: null,
          agree: null,
          excluded: error.message,
        });
        continue;
      }
      const t = performance.now();
      const ids = new Set(await run.column(query));
      const ms = performance.now() - t;
      querySeconds += ms / 1000;
      let missing = 0;
      for (const id of ids) if (!members.has(id)) missing++;
      const extra = members.size - (ids.size - missing);
      results.push({
        ...base,
        sqlMembers: ids.size,
        sqlMs: Math.round(ms),
        agree: missing === 0 && extra === 0,
        missing,
        extra,
        sql: query.replace(/\s+/g, ' '),
      });
    }
    return { sideTablesSeconds, querySeconds, results };
  } finally {
    await run.close();
  }
}
