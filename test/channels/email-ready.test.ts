import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { startServer } from '../helpers/cli.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { STORE_KINDS } from '../helpers/stores.js';

interface ErrorBody {
  error: { code: string; message: string; details: { path: string; problem: string }[] };
}

const emailJourney = (activate: boolean) => ({
  activate,
  definition: {
    id: 'welcome',
    name: 'Welcome',
    trigger: { type: 'event', event: 'Signed Up' },
    start: 'hello',
    steps: [
      {
        id: 'hello',
        type: 'send',
        channel: 'email',
        message: { content: { subject: 'Hi', text: 'Welcome' } },
        next: 'done',
      },
      { id: 'done', type: 'exit' },
    ],
  },
});

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
});

describe.each(STORE_KINDS)('activating an e-mail journey (%s)', (kind) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('answers 400 naming every missing setting, and activates once they are set', async () => {
    t = await createTestApp(kind);
    const created = await send(t, 'POST', '/v1/journeys', t.keys.admin, emailJourney(true));
    expect(created.statusCode).toBe(400);
    const body = created.json<ErrorBody>();
    expect(body.error.message).toBe(
      'This journey sends e-mail, which cannot go out yet: set SMTP_URL, RAPPORT_PUBLIC_URL, settings.email.from (see details), then activate it.',
    );
    expect(body.error.details.map((d) => d.path)).toEqual([
      'SMTP_URL',
      'RAPPORT_PUBLIC_URL',
      'settings.email.from',
    ]);
    expect(body.error.details[1]!.problem).toContain('(now http://127.0.0.1:4700)');
    // Nothing was saved: the same journey can be created as a draft.
    const draft = await send(t, 'POST', '/v1/journeys', t.keys.admin, emailJourney(false));
    expect(draft.statusCode).toBe(201);
    const activate = await send(t, 'POST', '/v1/journeys/welcome/activate', t.keys.admin);
    expect(activate.statusCode).toBe(400);
    const still = await send(t, 'GET', '/v1/journeys/welcome', t.keys.read);
    expect(still.json<{ status: string }>().status).toBe('draft');
  });

  it('with SMTP but no https public URL, names the public URL only; then activates', async () => {
    t = await createTestApp(kind, { smtpUrl: smtp.url });
    await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'hello@shop.example.com' },
    });
    await send(t, 'POST', '/v1/journeys', t.keys.admin, emailJourney(false));
    const refused = await send(t, 'POST', '/v1/journeys/welcome/activate', t.keys.admin);
    expect(refused.statusCode).toBe(400);
    expect(refused.json<ErrorBody>().error.details).toEqual([
      {
        path: 'RAPPORT_PUBLIC_URL',
        problem:
          'must be an https:// URL people reach this server at (now http://127.0.0.1:4700): e-mails carry one-click unsubscribe links, which must be https (RFC 8058)',
      },
    ]);
    t.ctx.publicUrl = 'https://r.example.com';
    const ok = await send(t, 'POST', '/v1/journeys/welcome/activate', t.keys.admin);
    expect(ok.statusCode).toBe(200);
    expect(ok.json<{ status: string }>().status).toBe('active');
  });

  it("in capture mode (rapport demo's loopback catcher) needs no https public URL", async () => {
    t = await createTestApp(kind, { smtpUrl: smtp.url, emailCapture: true });
    const refused = await send(t, 'POST', '/v1/journeys', t.keys.admin, emailJourney(true));
    expect(refused.json<ErrorBody>().error.details.map((d) => d.path)).toEqual([
      'settings.email.from',
    ]);
    await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'hello@shop.example.com' },
    });
    expect(t.ctx.publicUrl).toBe('http://127.0.0.1:4700');
    const ok = await send(t, 'POST', '/v1/journeys', t.keys.admin, emailJourney(true));
    expect(ok.statusCode).toBe(201);
  });

  it('lets a journey without e-mail activate with nothing set up', async () => {
    t = await createTestApp(kind);
    const def = emailJourney(true);
    const [hello, done] = def.definition.steps;
    const webhook = {
      ...def,
      definition: { ...def.definition, steps: [{ ...hello, channel: 'webhook' }, done] },
    };
    const res = await send(t, 'POST', '/v1/journeys', t.keys.admin, webhook);
    expect(res.statusCode).toBe(201);
  });
});

describe('a fresh start', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('links to the port it listens on, warns about e-mail, and refuses an e-mail journey', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rapport-first-run-'));
    dirs.push(dir);
    const admin = 'first-run-admin-key-0123456789';
    const server = await startServer(['--data', dir], {
      SMTP_URL: smtp.url,
      RAPPORT_ADMIN_KEY: admin,
      RAPPORT_PUBLIC_URL: '',
    });
    try {
      const port = new URL(server.url).port;
      expect(port).not.toBe('4700');
      // The log line with the address comes after the warnings.
      expect(server.output()).toContain(`"publicUrl":"http://127.0.0.1:${port}"`);
      expect(server.output()).toContain(
        `E-mail cannot go out: the public URL is http://127.0.0.1:${port}`,
      );
      const res = await fetch(`${server.url}/v1/journeys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify(emailJourney(true)),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.details.map((d) => d.path)).toEqual([
        'RAPPORT_PUBLIC_URL',
        'settings.email.from',
      ]);
      expect(body.error.details[0]!.problem).toContain(`(now http://127.0.0.1:${port})`);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
