import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, createTestApp, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const weirdString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('__proto__', 'constructor', "'; DROP TABLE events; --", '\u0000', '\ud800', ''),
);
const scalar = fc.oneof(
  weirdString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(1e308, -0, 2 ** 64),
);
const dict = fc.dictionary(weirdString, fc.oneof(scalar, fc.jsonValue({ maxDepth: 3 })), {
  maxKeys: 5,
});
/** Segment-shaped objects whose every field may be missing, right, or wrong. */
const eventish = fc.record(
  {
    type: fc.oneof(
      fc.constantFrom('track', 'identify', 'page', 'screen', 'group', 'alias'),
      scalar,
    ),
    userId: fc.oneof(weirdString, fc.integer(), fc.constant(null), dict),
    anonymousId: fc.oneof(weirdString, fc.constant(null)),
    event: fc.oneof(weirdString, scalar),
    name: scalar,
    previousId: fc.oneof(weirdString, scalar),
    groupId: fc.oneof(weirdString, scalar),
    messageId: fc.oneof(fc.uuid(), weirdString, scalar),
    timestamp: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      scalar,
    ),
    sentAt: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      scalar,
    ),
    properties: fc.oneof(dict, scalar),
    traits: fc.oneof(dict, scalar),
    context: fc.oneof(dict, scalar),
  },
  { requiredKeys: [] },
);

describe.each(STORE_KINDS)('ingestion fuzz (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  const count = async (table: 'events' | 'rejected_events') =>
    Number(
      (
        await t.ctx.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const post = (url: string, payload: string) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { authorization: basic(t.keys.write), 'content-type': 'application/json' },
      payload,
    });

  it('single-event endpoints answer 200, 400 or 413 and store exactly what they accept', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('track', 'identify', 'page', 'screen', 'group', 'alias'),
        fc.oneof(
          eventish.map((e) => JSON.stringify(e)),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        async (type, payload) => {
          const before = await count('events');
          const res = await post(`/v1/${type}`, payload);
          expect([200, 400, 413]).toContain(res.statusCode);
          const body = res.json();
          const after = await count('events');
          if (res.statusCode === 200) {
            expect(after - before).toBe(body.duplicate ? 0 : 1);
          } else {
            expect(body.error.code).toMatch(/^(invalid_request|payload_too_large)$/);
            expect(after).toBe(before);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('batches account for every item: accepted or rejected and kept', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(eventish, scalar), { minLength: 1, maxLength: 12 }),
        async (batch) => {
          const events = await count('events');
          const rejected = await count('rejected_events');
          const res = await post('/v1/batch', JSON.stringify({ batch }));
          expect([200, 400]).toContain(res.statusCode);
          const body: { accepted: number; duplicates: number; rejected: unknown[] } = res.json();
          expect(body.accepted + body.rejected.length).toBe(batch.length);
          expect((await count('events')) - events).toBe(body.accepted - body.duplicates);
          expect((await count('rejected_events')) - rejected).toBe(body.rejected.length);
        },
      ),
      { numRuns: 150 },
    );
  });
});
