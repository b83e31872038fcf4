// Migration 0011 back-fills consent statements from the consents documents 0006 wrote,
// decoding each through a schema frozen in the migration: a document that does not fit
// moves no statements, and the others are moved as before.
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrationContext } from '../../src/store/migration-context.js';
import { up } from '../../src/store/migrations/0011-consent-statements.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/stores.js';

describe.each(STORE_KINDS)('the consent statements back-fill (%s)', (kind) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(kind);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('moves the documents that decode and skips those that do not', async () => {
    const db = t.store.db as Kysely<unknown>;
    // Back to the state before 0011: its table gone, documents in `consents`.
    await sql`DROP TABLE consent_statements`.execute(db);
    const docs: [string, string][] = [
      [
        'prof_good',
        JSON.stringify({
          channels: { push: { state: 'granted', source: 'api', at: 5 } },
          personalization: { state: 'denied', source: 'api', at: 6 },
        }),
      ],
      ['prof_not_json', '{"channels": '],
      ['prof_wrong_shape', JSON.stringify({ channels: { email: 'denied' } })],
    ];
    for (const [profileId, consents] of docs) {
      await sql`INSERT INTO consents (workspace_id, profile_id, consents, updated_at)
        VALUES ('default', ${profileId}, ${consents}, 9)`.execute(db);
    }

    await up(db, migrationContext(kind));

    const rows = await t.store.db
      .selectFrom('consent_statements')
      .select(['subject', 'target', 'state', 'source', 'at'])
      .orderBy('target')
      .execute();
    expect(rows).toEqual([
      {
        subject: 'profile:prof_good',
        target: 'channel:push',
        state: 'granted',
        source: 'api',
        at: 5,
      },
      {
        subject: 'profile:prof_good',
        target: 'personalization',
        state: 'denied',
        source: 'api',
        at: 6,
      },
    ]);
  });
});
