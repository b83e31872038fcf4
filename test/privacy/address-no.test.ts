import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMessages } from '../../src/messaging/index.js';
import { LinkMaker } from '../../src/messaging/links.js';
import {
  compareStatements,
  foldStatements,
  mayContact,
  type ConsentChange,
  type ConsentSource,
} from '../../src/privacy/index.js';
import { SOURCE_STRENGTH } from '../../src/privacy/consent/merge.js';
import { ManualClock } from '../../src/shared/clock.js';
import { withTransaction } from '../../src/store/index.js';
import { workspaceSecrets } from '../../src/workspaces/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { recipientsOf, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { STORE_KINDS } from '../helpers/stores.js';

const MINUTE = 60_000;
const email = { kind: 'channel', channel: 'email' } as const;

describe.each(STORE_KINDS)('a "no" belongs to the address as well as the person (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  let smtp: TestSmtp;
  let links: LinkMaker;
  let run = 0;
  beforeAll(async () => {
    smtp = await startSmtp();
    clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
    t = await createTestApp(kind, { clock, smtpUrl: smtp.url, publicUrl: 'https://r.example.com' });
    await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'news@shop.example.com' },
    });
    links = new LinkMaker(
      'https://r.example.com',
      (await workspaceSecrets(t.ctx.store.db, clock, 'default')).linkSecret,
    );
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const profileId = async (userId: string): Promise<string> =>
    (await send(t, 'GET', `/v1/profiles/user_id/${encodeURIComponent(userId)}`, t.keys.read)).json()
      .id as string;
  const anonProfileId = async (anonymousId: string): Promise<string> =>
    (await send(t, 'GET', `/v1/profiles/anonymous_id/${anonymousId}`, t.keys.read)).json()
      .id as string;

  /** Queues one marketing e-mail per profile, delivers them, returns who got one. */
  async function mailEach(profileIds: string[]): Promise<string[]> {
    await t.ctx.profiles.drain();
    const before = smtp.mails.length;
    run++;
    await withTransaction(t.ctx.store, (tx) =>
      enqueueMessages(
        tx,
        profileIds.map((p) => ({
          workspaceId: 'default',
          profileId: p,
          journeyId: null,
          runId: null,
          stepId: null,
          idempotencyKey: `run-${run}-${p}`,
          channel: 'email',
          kind: 'send',
          topic: null,
          priority: 0,
          payload: { message: { content: { subject: 'News', html: '<p>Hello</p>' } } },
        })),
        clock.now(),
      ),
    );
    while (await t.ctx.outbox.step()) {
      // deliver everything due
    }
    return smtp.mails.slice(before).flatMap(recipientsOf).sort();
  }

  const unsubscribe = async (pid: string) => {
    const url = new URL(links.unsubscribe('default', pid, 'email', `m-${pid}`, clock.now()));
    const res = await t.app.inject({
      method: 'POST',
      url: url.pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
  };
  const preferences = async (pid: string, emailOn: boolean) => {
    const url = new URL(links.preferences('default', pid, clock.now()));
    const res = await t.app.inject({
      method: 'POST',
      url: url.pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `${emailOn ? 'channel:email=on&' : ''}submitted=1`,
    });
    expect(res.statusCode).toBe(200);
  };

  it('sends nothing to an unsubscribed address that other profiles claim with a "yes"', async () => {
    const addr = 'shared@x.test';
    await send(t, 'POST', '/v1/identify', t.keys.write, {
      userId: 'first',
      traits: { email: addr, email_opt_in: true },
    });
    await t.ctx.profiles.drain();
    const first = await profileId('first');
    expect(await mailEach([first])).toEqual([addr]);

    clock.advance(MINUTE);
    await unsubscribe(first);
    clock.advance(MINUTE);
    // A second user id, an anonymous visitor aliased to a third, and an anonymous
    // identify, each saying yes for the same address with the public write key.
    await send(t, 'POST', '/v1/identify', t.keys.write, {
      userId: 'second',
      traits: { email: addr, email_opt_in: true },
    });
    await send(t, 'POST', '/v1/alias', t.keys.write, { previousId: 'anon-3', userId: 'third' });
    await send(t, 'POST', '/v1/identify', t.keys.write, {
      userId: 'third',
      traits: { email: addr, email_opt_in: true },
    });
    // This one shares the address with the first person, so identity resolution makes it
    // theirs: their own unsubscribe then outranks the weaker, later "yes".
    await send(t, 'POST', '/v1/identify', t.keys.write, {
      anonymousId: 'anon-4',
      traits: { email: 'SHARED@x.test ', email_opt_in: true },
    });
    await t.ctx.profiles.drain();
    expect(await anonProfileId('anon-4')).toBe(first);
    // And the consent API with the write key.
    clock.advance(MINUTE);
    const second = await profileId('second');
    const third = await profileId('third');
    expect(
      (await send(t, 'PUT', '/v1/profiles/user_id/second/consent', t.keys.write, { email: true }))
        .statusCode,
    ).toBe(200);
    expect(new Set([first, second, third]).size).toBe(3);
    expect(await mailEach([first, second, third])).toEqual([]);
    const skipped = (await send(t, 'GET', '/v1/messages?status=skipped', t.keys.read)).json()
      .messages as { profileId: string; reason: string }[];
    const reasons = new Map(skipped.map((m) => [m.profileId, m.reason]));
    expect(reasons.get(first)).toMatch(/^channel_denied: email is denied \(unsubscribe/);
    for (const p of [second, third]) {
      expect(reasons.get(p)).toMatch(/^address_denied: email address is denied \(unsubscribe/);
    }

    // A yes as strong as the no lifts it: an admin key speaking for the second person.
    clock.advance(MINUTE);
    const admin = await send(t, 'PUT', '/v1/profiles/user_id/second/consent', t.keys.admin, {
      email: true,
    });
    expect(admin.json().channels.email).toMatchObject({ state: 'granted', source: 'admin' });
    // The first person's own "no" still holds for them.
    expect(await mailEach([first, second])).toEqual([addr]);
  });

  it('lets the preference center undo an unsubscribe, and an identify never', async () => {
    const addr = 'pc@x.test';
    await send(t, 'POST', '/v1/identify', t.keys.write, {
      userId: 'pc',
      traits: { email: addr, email_opt_in: true },
    });
    await t.ctx.profiles.drain();
    const pid = await profileId('pc');
    clock.advance(MINUTE);
    await unsubscribe(pid);
    clock.advance(MINUTE);
    await send(t, 'POST', '/v1/identify', t.keys.write, {
      userId: 'pc',
      traits: { email_opt_in: true },
    });
    expect(await mailEach([pid])).toEqual([]);
    clock.advance(MINUTE);
    await preferences(pid, true);
    expect(await mailEach([pid])).toEqual([addr]);
  });

  // The property: random statements by people sharing addresses, in random order and with
  // out-of-order times, then one e-mail to everyone. No e-mail may reach an address whose
  // latest statement among the strongest is a "no"; and who gets one is exactly what the
  // pure fold of the same statements decides.
  type Op =
    | { kind: 'identify'; user: number; optIn: boolean; backdate: number }
    | { kind: 'api'; user: number; optIn: boolean; key: 'write' | 'admin' }
    | { kind: 'preferences'; user: number; optIn: boolean }
    | { kind: 'unsubscribe'; user: number };
  const user = fc.integer({ min: 0, max: 2 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constant('identify' as const),
      user,
      optIn: fc.boolean(),
      backdate: fc.integer({ min: 0, max: 4 }),
    }),
    fc.record({
      kind: fc.constant('api' as const),
      user,
      optIn: fc.boolean(),
      key: fc.constantFrom('write' as const, 'admin' as const),
    }),
    fc.record({ kind: fc.constant('preferences' as const), user, optIn: fc.boolean() }),
    fc.record({ kind: fc.constant('unsubscribe' as const), user }),
  );

  it('never sends to an address whose strongest latest statement is a "no" (property)', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(
          fc.integer({ min: 0, max: 1 }),
          fc.integer({ min: 0, max: 1 }),
          fc.integer({ min: 0, max: 1 }),
        ),
        fc.array(op, { minLength: 1, maxLength: 8 }),
        async (addressOf, ops) => {
          round++;
          const userIds = [0, 1, 2].map((u) => `r${round}-u${u}`);
          const addresses = [0, 1].map((a) => `r${round}-a${a}@x.test`);
          const addr = (u: number) => addresses[addressOf[u]!]!;
          for (const [u, id] of userIds.entries()) {
            await send(t, 'POST', '/v1/identify', t.keys.write, {
              userId: id,
              traits: { email: addr(u) },
            });
          }
          await t.ctx.profiles.drain();
          const pids = await Promise.all(userIds.map(profileId));
          const byAddress = new Map<string, ConsentChange[]>(addresses.map((a) => [a, []]));
          const byPerson = new Map<number, ConsentChange[]>([0, 1, 2].map((u) => [u, []]));
          const said = (
            u: number,
            state: 'granted' | 'denied',
            source: ConsentSource,
            at: number,
          ) => {
            const s: ConsentChange = { target: email, state, source, at };
            byAddress.get(addr(u))!.push(s);
            byPerson.get(u)!.push(s);
          };
          for (const o of ops) {
            clock.advance(MINUTE);
            const now = clock.now();
            const state = o.kind !== 'unsubscribe' && o.optIn ? 'granted' : 'denied';
            if (o.kind === 'identify') {
              const at = now - o.backdate * MINUTE;
              await send(t, 'POST', '/v1/identify', t.keys.write, {
                userId: userIds[o.user],
                timestamp: new Date(at).toISOString(),
                traits: { email_opt_in: o.optIn },
              });
              await t.ctx.profiles.drain();
              said(o.user, state, 'identify', at);
            } else if (o.kind === 'api') {
              const key = o.key === 'admin' ? t.keys.admin : t.keys.write;
              await send(t, 'PUT', `/v1/profiles/user_id/${userIds[o.user]}/consent`, key, {
                email: o.optIn,
              });
              said(o.user, state, o.key === 'admin' ? 'admin' : 'api', now);
            } else if (o.kind === 'preferences') {
              await preferences(pids[o.user]!, o.optIn);
              said(o.user, state, 'preference_center', now);
            } else {
              await unsubscribe(pids[o.user]!);
              said(o.user, 'denied', 'unsubscribe', now);
            }
          }
          clock.advance(MINUTE);
          const reached = new Set(await mailEach(pids));

          for (const [address, statements] of byAddress) {
            if (statements.length === 0) continue;
            const strongest = Math.max(...statements.map((s) => SOURCE_STRENGTH[s.source]));
            const latest = statements
              .filter((s) => SOURCE_STRENGTH[s.source] === strongest)
              .sort(compareStatements)
              .at(-1)!;
            if (latest.state === 'denied') expect(reached.has(address)).toBe(false);
          }
          const expected = [0, 1, 2]
            .filter(
              (u) =>
                mayContact(foldStatements(byPerson.get(u)!), {
                  channel: 'email',
                  addressConsents: foldStatements(byAddress.get(addr(u))!),
                }).kind === 'ok',
            )
            .map(addr);
          expect([...reached].sort()).toEqual([...new Set(expected)].sort());
        },
      ),
      { numRuns: 25 },
    );
  });
});
