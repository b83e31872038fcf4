import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { recipientsOf, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import {
  buildDashboard,
  consoleErrors,
  launchChromium,
  listen,
  screenshotDir,
  seedShop,
  signIn,
} from './browser-helpers.js';

/**
 * The Templates and Settings pages in Debian's Chromium against a real server and a real
 * SMTP server on loopback: editing, previewing and test-sending a template, changing
 * settings, creating, rotating and revoking keys; a read-key session that cannot save.
 */
describe('the templates and settings pages in a browser', { timeout: 90_000 }, () => {
  let web: string;
  let t: TestApp;
  let smtp: TestSmtp;
  let base: string;
  let browser: Browser;
  let shots: string;
  let page: Page;
  let errors: string[];
  const nav = (p: Page, name: string) =>
    p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
  const shot = (name: string) =>
    page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  /**
   * Takes the console lines of the refusals a step provoked on purpose (Chromium logs
   * every 4xx answer), exactly `count` of them: any other error stays for the last check.
   */
  const refusedOnPurpose = (count: number) => {
    const line = /Failed to load resource: the server responded with a status of 400/;
    expect(errors.filter((e) => line.test(e))).toHaveLength(count);
    // In place: the page's listener keeps pushing into this array.
    for (let i = errors.length - 1; i >= 0; i--) if (line.test(errors[i]!)) errors.splice(i, 1);
  };
  const apiGet = async (url: string) => {
    const res = await send(t, 'GET', url, t.keys.admin);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Record<string, unknown>>();
  };

  beforeAll(async () => {
    browser = await launchChromium();
    web = await buildDashboard();
    smtp = await startSmtp();
    t = await createTestApp('sqlite', { webRoot: web, smtpUrl: smtp.url });
    await seedShop(t);
    base = await listen(t);
    shots = screenshotDir();
    console.log(`dashboard screenshots: ${shots}`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    errors = consoleErrors(page);
    await signIn(page, base, t.keys.admin);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
    if (web) rmSync(web, { recursive: true, force: true });
  });

  it('shows where e-mail settings come from and tests the SMTP connection', async () => {
    await nav(page, 'Settings');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    expect(await page.getByTestId('public-url').textContent()).toBe(t.ctx.publicUrl);
    const port = new URL(smtp.url).port;
    expect(await page.getByTestId('smtp-server').textContent()).toContain(`127.0.0.1:${port}`);
    await page.getByRole('button', { name: 'Test the SMTP connection' }).click();
    await expect
      .poll(() => page.getByTestId('smtp-test-result').textContent())
      .toMatch(new RegExp(`^Connected to 127\\.0\\.0\\.1:${port}: it answered`));
  });

  it('shows an API problem beside its field, then saves settings that persist', async () => {
    const sender = page.getByLabel('Sender address');
    await sender.fill('not an address');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const problem = page.locator('#set-from-problem');
    await expect.poll(() => problem.textContent()).toBe('must be an e-mail address');
    expect(await sender.getAttribute('aria-invalid')).toBe('true');
    expect(await sender.getAttribute('aria-describedby')).toBe('set-from-problem');
    refusedOnPurpose(1);

    await sender.fill('shop@example.com');
    await page.getByLabel('Sender name').fill('The Shop');
    await page.getByLabel('Channel: push').selectOption('opt_in');
    await page.getByRole('button', { name: 'Add a cap' }).click();
    const cap = page.getByRole('group', { name: 'Cap 1' });
    await cap.getByLabel('At most (messages)').fill('2');
    await cap.getByLabel('Per (ISO duration, e.g. P7D)').fill('P1D');
    await page.getByLabel('No messages during quiet hours').check();
    await page.getByLabel('From', { exact: true }).fill('22:00');
    await page.getByLabel('Until', { exact: true }).fill('07:30');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    expect(await problem.count()).toBe(0);
    const stored = await apiGet('/v1/admin/settings');
    expect(stored.email).toMatchObject({ from: 'shop@example.com', fromName: 'The Shop' });
    expect(stored.delivery).toMatchObject({
      caps: [{ channel: 'email', max: 2, per: 'P1D' }],
      quietHours: { start: '22:00', end: '07:30' },
    });
    expect(stored.consent).toMatchObject({ channels: { push: 'opt_in', email: 'opt_in' } });
    // A reload reads them back from the server.
    await page.reload();
    await expect
      .poll(() => page.getByLabel('Sender address').inputValue())
      .toBe('shop@example.com');
    expect(await page.getByLabel('Until', { exact: true }).inputValue()).toBe('07:30');
    expect(await page.getByLabel('Channel: push').inputValue()).toBe('opt_in');
    await shot('settings');
  });

  it('creates a key shown once, rotates it and revokes it after confirming', async () => {
    await page.getByLabel('Scope').selectOption('read');
    await page.getByLabel('Name', { exact: true }).fill('reporting');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('new-key');
    await shown.waitFor();
    const key = (await shown.textContent()) ?? '';
    expect(key).toMatch(/^rk_read_/);
    expect((await send(t, 'GET', '/v1/segments', key)).statusCode).toBe(200);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await shown.count()).toBe(0);

    await page.getByRole('button', { name: 'Rotate reporting' }).click();
    await page.getByRole('button', { name: 'Yes, rotate reporting' }).click();
    await shown.waitFor();
    const rotated = (await shown.textContent()) ?? '';
    expect(rotated).not.toBe(key);
    expect((await send(t, 'GET', '/v1/segments', rotated)).statusCode).toBe(200);
    await page.getByRole('button', { name: 'I have copied it' }).click();

    const keys = (await apiGet('/v1/admin/keys')).keys as { id: string; prefix: string }[];
    const newId = keys.find((k) => rotated.startsWith(k.prefix))!.id;
    const row = page.locator(`tr[data-key="${newId}"]`);
    // Cancelling changes nothing; confirming revokes.
    await row.getByRole('button', { name: 'Revoke reporting' }).click();
    await row.getByRole('button', { name: 'Cancel' }).click();
    expect(await row.getByTestId('key-status').textContent()).toBe('active');
    // By keyboard: the confirmation takes the focus, Enter answers it.
    await row.getByRole('button', { name: 'Revoke reporting' }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate('document.activeElement?.textContent'))
      .toBe('Yes, revoke reporting');
    await page.keyboard.press('Enter');
    await expect.poll(() => row.getByTestId('key-status').textContent()).toBe('revoked');
    expect((await send(t, 'GET', '/v1/segments', rotated)).statusCode).toBe(401);
  });

  it('creates a template, shows a Liquid error beside its field, saves a new version', async () => {
    await nav(page, 'Templates');
    await page.getByRole('heading', { name: 'Templates', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'New template' }).click();
    await page.getByLabel('Id').fill('welcome-test');
    await page.getByLabel('Name').fill('Welcome test');
    await page.getByLabel('Subject').fill('Hi {{ profile.traits.first_name }}');
    const html = page.getByLabel('HTML', { exact: true });
    await html.fill('<h1>Hello {{ profile.traits.first_name }}</h1>\n<p>{% if %}</p>');
    await page.getByRole('button', { name: 'Create template' }).click();
    const problem = page.locator('#tpl-html-problem');
    await expect.poll(() => problem.textContent()).toMatch(/^line 2, column \d+:/);
    expect(await html.getAttribute('aria-invalid')).toBe('true');
    refusedOnPurpose(1);

    await html.fill(
      '<h1>Hello {{ profile.traits.first_name }}</h1>\n<p>Your plan: {{ profile.traits.plann }}</p>',
    );
    await page.getByRole('button', { name: 'Create template' }).click();
    await page.getByRole('heading', { name: 'Welcome test', level: 1 }).waitFor();
    expect(page.url()).toBe(`${base}/templates/welcome-test`);
    await expect.poll(() => page.getByTestId('template-version').textContent()).toBe('Version 1');

    await page
      .getByLabel('Text (derived from the HTML when empty)')
      .fill('Hello {{ profile.traits.first_name }}');
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByText('Saved version 2.').waitFor();
    const stored = await apiGet('/v1/templates/welcome-test');
    expect(stored.version).toBe(2);
    expect(stored.template).toMatchObject({ text: 'Hello {{ profile.traits.first_name }}' });
  });

  it('previews the template as a person in a sandboxed frame, with warnings', async () => {
    await page.getByLabel('Find the person by').selectOption('email');
    await page.getByLabel('Person', { exact: true }).fill('ada@example.com');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect.poll(() => page.getByTestId('preview-subject').textContent()).toBe('Hi Ada');
    const frame = page.locator('iframe[title="Rendered HTML"]');
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(
      await page.frameLocator('iframe[title="Rendered HTML"]').locator('h1').textContent(),
    ).toBe('Hello Ada');
    const warnings = page.getByTestId('preview-warnings');
    expect(await warnings.textContent()).toContain(
      'profile.traits.plann is missing for this person; did you mean profile.traits.plan?',
    );
    // A frame below the fold may not be painted in a full-page shot: bring it into view.
    await frame.scrollIntoViewIfNeeded();
    await page.getByTestId('preview').screenshot({ path: join(shots, 'template-preview.png') });
    await shot('template');
  });

  it('test-sends the template to the address typed, and it arrives', async () => {
    const before = smtp.mails.length;
    await page.getByLabel('Send to (e-mail address)').fill('me@staff.example');
    await page.getByRole('button', { name: 'Send test' }).click();
    await expect
      .poll(() => page.getByTestId('test-send-result').textContent())
      .toMatch(/^Sent "\[Test\] Hi Ada" to me@staff\.example: 250/);
    expect(smtp.mails.length).toBe(before + 1);
    const mail = smtp.mails.at(-1)!;
    expect(recipientsOf(mail)).toEqual(['me@staff.example']);
    expect(mail.subject).toBe('[Test] Hi Ada');
    expect(mail.from?.value).toEqual([{ name: 'The Shop', address: 'shop@example.com' }]);
    expect(mail.headers.get('x-rapport-test')).toBe('template welcome-test');
    expect(mail.html).toContain('<h1>Hello Ada</h1>');
    // A bad address is refused beside its field, and nothing is sent.
    await page.getByLabel('Send to (e-mail address)').fill('me at staff');
    await page.getByRole('button', { name: 'Send test' }).click();
    await expect
      .poll(() => page.locator('#test-to-problem').textContent())
      .toBe('must be an e-mail address');
    refusedOnPurpose(1);
    expect(smtp.mails.length).toBe(before + 1);
    await nav(page, 'Templates');
    await page.getByRole('link', { name: 'Welcome test' }).waitFor();
    await shot('templates');
  });

  it('logged no console error on any page', () => {
    expect(errors).toEqual([]);
  });

  it('gives a read-key session the pages with nothing it can save', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const reader = await context.newPage();
    const readerErrors = consoleErrors(reader);
    await signIn(reader, base, t.keys.read);
    await nav(reader, 'Templates');
    expect(await reader.getByRole('link', { name: 'New template' }).count()).toBe(0);
    await reader.getByRole('link', { name: 'Welcome test' }).click();
    await reader.getByRole('heading', { name: 'Welcome test', level: 1 }).waitFor();
    expect(await reader.getByRole('button', { name: 'Save template' }).isDisabled()).toBe(true);
    expect(
      await reader.getByLabel('HTML', { exact: true }).getAttribute('readonly'),
    ).not.toBeNull();
    expect(await reader.getByRole('button', { name: 'Preview', exact: true }).isDisabled()).toBe(
      true,
    );
    expect(await reader.getByRole('button', { name: 'Send test' }).isDisabled()).toBe(true);

    await nav(reader, 'Settings');
    await reader.getByTestId('read-only-settings').waitFor();
    expect(await reader.getByTestId('public-url').textContent()).toBe(t.ctx.publicUrl);
    expect(
      await reader.getByRole('button', { name: 'Test the SMTP connection' }).isDisabled(),
    ).toBe(true);
    expect(await reader.getByRole('button', { name: /Save|Create|Revoke|Rotate/ }).count()).toBe(0);
    await reader.screenshot({ path: join(shots, 'settings-read-only.png'), fullPage: true });
    expect(readerErrors).toEqual([]);
    // What the page would send, forged: the API refuses it all the same.
    const refused = await reader.evaluate(async () => {
      const put = (url: string, body: unknown) =>
        fetch(url, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then((r) => r.status);
      return {
        settings: await put('/v1/admin/settings', { email: { from: 'evil@example.com' } }),
        template: await put('/v1/templates/welcome-test', {
          name: 'Hacked',
          channel: 'email',
          subject: 'x',
          text: 'x',
        }),
      };
    });
    expect(refused).toEqual({ settings: 403, template: 403 });
    expect(((await apiGet('/v1/admin/settings')).email as { from: string }).from).toBe(
      'shop@example.com',
    );
    await context.close();
  });
});
