import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

interface ErrorBody {
  error: { code: string; details: { path: string; problem: string }[] };
}

// Saved as drafts: activating an e-mail journey also needs e-mail set up (email-ready.test.ts).
const journey = (templateId: string, channel = 'email') => ({
  activate: false,
  definition: {
    id: `j_${channel}_${templateId.replace(/[^a-z0-9]/gi, '')}`,
    name: 'Welcome',
    trigger: { type: 'event', event: 'Signed Up' },
    start: 'hello',
    steps: [
      { id: 'hello', type: 'send', channel, message: { templateId }, next: 'done' },
      { id: 'done', type: 'exit' },
    ],
  },
});

describe.each(STORE_KINDS)('a journey naming a missing template (%s)', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(kind);
    const res = await send(t, 'POST', '/v1/templates', t.keys.admin, {
      id: 'welcome_mail',
      name: 'Welcome',
      channel: 'email',
      subject: 'Hi {{ profile.traits.first_name }}',
      text: 'Welcome!',
    });
    expect(res.statusCode).toBe(201);
  });
  afterEach(async () => {
    await t.close();
  });

  it('is refused when saved, naming the step and the likely template', async () => {
    const res = await send(t, 'POST', '/v1/journeys', t.keys.admin, journey('welcome_mial'));
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.details).toEqual([
      {
        path: 'definition.steps.0.message.templateId',
        problem:
          'no template "welcome_mial" in this workspace; did you mean "welcome_mail"? (create it with POST /v1/templates)',
      },
    ]);
    const list = await send(t, 'GET', '/v1/journeys', t.keys.read);
    expect(list.json<{ journeys: unknown[] }>().journeys).toEqual([]);
  });

  it('is refused when the template is for another channel', async () => {
    const res = await send(
      t,
      'POST',
      '/v1/journeys',
      t.keys.admin,
      journey('welcome_mail', 'push'),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.details[0]).toEqual({
      path: 'definition.steps.0.message.templateId',
      problem:
        'template "welcome_mail" is for email; this step sends push (add "welcome_mail.push" or pick a push template)',
    });
  });

  it('is refused on update and from a recipe, and an existing template is accepted', async () => {
    const ok = await send(t, 'POST', '/v1/journeys', t.keys.admin, journey('welcome_mail'));
    expect(ok.statusCode).toBe(201);
    const id = ok.json<{ id: string }>().id;
    const def = journey('nope').definition;
    const put = await send(t, 'PUT', `/v1/journeys/${id}`, t.keys.admin, { ...def, id });
    expect(put.statusCode).toBe(400);
    expect(put.json<ErrorBody>().error.details[0]!.path).toBe(
      'definition.steps.0.message.templateId',
    );
    const recipe = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      recipe: 'cart_abandonment',
      params: { templateId: 'cart_reminder_typo', channel: 'email' },
    });
    expect(recipe.statusCode).toBe(400);
    expect(recipe.json<ErrorBody>().error.details[0]!.problem).toContain(
      'no template "cart_reminder_typo"',
    );
    // A webhook send renders nothing here: its template id goes to the receiver.
    const hook = await send(t, 'POST', '/v1/journeys', t.keys.admin, journey('theirs', 'webhook'));
    expect(hook.statusCode).toBe(201);
  });
});
