import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings, writeSettings } from '../../src/messaging/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const TEMPLATE = { name: 'T', channel: 'email', subject: 'Hi' };
const RELIGION_OK = {
  attribute: 'religion',
  use: 'segments',
  reason: 'holiday campaigns the person opted into',
};

interface ErrorBody {
  error: { code: string; message: string; details: { path: string; problem: string }[] };
}

describe.each(STORE_KINDS)('sensitive attributes over HTTP (%s)', (kind) => {
  let t: TestApp;
  const admin = () => t.keys.admin;
  const settingsWith = async (sensitive: unknown) => {
    const current = await send(t, 'GET', '/v1/admin/settings', admin());
    return send(t, 'PUT', '/v1/admin/settings', admin(), {
      ...current.json<Record<string, unknown>>(),
      sensitive,
    });
  };
  beforeAll(async () => {
    t = await createTestApp(kind);
    const res = await send(t, 'POST', '/v1/identify', t.keys.write, {
      userId: 'u-1',
      traits: { first_name: 'Ada', religion: 'x', diet: 'vegan', health: { allergy: 'nuts' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    await t.ctx.profiles.drain();
  }, 60_000);
  afterAll(() => t.close());

  it('refuses segment rules on a sensitive trait, naming the rule and the attribute', async () => {
    const definition = {
      all: [
        { trait: 'plan', eq: 'pro' },
        { trait: 'religion', eq: 'x' },
      ],
    };
    for (const [method, url] of [
      ['POST', '/v1/segments'],
      ['POST', '/v1/segments/preview'],
    ] as const) {
      const res = await send(t, method, url, admin(), { name: 'S', definition });
      expect(res.statusCode, res.body).toBe(400);
      const body = res.json<ErrorBody>();
      expect(body.error.message).toContain('"religion"');
      expect(body.error.details).toEqual([
        { path: 'definition.all.1.trait', problem: expect.stringContaining('category religion') },
      ]);
    }
    const list = await send(t, 'GET', '/v1/segments', t.keys.read);
    expect(list.json<{ segments: { name: string }[] }>().segments.map((s) => s.name)).not.toContain(
      'S',
    );

    const ok = await send(t, 'POST', '/v1/segments', admin(), {
      name: 'Plain',
      definition: { trait: 'plan', eq: 'pro' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const id = ok.json<{ id: string }>().id;
    const update = await send(t, 'PUT', `/v1/segments/${id}`, admin(), {
      name: 'Plain',
      definition: { not: { trait: 'health.allergy', exists: true } },
    });
    expect(update.statusCode).toBe(400);
    expect(update.json<ErrorBody>().error.details[0]!.path).toBe('definition.not.trait');
    const stored = await send(t, 'GET', `/v1/segments/${id}`, t.keys.read);
    expect(stored.json<{ definition: unknown }>().definition).toEqual({ trait: 'plan', eq: 'pro' });
  });

  it('lets a rule through once allowed with a reason, and only for that use', async () => {
    const allowed = await settingsWith({ allow: [RELIGION_OK] });
    expect(allowed.statusCode, allowed.body).toBe(200);
    // The allowance and its reason are on record, with who added it.
    const audit = await send(t, 'GET', '/v1/admin/audit?action=settings.update', admin());
    const entry = audit.json<{
      entries: { keyId: string; after: { sensitive: { allow: unknown[] } } }[];
    }>().entries[0]!;
    expect(entry.after.sensitive.allow).toEqual([RELIGION_OK]);
    expect(entry.keyId).toMatch(/^key_/);
    const seg = await send(t, 'POST', '/v1/segments', admin(), {
      name: 'Faith',
      definition: { trait: 'religion', eq: 'x' },
    });
    expect(seg.statusCode, seg.body).toBe(201);
    const tpl = await send(t, 'POST', '/v1/templates', admin(), {
      id: 'faith',
      ...TEMPLATE,
      html: '<p>{{ profile.traits.religion }}</p>',
    });
    expect(tpl.statusCode).toBe(400);
    expect(tpl.json<ErrorBody>().error.details[0]).toEqual({
      path: 'html',
      problem: expect.stringContaining('"religion"'),
    });

    // Taking the allowance back would leave the stored segment using religion: refused,
    // with the segment named.
    const back = await settingsWith({ allow: [] });
    expect(back.statusCode).toBe(400);
    const details = back.json<ErrorBody>().error.details;
    expect(details.map((d) => d.path)).toEqual([
      `segment ${seg.json<{ id: string }>().id}.definition.trait`,
    ]);
    expect((await readSettings(t.testStore.store.db, 'default')).sensitive.allow).toEqual([
      RELIGION_OK,
    ]);
    const del = await send(t, 'DELETE', `/v1/segments/${seg.json<{ id: string }>().id}`, admin());
    expect(del.statusCode).toBe(204);
    expect((await settingsWith({ allow: [] })).statusCode).toBe(200);
  });

  it("refuses a list that grows over stored rules, and the shop's own traits count", async () => {
    const seg = await send(t, 'POST', '/v1/segments', admin(), {
      name: 'Vegans',
      definition: { trait: 'diet', eq: 'vegan' },
    });
    expect(seg.statusCode, seg.body).toBe(201);
    const tpl = await send(t, 'POST', '/v1/templates', admin(), {
      id: 'diet',
      ...TEMPLATE,
      html: '{% if profile.traits.diet == "vegan" %}V{% endif %}',
    });
    expect(tpl.statusCode, tpl.body).toBe(201);
    const grow = await settingsWith({ traits: ['diet'] });
    expect(grow.statusCode).toBe(400);
    expect(grow.json<ErrorBody>().error.details.map((d) => d.path)).toEqual([
      `segment ${seg.json<{ id: string }>().id}.definition.trait`,
      'template diet.html',
    ]);
    const bad = await settingsWith({
      traits: ['a..b'],
      allow: [{ attribute: 'diet', use: 'ads', reason: '' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.details.map((d) => d.path)).toEqual(
      expect.arrayContaining([
        'sensitive.traits.0',
        'sensitive.allow.0.use',
        'sensitive.allow.0.reason',
      ]),
    );
  });

  it('refuses templates and journeys reading sensitive traits', async () => {
    const put = await send(t, 'PUT', '/v1/templates/diet', admin(), {
      ...TEMPLATE,
      text: 'Hi {{ profile.traits.first_name }}',
      html: '{% for a in profile.traits.health %}{{ a }}{% endfor %}',
    });
    expect(put.statusCode).toBe(400);
    expect(put.json<ErrorBody>().error.details.map((d) => d.path)).toEqual(['html']);

    const branch = await send(t, 'POST', '/v1/journeys', admin(), {
      definition: {
        name: 'J',
        trigger: { type: 'event', event: 'Signed Up' },
        start: 'b',
        steps: [
          {
            id: 'b',
            type: 'branch',
            cases: [{ condition: { trait: 'sexual_orientation', eq: 'x' }, next: 'done' }],
            default: 'done',
          },
          { id: 'done', type: 'exit' },
        ],
      },
    });
    expect(branch.statusCode, branch.body).toBe(400);
    expect(branch.json<ErrorBody>().error.details[0]!.path).toBe(
      'definition.steps.0.cases.0.condition.trait',
    );
    const hook = await send(t, 'POST', '/v1/journeys', admin(), {
      definition: {
        name: 'J',
        trigger: { type: 'event', event: 'Signed Up' },
        start: 'w',
        steps: [
          {
            id: 'w',
            type: 'webhook',
            url: 'https://shop.example/hook',
            body: { lat: '{{ profile.traits.location.latitude }}' },
            next: 'done',
          },
          { id: 'done', type: 'exit' },
        ],
      },
    });
    expect(hook.statusCode, hook.body).toBe(400);
    expect(hook.json<ErrorBody>().error.details[0]).toEqual({
      path: 'definition.steps.0.body.lat',
      problem: expect.stringContaining('category preciseLocation'),
    });
    const journeys = await send(t, 'GET', '/v1/journeys', t.keys.read);
    expect(journeys.json<{ journeys: unknown[] }>().journeys).toEqual([]);
  });

  it('keeps sensitive traits out of what a template renders, and re-checks at preview', async () => {
    const res = await send(t, 'POST', '/v1/templates', admin(), {
      id: 'dump',
      ...TEMPLATE,
      text: '{{ profile.traits | json }}',
    });
    expect(res.statusCode, res.body).toBe(201);
    const preview = await send(t, 'POST', '/v1/templates/dump/preview', admin(), { value: 'u-1' });
    expect(preview.statusCode, preview.body).toBe(200);
    const text = preview.json<{ fields: { text: string } }>().fields.text;
    expect(JSON.parse(text)).toEqual({ first_name: 'Ada', diet: 'vegan' });

    // A stored template that now reads a sensitive trait (settings written around the API)
    // still does not preview.
    const db = t.testStore.store.db;
    const settings = await readSettings(db, 'default');
    await writeSettings(db, t.clock, 'default', {
      ...settings,
      sensitive: { ...settings.sensitive, traits: ['diet'] },
    });
    const again = await send(t, 'POST', '/v1/templates/diet/preview', admin(), { value: 'u-1' });
    expect(again.statusCode).toBe(400);
    expect(again.json<ErrorBody>().error.details[0]!.path).toBe('html');
    await writeSettings(db, t.clock, 'default', settings);
  });
});
