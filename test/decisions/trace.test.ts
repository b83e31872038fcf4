// A decision shows in the person's "why this, why now" trace (issues #15 and #16).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { decide, offer, person, placement } from './fixtures.js';

describe.each(STORE_KINDS)('decisions in the trace (%s)', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(kind);
  });
  afterEach(async () => t.close());

  it('lists each decision with its placement, offer, policy and propensity', async () => {
    await offer(t, 'none', { kind: 'no_offer' });
    await offer(t, 'ten', { priority: 5 });
    await placement(t, 'hero', { candidates: ['ten'], default: 'none' });
    await person(t, 'ann');
    const d = await decide(t, { placement: 'hero', userId: 'ann' });
    const res = await send(t, 'GET', '/v1/profiles/user_id/ann/trace', t.keys.read);
    expect(res.statusCode, res.body).toBe(200);
    const entries = res.json<{ entries: { id: string; kind: string; detail: unknown }[] }>()
      .entries;
    const decision = entries.find((e) => e.kind === 'decision');
    expect(decision?.id).toBe(`decision:${d.decisionId}`);
    expect(decision?.detail).toMatchObject({
      placement: 'hero',
      offer: 'ten',
      policy: 'fixed',
      propensity: 1,
    });
  });
});
