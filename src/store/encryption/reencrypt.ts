import { sql, type Kysely } from 'kysely';
import { SEALED_PREFIX, INDEX_PREFIX } from '../core/envelope.js';
import type { Store } from '../store.js';
import { withRetriedTransaction } from '../transaction.js';
import type { Keyring } from './keyring.js';
import { SEALED_COLUMNS } from './sealed-columns.js';

// Kysely's types know each table; this job walks them by name.
type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

/** Tables walked in primary-key order; the others (composite keys) are walked by filter. */
const KEYSET: Readonly<Record<string, string>> = {
  events: 'id',
  rejected_events: 'id',
  profiles: 'id',
  profile_merges: 'id',
  messages: 'id',
  message_events: 'id',
  journey_runs: 'id',
  push_subscriptions: 'id',
};

export interface ReencryptOptions {
  /** Rows per transaction: each batch holds its rows' locks only briefly. */
  batchSize?: number;
  /** Called after every batch with the rows done so far (progress, tests reading between batches). */
  onBatch?: (done: number, table: string) => Promise<void> | void;
}

/**
 * Brings every sealed column under the current data key, in bounded batches while the
 * application keeps serving: a row is read (opened with whichever key sealed it) and
 * written back (sealed under the current key) in one short transaction, so a concurrent
 * write is never lost. Rows in clear (written before a key was set) are sealed, and
 * e-mail and phone identities, consent subjects and suppressed addresses move to their
 * blind index. Safe to stop and run again: it picks up what is left.
 * @returns the number of rows rewritten.
 */
export async function reencryptAll(store: Store, options: ReencryptOptions = {}): Promise<number> {
  const keyring = store.encryption;
  if (!keyring) throw new Error('encryption is not configured (RAPPORT_ENCRYPTION_KEY)');
  const size = options.batchSize ?? 500;
  let done = 0;
  const report = async (n: number, table: string) => {
    done += n;
    if (n > 0) await options.onBatch?.(done, table);
  };
  for (const [table, columns] of Object.entries(SEALED_COLUMNS)) {
    if (table === 'identities') continue;
    const key = KEYSET[table];
    for (const column of columns) {
      if (key) {
        let after: unknown = null;
        for (;;) {
          const batch = await keysetBatch(store, keyring, table, key, column, after, size);
          await report(batch.rewritten, table);
          if (batch.last === null) break;
          after = batch.last;
        }
      } else {
        for (;;) {
          const n = await filteredBatch(store, keyring, table, column, size);
          await report(n, table);
          if (n < size) break;
        }
      }
    }
  }
  for (;;) {
    const n = await identityBatch(store, keyring, size);
    await report(n, 'identities');
    if (n < size) break;
  }
  await report(await indexAddresses(store, keyring), 'consent_statements');
  return done;
}

const notCurrent = (keyring: Keyring) => `${SEALED_PREFIX}${keyring.currentKeyId}:%`;

async function keysetBatch(
  store: Store,
  keyring: Keyring,
  table: string,
  key: string,
  column: string,
  after: unknown,
  size: number,
): Promise<{ rewritten: number; last: unknown }> {
  return withRetriedTransaction(store, async (tx) => {
    // Cast: the job walks tables by name, which Kysely's per-table types cannot express.
    const db = tx as unknown as AnyDb;
    // The key range of this batch, then its rows that are not yet under the current key.
    let range = db.selectFrom(table).select(key).orderBy(key).limit(size);
    if (after !== null) range = range.where(key, '>', after);
    const keys = (await range.execute()).map((r) => r[key]);
    if (keys.length === 0) return { rewritten: 0, last: null };
    let q = db
      .selectFrom(table)
      .select([key, column])
      .where(key, 'in', keys)
      .where(column, 'is not', null)
      .where(column, 'not like', notCurrent(keyring));
    if (store.kind === 'postgres') q = q.forUpdate();
    const rows = await q.execute();
    for (const r of rows)
      await db
        .updateTable(table)
        .set({ [column]: r[column] })
        .where(key, '=', r[key])
        .execute();
    return { rewritten: rows.length, last: keys.length < size ? null : keys[keys.length - 1] };
  });
}

/** Tables keyed by (workspace_id, profile_id) and such: rows left are found by their text. */
async function filteredBatch(
  store: Store,
  keyring: Keyring,
  table: string,
  column: string,
  size: number,
): Promise<number> {
  return withRetriedTransaction(store, async (tx) => {
    // Cast: the job walks tables by name, which Kysely's per-table types cannot express.
    const db = tx as unknown as AnyDb;
    // Key columns of these tables: consents (workspace_id, profile_id).
    let q = db
      .selectFrom(table)
      .select(['workspace_id', 'profile_id', column])
      .where(column, 'is not', null)
      .where(column, 'not like', notCurrent(keyring))
      .limit(size);
    if (store.kind === 'postgres') q = q.forUpdate();
    const rows = await q.execute();
    for (const r of rows)
      await db
        .updateTable(table)
        .set({ [column]: r[column] })
        .where('workspace_id', '=', r.workspace_id)
        .where('profile_id', '=', r.profile_id)
        .execute();
    return rows.length;
  });
}

/** E-mail and phone identities: sealed under the current key, found by blind index. */
async function identityBatch(store: Store, keyring: Keyring, size: number): Promise<number> {
  return withRetriedTransaction(store, async (tx) => {
    let q = tx
      .selectFrom('identities')
      .select(['workspace_id', 'kind', 'value', 'sealed_value'])
      .where('kind', 'in', ['email', 'phone'])
      .where((eb) =>
        eb.or([
          eb('sealed_value', 'is', null),
          eb('sealed_value', 'not like', notCurrent(keyring)),
        ]),
      )
      .limit(size);
    if (store.kind === 'postgres') q = q.forUpdate();
    const rows = await q.execute();
    for (const r of rows) {
      const clear = r.sealed_value ?? r.value;
      await tx
        .updateTable('identities')
        .set({ value: keyring.blindIndex(r.kind, clear), sealed_value: clear })
        .where('workspace_id', '=', r.workspace_id)
        .where('kind', '=', r.kind)
        .where('value', '=', r.value)
        .execute();
    }
    return rows.length;
  });
}

/** Addresses written in clear before the key was set move to their blind index. */
async function indexAddresses(store: Store, keyring: Keyring): Promise<number> {
  return withRetriedTransaction(store, async (tx) => {
    let n = 0;
    const subjects = await tx
      .selectFrom('consent_statements')
      .select(['id', 'subject'])
      .where('subject', 'like', 'email:%')
      .where('subject', 'not like', `email:${INDEX_PREFIX}%`)
      .execute();
    for (const s of subjects) {
      const address = s.subject.slice('email:'.length);
      await tx
        .updateTable('consent_statements')
        .set({ subject: `email:${keyring.blindIndex('email', address)}` })
        .where('id', '=', s.id)
        .execute();
      n += 1;
    }
    const suppressed = await tx
      .selectFrom('suppressions')
      .selectAll()
      .where('address', 'not like', `${INDEX_PREFIX}%`)
      .execute();
    for (const s of suppressed) {
      await tx
        .insertInto('suppressions')
        .values({ ...s, address: keyring.blindIndex(s.channel, s.address) })
        .onConflict((oc) => oc.columns(['workspace_id', 'channel', 'address']).doNothing())
        .execute();
      await tx
        .deleteFrom('suppressions')
        .where('workspace_id', '=', s.workspace_id)
        .where('channel', '=', s.channel)
        .where('address', '=', s.address)
        .execute();
      n += 1;
    }
    return n;
  });
}

/**
 * A rotation: every key re-wrapped under the current master key (RAPPORT_ENCRYPTION_KEY;
 * the old one in RAPPORT_ENCRYPTION_KEY_PREVIOUS until this finishes), a new data key
 * made current, and every row re-encrypted under it. Old data keys stay in the table
 * (marked retired) so a row a lagging process sealed under one still opens.
 */
export async function rotateEncryption(
  store: Store,
  now: number,
  options: ReencryptOptions & { newDataKey?: boolean } = {},
): Promise<{ rewrapped: number; dataKey: string; rewritten: number }> {
  const keyring = store.encryption;
  if (!keyring) throw new Error('encryption is not configured (RAPPORT_ENCRYPTION_KEY)');
  const rewrapped = await keyring.rewrapAll();
  if (options.newDataKey !== false) await keyring.create('data', now);
  const rewritten = await reencryptAll(store, options);
  await sql`UPDATE encryption_keys SET retired_at = ${now} WHERE purpose = 'data' AND id <> ${keyring.currentKeyId} AND retired_at IS NULL`.execute(
    store.db,
  );
  return { rewrapped, dataKey: keyring.currentKeyId, rewritten };
}
