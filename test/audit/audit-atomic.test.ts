import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { entries } from './helpers.js';

const SEGMENT = {
  name: 'Viewers',
  definition: { event: 'Product Viewed', count: { gte: 1 }, within: 'P7D' },
};

// The entry is written in the change's transaction: when the entry cannot be written,
// the change does not happen either, and the other way round.
describe.each(STORE_KINDS)('an audited change and its entry commit together (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: new ManualClock(Date.UTC(2026, 10, 1)) });
  });
  afterAll(() => t.close());

  it('a change whose entry cannot be written is rolled back', async () => {
    const created = await send(t, 'POST', '/v1/segments', t.keys.admin, SEGMENT);
    const id = created.json<{ id: string }>().id;
    const db = t.testStore.store.db;
    await sql`ALTER TABLE audit_log RENAME TO audit_log_away`.execute(db);
    try {
      const put = await send(t, 'PUT', `/v1/segments/${id}`, t.keys.admin, {
        ...SEGMENT,
        name: 'Changed',
      });
      expect(put.statusCode).toBe(500);
      const del = await send(t, 'DELETE', `/v1/segments/${id}`, t.keys.admin);
      expect(del.statusCode).toBe(500);
      const journey = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
        definition: {
          id: 'j',
          name: 'J',
          trigger: { type: 'event', event: 'Signed Up' },
          start: 'done',
          steps: [{ id: 'done', type: 'exit' }],
        },
      });
      expect(journey.statusCode).toBe(500);
    } finally {
      await sql`ALTER TABLE audit_log_away RENAME TO audit_log`.execute(db);
    }
    const segment = await send(t, 'GET', `/v1/segments/${id}`, t.keys.read);
    expect(segment.json()).toMatchObject({ name: 'Viewers', version: 1 });
    expect((await send(t, 'GET', '/v1/journeys/j', t.keys.read)).statusCode).toBe(404);
    expect((await entries(t)).map((e) => e.action)).toEqual(['segment.create']);
  });
});
