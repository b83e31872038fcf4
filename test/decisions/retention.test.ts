// Retention of the decision log (issue #17, `privacy.retention.decisionsDays`): decisions
// older than the workspace keeps go once their attribution window is over.
import { afterEach, describe, expect, it } from 'vitest';
import { RETENTION_STEPS } from '../../src/app/personal-data.js';
import { RetentionRunner } from '../../src/erasure/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { decide, offer, person, placement } from './fixtures.js';

const DAY = 86_400_000;

describe.each(STORE_KINDS)('decision log retention (%s)', (kind) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('deletes decisions past their days and window, keeping newer ones', async () => {
    const clock = new ManualClock(Date.UTC(2026, 9, 1, 12));
    t = await createTestApp(kind, { clock });
    await offer(t, 'none', { kind: 'no_offer' });
    await offer(t, 'ten');
    await placement(t, 'hero', { candidates: ['ten'], default: 'none' });
    await person(t, 'ann');
    const old = await decide(t, { placement: 'hero', userId: 'ann' });
    clock.set(clock.now() + 40 * DAY);
    const recent = await decide(t, { placement: 'hero', userId: 'ann' });

    const admin = t.keys.admin;
    const settings = (await send(t, 'GET', '/v1/admin/settings', admin)).json<object>();
    const put = await send(t, 'PUT', '/v1/admin/settings', admin, {
      ...settings,
      privacy: { retention: { decisionsDays: 30 } },
    });
    expect(put.statusCode, put.body).toBe(200);

    const runner = new RetentionRunner(t.ctx.store, clock, RETENTION_STEPS, 10);
    expect(await runner.runWorkspace('default', clock.now())).toEqual({ decisions: 1 });
    const left = await t.ctx.store.db.selectFrom('decisions').select('id').execute();
    expect(left.map((d) => d.id)).toEqual([recent.decisionId]);
    expect(left.map((d) => d.id)).not.toContain(old.decisionId);
  });
});
