import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { STORE_KINDS } from '../helpers/stores.js';

interface ErrorBody {
  error: { code: string; message: string; details: { path: string; problem: string }[] };
}

/** A TCP server on loopback that accepts connections and never says a word. */
async function startSilent(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A loopback port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const s = await startSilent();
  await s.close();
  return s.port;
}

/** A real SMTP server that wants a login and refuses every password. */
async function startLockedSmtp(): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(_auth, _session, callback) {
      callback(new Error('5.7.8 Authentication credentials invalid'));
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
});

describe.each(STORE_KINDS)('the e-mail checks of the settings page (%s)', (kind) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });
  const smtpTest = (app: TestApp, key = app.keys.admin) =>
    send(app, 'POST', '/v1/admin/settings/smtp-test', key);

  it('answers ok from a real SMTP server, and 403 to a read key', async () => {
    t = await createTestApp(kind, { smtpUrl: smtp.url });
    const res = await smtpTest(t);
    expect(res.statusCode, res.body).toBe(200);
    const port = new URL(smtp.url).port;
    expect(res.json()).toMatchObject({ ok: true, server: `127.0.0.1:${port}` });
    expect(res.json()).not.toHaveProperty('error');
    expect((await smtpTest(t, t.keys.read)).statusCode).toBe(403);
  });

  it('answers the error, without hanging, from a server that never greets', async () => {
    const silent = await startSilent();
    try {
      t = await createTestApp(kind, {
        smtpUrl: `smtp://127.0.0.1:${silent.port}`,
        smtpCheckTimeoutMs: 300,
      });
      const res = await smtpTest(t);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{ ok: boolean; error: string; ms: number }>();
      expect(body.ok).toBe(false);
      expect(body.error).toMatch(/^no greeting or reply from the server within 300 ms/);
      // Bounded by the configured wait, not by nodemailer's default 30 s.
      expect(body.ms).toBeLessThan(5_000);
    } finally {
      await silent.close();
    }
  });

  it('answers a refused login and a closed port with their errors, never the password', async () => {
    const locked = await startLockedSmtp();
    try {
      t = await createTestApp(kind, { smtpUrl: `smtp://ops:hunter22@127.0.0.1:${locked.port}` });
      const res = await smtpTest(t);
      expect(res.json()).toMatchObject({ ok: false });
      expect(res.json<{ error: string }>().error).toMatch(/Authentication credentials invalid/);
      expect(res.body).not.toContain('hunter22');
      const setup = await send(t, 'GET', '/v1/admin/settings/email-setup', t.keys.read);
      expect(setup.json<{ smtp: unknown }>().smtp).toEqual({
        host: '127.0.0.1',
        port: locked.port,
        secure: false,
        login: true,
      });
      expect(setup.body).not.toContain('hunter22');
      expect(setup.body).not.toContain('ops');
    } finally {
      await locked.close();
    }
    await t.close();
    // The port is closed now.
    t = await createTestApp(kind, { smtpUrl: `smtp://127.0.0.1:${await closedPort()}` });
    const closed = await smtpTest(t);
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ ok: false });
    expect(closed.json<{ error: string }>().error).toMatch(/ECONNREFUSED/);
  });

  it('answers 409 naming SMTP_URL when it is not set', async () => {
    t = await createTestApp(kind);
    const res = await smtpTest(t);
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error.details.map((d) => d.path)).toEqual(['SMTP_URL']);
  });

  it('shows a read key where the public URL comes from and what keeps e-mail from going out', async () => {
    t = await createTestApp(kind, { publicUrl: 'https://r.example.com' });
    const res = await send(t, 'GET', '/v1/admin/settings/email-setup', t.keys.read);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      publicUrl: 'https://r.example.com',
      publicUrlFrom: 'config',
      smtp: null,
      missing: [
        expect.objectContaining({ path: 'SMTP_URL' }),
        expect.objectContaining({ path: 'settings.email.from' }),
      ],
    });
    await t.close();
    t = await createTestApp(kind, { smtpUrl: smtp.url });
    const fromListen = await send(t, 'GET', '/v1/admin/settings/email-setup', t.keys.admin);
    expect(fromListen.json()).toMatchObject({
      publicUrlFrom: 'listening address',
      missing: [
        expect.objectContaining({ path: 'RAPPORT_PUBLIC_URL' }),
        expect.objectContaining({ path: 'settings.email.from' }),
      ],
    });
    const write = await send(t, 'GET', '/v1/admin/settings/email-setup', t.keys.write);
    expect(write.statusCode).toBe(403);
  });
});
