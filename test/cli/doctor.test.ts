import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';

interface Report {
  ok: boolean;
  checks: { name: string; status: string; message: string; fix?: string }[];
}

describe('rapport doctor', () => {
  let t: TestApp;
  let url: string;
  let smtpUrl: string;
  const greeted: string[] = [];
  let smtp: SMTPServer;
  const empty = mkdtempSync(join(tmpdir(), 'rapport-doctor-'));
  beforeAll(async () => {
    // A real SMTP server on loopback that records the name each client greets it with.
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onClose(session) {
        if (session.hostNameAppearsAs) greeted.push(session.hostNameAppearsAs);
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    t = await createTestApp('sqlite');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'hello@shop.example.com' },
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((r) => smtp.close(() => r()));
    rmSync(empty, { recursive: true, force: true });
  });

  const doctor = async (data: string, env: Record<string, string>) => {
    const res = await runCli(['doctor', '--data', data, '--json'], {
      SMTP_URL: '',
      RAPPORT_PUBLIC_URL: '',
      RAPPORT_ENCRYPTION_KEY: '',
      ...env,
    });
    const report = JSON.parse(res.stdout) as Report;
    return {
      code: res.code,
      report,
      status: (name: string) => report.checks.find((c) => c.name === name),
    };
  };

  it('passes the store, keys, sender, SMTP (connect and EHLO) and health, and fails an http public URL with SMTP on', async () => {
    const r = await doctor(t.testStore.dataDir!, { SMTP_URL: smtpUrl, RAPPORT_PUBLIC_URL: url });
    expect(r.status('store')).toMatchObject({ status: 'ok' });
    expect(r.status('keys:default')).toMatchObject({ status: 'ok' });
    expect(r.status('sender:default')).toMatchObject({
      status: 'ok',
      message: 'e-mail from hello@shop.example.com',
    });
    expect(r.status('smtp')).toMatchObject({ status: 'ok', message: 'connected, EHLO answered' });
    expect(greeted.length).toBeGreaterThan(0);
    expect(r.status('public-url-health')).toMatchObject({ status: 'ok' });
    expect(r.status('encryption')).toMatchObject({ status: 'warn' });
    expect(r.status('public-url')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('RAPPORT_PUBLIC_URL=https://') as string,
    });
    expect(r.report.ok).toBe(false);
    expect(r.code).toBe(1);
  });

  it('exits 0 with warnings only when e-mail is off', async () => {
    const r = await doctor(t.testStore.dataDir!, { RAPPORT_PUBLIC_URL: url });
    expect(r.report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(r.status('smtp')).toMatchObject({ status: 'warn' });
    expect(r.report.ok).toBe(true);
    expect(r.code).toBe(0);
  });

  it('says what to fix in a broken configuration, and exits 1', async () => {
    const r = await doctor(empty, {
      SMTP_URL: 'smtp://127.0.0.1:9?connectionTimeout=2000',
      RAPPORT_PUBLIC_URL: 'http://127.0.0.1:9',
    });
    expect(r.code).toBe(1);
    expect(r.status('store')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('rapport start') as string,
    });
    expect(r.status('smtp')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('cannot use the SMTP server') as string,
    });
    expect(r.status('public-url-health')).toMatchObject({ status: 'fail' });
    const bad = await doctor(empty, { RAPPORT_PORT: 'eighty' });
    expect(bad.code).toBe(1);
    expect(bad.report.checks).toEqual([
      expect.objectContaining({
        name: 'config',
        status: 'fail',
        message: expect.stringContaining('RAPPORT_PORT') as string,
      }),
    ]);
  });
});
