// Setup of the segments benchmark: the synthetic population written in bulk (bypassing the
// pipeline, which is measured later on live events), and the segments created.
import { sql } from 'kysely';
import { createSegment } from '../src/segments/index.js';
import type { Clock } from '../src/shared/index.js';
import type { Store } from '../src/store/index.js';
import { generatePerson, WORKSPACE, type PersonSummary } from './_segments-data.js';
import { segmentSpecs } from './_segments-defs.js';

const EVENT_COLUMNS = [
  'workspace_id',
  'message_id',
  'type',
  'event',
  'user_id',
  'anonymous_id',
  'previous_id',
  'group_id',
  'timestamp',
  'received_at',
  'sent_at',
  'raw',
  'profile_id',
] as const;
const EVENT_TYPES = 'text,text,text,text,text,text,text,text,bigint,bigint,bigint,text,text';
const PROFILE_COLUMNS = ['id', 'workspace_id', 'merged_into', 'facts', 'created_at', 'updated_at'];
const PROFILE_TYPES = 'text,text,text,text,bigint,bigint';
const IDENTITY_COLUMNS = ['workspace_id', 'kind', 'value', 'profile_id', 'created_at'];
const IDENTITY_TYPES = 'text,text,text,text,bigint';

type Row = readonly unknown[];

/** Multi-row INSERTs in one transaction (SQLite), or one `unnest` per table (PostgreSQL). */
async function insertRows(
  store: Store,
  table: string,
  columns: readonly string[],
  types: string,
  rows: readonly Row[],
): Promise<void> {
  if (rows.length === 0) return;
  if (store.kind === 'postgres') {
    const casts = types.split(',').map((t, i) => `$${i + 1}::${t}[]`);
    const arrays = columns.map((_, c) => rows.map((r) => r[c]));
    for (let i = 0; i < rows.length; i += 5000) {
      await store.pgPool!.query(
        `INSERT INTO ${table} (${columns.join(',')}) SELECT * FROM unnest(${casts.join(',')})`,
        arrays.map((a) => a.slice(i, i + 5000)),
      );
    }
    return;
  }
  const per = Math.floor(32_000 / columns.length / 100) * 100 || 100;
  const tuple = `(${columns.map(() => '?').join(',')})`;
  const prepare = (n: number) =>
    store.sqlite!.prepare(
      `INSERT INTO ${table} (${columns.join(',')}) VALUES ${Array(n).fill(tuple).join(',')}`,
    );
  const full = prepare(per);
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    (chunk.length === per ? full : prepare(chunk.length)).run(chunk.flat());
  }
}

export interface Population {
  events: number;
  profiles: number;
  identities: number;
  seconds: number;
  people: PersonSummary[];
}

/**
 * Writes `n` people with their histories (events attributed, facts folded, identities)
 * in chunks of 2,000 people, each chunk in one transaction.
 */
export async function writePopulation(
  store: Store,
  n: number,
  seed: number,
  now: number,
  log: (line: string) => void,
  analyze = true,
): Promise<Population> {
  const started = performance.now();
  const people: PersonSummary[] = [];
  let events = 0;
  let identities = 0;
  for (let from = 0; from < n; from += 2000) {
    const evRows: Row[] = [];
    const prRows: Row[] = [];
    const idRows: Row[] = [];
    for (let i = from; i < Math.min(n, from + 2000); i++) {
      const g = generatePerson(seed, i, now);
      for (const e of g.rows) evRows.push(EVENT_COLUMNS.map((c) => e[c]));
      prRows.push([g.profile.id, WORKSPACE, null, g.profile.facts, g.profile.created_at, now]);
      for (const id of g.identities)
        idRows.push([WORKSPACE, id.kind, id.value, g.profile.id, id.created_at]);
      people.push(g.summary);
    }
    const write = async () => {
      await insertRows(store, 'events', EVENT_COLUMNS, EVENT_TYPES, evRows);
      await insertRows(store, 'profiles', PROFILE_COLUMNS, PROFILE_TYPES, prRows);
      await insertRows(store, 'identities', IDENTITY_COLUMNS, IDENTITY_TYPES, idRows);
    };
    if (store.kind === 'sqlite') {
      store.sqlite!.exec('BEGIN');
      await write();
      store.sqlite!.exec('COMMIT');
    } else await write();
    events += evRows.length;
    identities += idRows.length;
    if ((from / 2000) % 10 === 9 || from + 2000 >= n)
      log(
        `${Math.min(n, from + 2000).toLocaleString('en')} people, ${events.toLocaleString('en')} events`,
      );
  }
  // Both planners get statistics, as a production database has them (autovacuum on
  // PostgreSQL; on SQLite someone must run ANALYZE). Without them SQLite answers the
  // identities lookup of every Segment Entered/Exited append by scanning all identities of
  // a kind: see the report of this benchmark, and `--no-analyze` to measure that case.
  if (analyze) await sql`ANALYZE`.execute(store.db);
  return {
    events,
    profiles: n,
    identities,
    seconds: (performance.now() - started) / 1000,
    people,
  };
}

export interface CreatedSegment {
  key: string;
  id: string;
  name: string;
}

/** Creates the first `count` segments through the segments API's repository. */
export async function createSegments(
  store: Store,
  clock: Clock,
  count: number,
): Promise<CreatedSegment[]> {
  const ids = new Map<string, string>();
  const out: CreatedSegment[] = [];
  const ref = (key: string) => {
    const id = ids.get(key);
    if (!id) throw new Error(`segment ${key} is referenced before it is created`);
    return id;
  };
  for (const spec of segmentSpecs(count)) {
    const s = await createSegment(store.db, clock, WORKSPACE, {
      name: spec.name,
      definition: spec.definition(ref, clock.now()),
    });
    ids.set(spec.key, s.id);
    out.push({ key: spec.key, id: s.id, name: spec.name });
  }
  return out;
}

/**
 * Back-fills every segment, one `backfillStep()` (one segment) at a time, as
 * `backfillAll()` does. With `analyze`, statistics are refreshed once the first segment
 * has members: gathered on an empty `segment_members`, they leave SQLite's planner
 * loading a page's memberships by scanning the whole workspace's (see the report).
 */
export async function backfill(
  step: () => Promise<boolean>,
  store: Store,
  analyze: boolean,
): Promise<{ seconds: number; analyzeSeconds: number }> {
  const started = performance.now();
  let analyzeSeconds = 0;
  let first = true;
  while (await step()) {
    if (first && analyze) {
      const t = performance.now();
      await sql`ANALYZE`.execute(store.db);
      analyzeSeconds = (performance.now() - t) / 1000;
    }
    first = false;
  }
  return { seconds: (performance.now() - started) / 1000 - analyzeSeconds, analyzeSeconds };
}
