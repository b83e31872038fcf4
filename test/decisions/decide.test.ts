// The one decide function: eligibility, caps, holdout, consent and the default, each
// seen in what POST /v1/decide answers and in the decision log (issue #15).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { withTransaction } from '../../src/store/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { decide, offer, person, placement } from './fixtures.js';

const DAY = 86_400_000;

describe.each(STORE_KINDS)('decide (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 1, 12));
    t = await createTestApp(kind, { clock });
    await offer(t, 'none', { kind: 'no_offer' });
  });
  afterEach(async () => t.close());

  const log = () =>
    t.ctx.store.db
      .selectFrom('decisions')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();

  it('gives a person over their cap the next eligible offer, and the cap frees up with time', async () => {
    await offer(t, 'best', { priority: 10, caps: { perPerson: { max: 2, within: 'P30D' } } });
    await offer(t, 'next', { priority: 5 });
    await placement(t, 'hero', { candidates: ['next', 'best'], default: 'none' });
    await person(t, 'ann');
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push((await decide(t, { placement: 'hero', userId: 'ann' })).offer?.id);
    expect(ids).toEqual(['best', 'best', 'next']);
    const third = await decide(t, { placement: 'hero', userId: 'ann' });
    expect(third.reasons).toContain('excluded:best:capped');
    // Another person is not capped by Ann's decisions.
    await person(t, 'bob');
    expect((await decide(t, { placement: 'hero', userId: 'bob' })).offer?.id).toBe('best');
    clock.advance(31 * DAY);
    expect((await decide(t, { placement: 'hero', userId: 'ann' })).offer?.id).toBe('best');
  });

  it('counts a decision made in a transaction (a journey step) at the next decide of the API', async () => {
    await offer(t, 'twice', { priority: 10, caps: { perPerson: { max: 2, within: 'P30D' } } });
    await offer(t, 'next', { priority: 5 });
    await placement(t, 'hero', { candidates: ['next', 'twice'], default: 'none' });
    await person(t, 'cy');
    // The API decides once: Cy's cap history (one decision) is now kept by the service.
    expect((await decide(t, { placement: 'hero', userId: 'cy' })).offer?.id).toBe('twice');
    const { profile_id: profileId } = await t.ctx.store.db
      .selectFrom('identities')
      .select('profile_id')
      .where('value', '=', 'cy')
      .executeTakeFirstOrThrow();
    const inTx = await withTransaction(t.ctx.store, (tx) =>
      t.ctx.decisions.decide({ workspaceId: 'default', placement: 'hero', profileId, tx }),
    );
    expect(inTx.offer?.id).toBe('twice');
    const after = await decide(t, { placement: 'hero', userId: 'cy' });
    expect(after.offer?.id).toBe('next');
    expect(after.reasons).toContain('excluded:twice:capped');
  });

  it('applies eligibility over traits and request context', async () => {
    await offer(t, 'vip', { priority: 10, eligibility: { trait: 'tier', eq: 'gold' } });
    await offer(t, 'mobile', {
      priority: 5,
      eligibility: { context: 'device', eq: 'mobile' },
    });
    await placement(t, 'hero', { candidates: ['vip', 'mobile'], default: 'none' });
    await person(t, 'gold', { tier: 'gold' });
    await person(t, 'plain', { tier: 'basic' });
    expect((await decide(t, { placement: 'hero', userId: 'gold' })).offer?.id).toBe('vip');
    expect(
      (await decide(t, { placement: 'hero', userId: 'plain', context: { device: 'mobile' } })).offer
        ?.id,
    ).toBe('mobile');
    const none = await decide(t, {
      placement: 'hero',
      userId: 'plain',
      context: { device: 'desktop' },
    });
    expect(none.offer?.id).toBe('none');
    expect(none.reasons).toEqual(
      expect.arrayContaining([
        'no_eligible_offer',
        'excluded:vip:not_eligible',
        'excluded:mobile:not_eligible',
      ]),
    );
    // An anonymous caller the store never saw still gets an answer, never a 500.
    expect((await decide(t, { placement: 'hero', anonymousId: 'who' })).offer?.id).toBe('none');
  });

  it('gives the holdout the default and logs it as holdout', async () => {
    await offer(t, 'a');
    await placement(t, 'hero', { candidates: ['a'], default: 'none', holdoutPercent: 50 });
    const answers = [];
    for (let i = 0; i < 40; i++)
      answers.push(await decide(t, { placement: 'hero', anonymousId: `anon-${i}` }));
    const held = answers.filter((a) => a.holdout);
    expect(held.length).toBeGreaterThan(5);
    expect(held.length).toBeLessThan(35);
    for (const h of held)
      expect(h).toMatchObject({ offer: { id: 'none' }, propensity: 1, reasons: ['holdout'] });
    for (const a of answers.filter((x) => !x.holdout)) expect(a.offer?.id).toBe('a');
    // Stable per person: the same caller lands in the same group.
    const again = await decide(t, { placement: 'hero', anonymousId: 'anon-0' });
    expect(again.holdout).toBe(answers[0]!.holdout);
    const rows = await log();
    expect(rows).toHaveLength(41);
    expect(
      rows
        .filter((r) => r.holdout === 1)
        .map((r) => r.id)
        .sort(),
    ).toEqual(
      [...held.map((h) => h.decisionId), ...(again.holdout ? [again.decisionId] : [])].sort(),
    );
  });

  it('logs the propensity, distribution, policy version and offer version of each decision', async () => {
    await offer(t, 'a');
    await offer(t, 'b');
    await placement(t, 'hero', {
      candidates: ['a', 'b'],
      default: 'none',
      policy: { kind: 'weighted', weights: { a: 3, b: 1 } },
    });
    await person(t, 'ann');
    const d = await decide(t, {
      placement: 'hero',
      userId: 'ann',
      context: { device: 'mobile', hour: 9 },
    });
    expect(d.policy).toEqual({ kind: 'weighted', version: 1 });
    expect(d.propensity).toBe(d.offer?.id === 'a' ? 0.75 : 0.25);
    const [row] = await log();
    expect(row).toMatchObject({
      id: d.decisionId,
      placement_id: 'hero',
      offer_id: d.offer?.id,
      offer_version: 1,
      policy_kind: 'weighted',
      policy_version: 1,
      propensity: d.propensity,
      holdout: 0,
    });
    expect(JSON.parse(row!.distribution)).toEqual({ a: 0.75, b: 0.25 });
    expect(JSON.parse(row!.context)).toEqual({ device: 'mobile', hour: 9 });
    expect(JSON.parse(row!.features)).toMatchObject({ hour: 9, 'device=mobile': 1 });
  });

  it('uses a non-personalized policy for someone who opted out of personalization', async () => {
    await offer(t, 'low', { priority: 1 });
    await offer(t, 'high', { priority: 9 });
    await placement(t, 'hero', {
      candidates: ['low', 'high'],
      default: 'none',
      policy: { kind: 'weighted', weights: { low: 1, high: 0 } },
    });
    await person(t, 'private', { consent: { personalization: false } });
    await person(t, 'open');
    const d = await decide(t, {
      placement: 'hero',
      userId: 'private',
      context: { device: 'mobile' },
    });
    expect(d).toMatchObject({ offer: { id: 'high' }, policy: { kind: 'fixed' }, propensity: 1 });
    expect(d.reasons).toContain('not_personalized');
    expect(JSON.parse((await log())[0]!.features)).toEqual({});
    expect((await decide(t, { placement: 'hero', userId: 'open' })).offer?.id).toBe('low');
  });

  it('hands each person one code of the pool, the same one again, and skips an empty pool', async () => {
    await offer(t, 'coded', { priority: 9, codes: true });
    await offer(t, 'plain', { priority: 1 });
    await placement(t, 'hero', { candidates: ['coded', 'plain'], default: 'none' });
    await t.ctx.store.db
      .insertInto('offer_codes')
      .values(
        ['C1', 'C2'].map((code) => ({
          workspace_id: 'default',
          offer_id: 'coded',
          code,
          imported_at: 0,
        })),
      )
      .execute();
    for (const u of ['u1', 'u2', 'u3']) await person(t, u);
    const a = await decide(t, { placement: 'hero', userId: 'u1' });
    const b = await decide(t, { placement: 'hero', userId: 'u2' });
    expect([a.offer?.code, b.offer?.code].sort()).toEqual(['C1', 'C2']);
    expect((await decide(t, { placement: 'hero', userId: 'u1' })).offer?.code).toBe(a.offer?.code);
    const c = await decide(t, { placement: 'hero', userId: 'u3' });
    expect(c.offer?.id).toBe('plain');
    expect(c.reasons).toContain('excluded:coded:no_codes');
  });
});
