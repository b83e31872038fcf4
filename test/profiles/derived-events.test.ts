import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendDerivedEventsMany,
  findProfileId,
  type ProfileFacts,
} from '../../src/profiles/index.js';
import { withTransaction } from '../../src/store/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

// More people than one chunk of the batched statements (200).
const PEOPLE = 230;

describe.each(STORE_KINDS)('appending derived events for many people (%s)', (kind) => {
  let t: TestApp;
  const profiles: string[] = [];
  let anonymous: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    const batch = [
      ...Array.from({ length: PEOPLE }, (_, i) => ({
        type: 'identify',
        userId: `u${i}`,
        anonymousId: `a${i}`,
        messageId: `id-${i}`,
        traits: { plan: 'free' },
      })),
      { type: 'page', anonymousId: 'only-anon', messageId: 'anon-page', properties: {} },
    ];
    expect((await send(t, 'POST', '/v1/batch', t.keys.write, { batch })).statusCode).toBe(200);
    await t.ctx.profiles.drain();
    for (let i = 0; i < PEOPLE; i++)
      profiles.push((await findProfileId(t.ctx.store.db, 'default', 'user_id', `u${i}`))!);
    anonymous = (await findProfileId(t.ctx.store.db, 'default', 'anonymous_id', 'only-anon'))!;
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('logs each event attributed to its person, under their user id, else their anonymous id, and folds it into their facts', async () => {
    const now = t.clock.now();
    const out = await withTransaction(t.ctx.store, (tx) =>
      appendDerivedEventsMany(
        tx,
        t.ctx.store.kind,
        'default',
        [
          ...profiles.map((profileId, i) => ({
            profileId,
            events: [
              { event: 'Segment Entered', timestamp: now, properties: { segment_id: `s${i}` } },
              {
                type: 'identify' as const,
                event: 'identify',
                timestamp: now,
                properties: {},
                traits: { plan: 'pro' },
              },
            ],
          })),
          {
            profileId: anonymous,
            events: [{ event: 'Segment Exited', timestamp: now, properties: {} }],
          },
          { profileId: 'prf_nobody', events: [] },
        ],
        now,
      ),
    );
    expect(out.get('prf_nobody')).toEqual({ logged: [], facts: null });

    const rows = await t.ctx.store.db
      .selectFrom('events')
      .select(['id', 'message_id', 'profile_id', 'user_id', 'anonymous_id', 'event', 'type'])
      .where('message_id', 'like', 'rapport:%')
      .execute();
    expect(rows).toHaveLength(2 * PEOPLE + 1);
    const byId = new Map(rows.map((r) => [r.id, r]));

    const stored = new Map(
      (await t.ctx.store.db.selectFrom('profiles').select(['id', 'facts']).execute()).map((r) => [
        r.id,
        JSON.parse(r.facts) as ProfileFacts,
      ]),
    );
    profiles.forEach((profileId, i) => {
      const { logged, facts } = out.get(profileId)!;
      expect(logged.map((e) => e.event)).toEqual(['Segment Entered', null]);
      for (const e of logged) {
        expect(byId.get(e.id)).toMatchObject({
          message_id: e.messageId,
          profile_id: profileId,
          user_id: `u${i}`,
          anonymous_id: null,
        });
      }
      expect(logged[0]!.properties).toEqual({ segment_id: `s${i}` });
      expect(facts).toEqual(stored.get(profileId));
      expect(facts!.traits.find(([k]) => k === 'plan')?.[1].value).toBe('pro');
    });
    const [exited] = out.get(anonymous)!.logged;
    expect(byId.get(exited!.id)).toMatchObject({
      profile_id: anonymous,
      user_id: null,
      anonymous_id: 'only-anon',
      event: 'Segment Exited',
    });
  });
});
