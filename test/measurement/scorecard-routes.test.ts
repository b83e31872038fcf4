import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findProfileId } from '../../src/profiles/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 5, 1, 12);

describe.each(STORE_KINDS)(
  'maturity and effectiveness over a constructed workspace (%s)',
  (kind) => {
    let t: TestApp;
    beforeEach(async () => {
      t = await createTestApp(kind, { clock: new ManualClock(T0) });
    });
    afterEach(() => t.close());

    it('reads what the workspace sent: a broadcast, engaged within the hour', async () => {
      const users = Array.from({ length: 10 }, (_, i) => `u${i}`);
      const r = await send(t, 'POST', '/v1/batch', t.keys.write, {
        batch: users.map((u, i) => ({
          type: 'identify',
          messageId: `i${i}`,
          userId: u,
          traits: { email: `${u}@example.com`, first_name: 'Ada' },
          timestamp: new Date(T0 - 48 * H).toISOString(),
        })),
      });
      expect(r.statusCode, r.body).toBe(200);
      await t.ctx.profiles.drain();
      const db = t.ctx.store.db;
      for (const [i, u] of users.entries()) {
        const profileId = (await findProfileId(db, 'default', 'user_id', u))!;
        const sentAt = T0 - 24 * H;
        const opened = i < 5;
        await db
          .insertInto('messages')
          .values({
            id: `msg${i}`,
            workspace_id: 'default',
            profile_id: profileId,
            journey_id: 'newsletter',
            run_id: null,
            step_id: 's',
            idempotency_key: `k${i}`,
            channel: 'email',
            kind: 'send',
            topic: null,
            priority: 1,
            status: opened ? 'opened' : 'sent',
            reason: null,
            payload: JSON.stringify({ personalized: true, blocks: [] }),
            attempts: 1,
            next_attempt_at: null,
            locked_until: null,
            created_at: sentAt,
            updated_at: sentAt,
            sent_at: sentAt,
          })
          .execute();
        if (opened)
          await db
            .insertInto('message_events')
            .values({ message_id: `msg${i}`, status: 'opened', detail: null, at: sentAt + H })
            .execute();
      }
      const maturity = (await send(t, 'GET', '/v1/reports/maturity', t.keys.read)).json();
      expect(maturity.level).toBe('One>>All');
      expect(maturity.evidence).toMatchObject({
        messages: 10,
        people: 10,
        counts: { broadcast: 10, segment: 0, micro_segment: 0, individual: 0 },
        uses: { liftMeasuredWithControl: false },
      });
      const eff = await send(t, 'GET', '/v1/reports/effectiveness', t.keys.read);
      expect(eff.statusCode, eff.body).toBe(200);
      const { overall, journeys } = eff.json();
      // No personalized blocks: no evidence on relevance. Every open within 4 hours.
      expect(overall.factors.relevance.value).toBe(0.5);
      expect(overall.factors.timing).toEqual({
        value: 1,
        engaged: 5,
        withinHours: 5,
        expected: 5,
      });
      // Everyone engaged on e-mail or not at all: those who did prefer it (5 of 5 known
      // match), their engagement 1 against 1 overall.
      expect(overall.factors.channel).toMatchObject({ value: 1, known: 5, matched: 5 });
      // Identified (1), no consent said (0), e-mail and first name of 4 (0.5): 1.5 / 3.
      expect(overall.factors.dataQuality).toEqual({ value: 0.5, people: 10 });
      expect(overall.score).toBe(0.25);
      expect(journeys).toHaveLength(1);
      expect(journeys[0].journeyId).toBe('newsletter');
    });
  },
);
