import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPending } from '../../src/profiles/processor.js';
import { basic, createTestApp, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

/**
 * The seeded ingestion fuzz: at least 20,000 generated requests per store across every
 * ingestion route. Nothing may answer 5xx; every acknowledged event must read back through
 * the API exactly as sent and go through the profile stage (none pending, none
 * quarantined); every person it names must have a readable profile. FUZZ_SEED replays a
 * run; FUZZ_REQUESTS changes its size.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_207);
// CI runs the full size; a developer's `npm test` a quicker fifth of it.
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? (process.env.CI ? 20_000 : 4_000));
const CONCURRENCY = 32;

const TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;

const text = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  // Any UTF-16 code unit: NUL and lone surrogates included (refused, naming the path).
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('__proto__', 'constructor', "'; DROP TABLE events; --", 'null'),
  },
);
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
})).value;
const dict = fc.dictionary(text, json, { maxKeys: 6 });
const time = fc.oneof(
  fc
    .date({ min: new Date('2000-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.integer({ min: 946_684_800_000, max: 1_900_000_000_000 }),
  fc.constantFrom('0', '12', 'x 2024', '2024-02-30T00:00:00Z', ''),
);

/** A Segment-shaped event: mostly right, each field sometimes missing or wrong. */
const event = fc.record(
  {
    type: fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(...TYPES) },
      { weight: 1, arbitrary: scalar },
    ),
    messageId: fc.oneof({ weight: 8, arbitrary: fc.uuid() }, { weight: 1, arbitrary: text }),
    userId: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5') },
      { weight: 2, arbitrary: text },
      { weight: 1, arbitrary: fc.integer() },
    ),
    anonymousId: fc.oneof(fc.constantFrom('a1', 'a2', 'a3'), text),
    previousId: fc.oneof(fc.constantFrom('a1', 'a2', 'u1'), text),
    groupId: text,
    event: fc.oneof(fc.constantFrom('Product Viewed', 'Order Completed', 'Product Added'), text),
    name: text,
    timestamp: time,
    sentAt: time,
    properties: fc.oneof({ weight: 9, arbitrary: dict }, { weight: 1, arbitrary: scalar }),
    traits: fc.oneof(
      { weight: 5, arbitrary: dict },
      {
        weight: 3,
        arbitrary: fc.record({
          email: fc.oneof(fc.emailAddress(), text),
          email_opt_in: fc.oneof(fc.boolean(), text),
          first_name: text,
        }),
      },
      { weight: 1, arbitrary: scalar },
    ),
    context: dict,
  },
  { requiredKeys: ['type', 'messageId'] },
);

type Request = { url: string; body: string; sent: unknown[] };
const request: fc.Arbitrary<Request> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom(...TYPES), event)
      .map(([type, e]) => ({ url: `/v1/${type}`, body: JSON.stringify(e), sent: [e] })),
  },
  {
    weight: 3,
    arbitrary: fc
      .array(event, { minLength: 1, maxLength: 10 })
      .map((batch) => ({ url: '/v1/batch', body: JSON.stringify({ batch }), sent: batch })),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        json.map((v) => JSON.stringify(v) ?? 'null'),
        fc.string(),
      )
      .chain((body) =>
        fc
          .constantFrom(...TYPES, 'batch')
          .map((route) => ({ url: `/v1/${route}`, body, sent: [] })),
      ),
  },
);

describe.each(STORE_KINDS)('seeded ingestion fuzz (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  it(
    `answers ${REQUESTS} generated requests without a 5xx and loses no acknowledged event`,
    { timeout: 600_000 },
    async () => {
      const requests = fc.sample(request, { seed: SEED, numRuns: REQUESTS });
      const statuses = new Map<number, number>();
      /** messageId -> what was sent, for every event the server said it stored. */
      const acked = new Map<string, unknown>();
      const people = new Set<string>();
      let freshWithoutId = 0;
      let fresh = 0;
      const post = async (r: Request) => {
        const res = await t.app.inject({
          method: 'POST',
          url: r.url,
          headers: { authorization: basic(t.keys.write), 'content-type': 'application/json' },
          payload: r.body,
        });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500)
          throw new Error(`${res.statusCode} for ${r.url} ${r.body.slice(0, 500)}`);
        if (res.statusCode !== 200) return;
        const body = res.json<{ duplicate?: boolean; rejected?: { index: number }[] }>();
        const refused = new Set((body.rejected ?? []).map((x) => x.index));
        r.sent.forEach((e, index) => {
          if (refused.has(index) || (r.url !== '/v1/batch' && body.duplicate)) return;
          const id = (e as { messageId?: unknown }).messageId;
          const userId = (e as { userId?: unknown }).userId;
          if (typeof userId === 'string') people.add(userId);
          if (typeof id !== 'string') {
            freshWithoutId++;
            fresh++;
          } else if (!acked.has(id)) {
            acked.set(id, JSON.parse(JSON.stringify(e)) as unknown);
            fresh++;
          }
        });
      };
      for (let i = 0; i < requests.length; i += CONCURRENCY) {
        await Promise.all(requests.slice(i, i + CONCURRENCY).map(post));
        if (i % 2_000 === 0) await t.ctx.profiles.drain();
      }
      expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
      // The generator reaches every outcome, so the run tests something.
      expect(statuses.get(200)).toBeGreaterThan(REQUESTS / 4);
      expect(statuses.get(400)).toBeGreaterThan(REQUESTS / 20);

      // Every acknowledged event is processed by the profile stage, none quarantined.
      await t.ctx.profiles.drain();
      expect(await countPending(t.ctx.store)).toBe(0);
      const quarantined = await t.app.inject({
        method: 'GET',
        url: '/v1/admin/quarantine',
        headers: { authorization: `Bearer ${t.keys.admin}` },
      });
      expect(quarantined.json().quarantined).toEqual([]);

      // And reads back through the API as sent (a single event's type may be implied by its route).
      const stored = new Map<string, Record<string, unknown>>();
      let total = 0;
      for (let cursor: string | null = ''; cursor !== null;) {
        const page: { statusCode: number; json(): unknown } = await t.app.inject({
          method: 'GET',
          url: `/v1/events?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
          headers: { authorization: `Bearer ${t.keys.read}` },
        });
        expect(page.statusCode).toBe(200);
        const body = page.json() as {
          events: { messageId: string; payload: Record<string, unknown> }[];
          nextCursor: string | null;
        };
        for (const e of body.events) stored.set(e.messageId, e.payload);
        total += body.events.length;
        cursor = body.nextCursor;
      }
      expect(total).toBe(fresh);
      expect(stored.size).toBe(acked.size + freshWithoutId);
      for (const [id, sent] of acked) expect(stored.get(id), id).toEqual(sent);

      // Every person an acknowledged event named has a profile that reads back.
      for (const userId of [...people].slice(0, 300)) {
        const res = await t.app.inject({
          method: 'GET',
          url: `/v1/profiles/user_id/${encodeURIComponent(userId)}`,
          headers: { authorization: `Bearer ${t.keys.read}` },
        });
        expect(res.statusCode, userId).toBeLessThan(500);
      }
    },
  );
});
