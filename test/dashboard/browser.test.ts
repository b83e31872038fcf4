import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import {
  buildDashboard,
  consoleErrors,
  launchChromium,
  listen,
  screenshotDir,
  seedShop,
  signIn,
  type Seeded,
} from './browser-helpers.js';

/**
 * The dashboard in Debian's Chromium against a real server with seeded data: the built
 * app, the session cookie, the API. Screenshots go to a temporary folder (printed).
 */
// A loaded CI machine can take seconds per page; no assertion here is about time.
describe('the dashboard in a browser', { timeout: 90_000 }, () => {
  let web: string;
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let seeded: Seeded;
  let shots: string;
  let page: Page;
  let errors: string[];
  const nav = (p: Page, name: string) =>
    p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
  const shot = (name: string) =>
    page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    browser = await launchChromium();
    web = await buildDashboard();
    t = await createTestApp('sqlite', { webRoot: web });
    seeded = await seedShop(t);
    base = await listen(t);
    shots = screenshotDir();
    console.log(`dashboard screenshots: ${shots}`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    errors = consoleErrors(page);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (web) rmSync(web, { recursive: true, force: true });
  });

  it('signs in with an admin key and shows the overview numbers', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Sign in to Rapport' }).waitFor();
    await shot('sign-in');
    await signIn(page, base, t.keys.admin);
    await expect.poll(() => page.getByTestId('profiles').textContent()).toBe('3');
    // What the API counts: the 6 events sent, the journey trigger and 2 Segment Entered.
    const api = await t.app.inject({
      method: 'GET',
      url: '/v1/stats/overview',
      headers: { authorization: `Bearer ${t.keys.read}` },
    });
    const perMinute = api.json<{ events: { perMinute: number[] } }>().events.perMinute;
    expect(perMinute.reduce((a, b) => a + b, 0)).toBe(9);
    expect(await page.getByTestId('events-hour').textContent()).toBe('9');
    expect(await page.getByTestId('active-journeys').textContent()).toBe('1');
    expect(await page.getByTestId('pipeline-lag').textContent()).toBe('0');
    await page.getByRole('img', { name: 'events per minute' }).locator('canvas').waitFor();
    await expect
      .poll(() => page.getByRole('table', { name: 'Messages by status' }).innerText())
      .toContain('queued');
    await shot('overview');
  });

  it('finds a customer by e-mail and shows them whole', async () => {
    await nav(page, 'Customers');
    await page.getByLabel('Find by user id, e-mail, phone or anonymous id').fill('ada@');
    await page.keyboard.press('Enter');
    const result = page.getByRole('link', { name: 'ada@example.com' });
    await result.waitFor();
    expect(await page.getByRole('row').count()).toBe(2);
    await shot('customers');
    await result.click();
    await page.getByRole('heading', { name: 'ada@example.com', level: 1 }).waitFor();
    const main = page.locator('main');
    await expect.poll(() => main.innerText()).toContain('Pro plan');
    const text = await main.innerText();
    expect(text).toContain('first_name');
    expect(text).toContain('Ada');
    await page.getByRole('heading', { name: 'Trace: why this, why now' }).waitFor();
    await expect.poll(() => main.innerText()).toContain('Welcome ping');
    await shot('customer');
  });

  it('lists segments with their member counts and members', async () => {
    await nav(page, 'Segments');
    const row = page.getByRole('row', { name: /Pro plan/ });
    await row.waitFor();
    expect(await row.getByRole('cell').nth(2).textContent()).toBe('2');
    await shot('segments');
    await row.getByRole('link', { name: 'Pro plan' }).click();
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    await page.getByRole('link', { name: 'cy@example.com' }).waitFor();
    expect(await page.getByRole('link', { name: 'bob@example.com' }).count()).toBe(0);
    expect(page.url()).toBe(`${base}/segments/${seeded.segmentId}`);
  });

  it('builds a segment with a live count and saves it', async () => {
    await nav(page, 'Segments');
    await page.getByRole('link', { name: 'New segment' }).click();
    await page.getByLabel('Name').fill('Pro viewers');
    await page.getByLabel('Trait path').fill('plan');
    await page.getByLabel('Value').fill('pro');
    const live = page.getByTestId('live-count');
    await expect.poll(() => live.textContent()).toBe('2 of 3 people match now.');
    await page.getByRole('button', { name: 'Add a condition' }).click();
    const second = page.getByRole('group', { name: 'Condition 2' });
    await second.getByLabel('Condition 2 on').selectOption('event');
    await second.getByLabel('Event name').fill('Product Viewed');
    await second.getByLabel('Within (e.g. P30D; blank: ever)').fill('P7D');
    await second.getByLabel('not').check();
    await expect.poll(() => live.textContent()).toBe('0 of 3 people match now.');
    await second.getByLabel('not').uncheck();
    await expect.poll(() => live.textContent()).toBe('2 of 3 people match now.');
    await page.getByText('Rule as JSON').click();
    expect(JSON.parse((await page.getByTestId('rule-json').textContent()) ?? '')).toEqual({
      all: [
        { trait: 'plan', eq: 'pro' },
        { event: 'Product Viewed', within: 'P7D' },
      ],
    });
    // A rule the API refuses says why, live.
    await second.getByLabel('Within (e.g. P30D; blank: ever)').fill('seven days');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('within');
    await second.getByLabel('Within (e.g. P30D; blank: ever)').fill('P7D');
    await expect.poll(() => live.textContent()).toBe('2 of 3 people match now.');
    await shot('segment-builder');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByRole('heading', { name: 'Pro viewers', level: 1 }).waitFor();
    const saved = await t.app.inject({
      method: 'GET',
      url: '/v1/segments',
      headers: { authorization: `Bearer ${t.keys.read}` },
    });
    const mine = saved
      .json<{ segments: { name: string; definition: unknown }[] }>()
      .segments.find((x) => x.name === 'Pro viewers');
    expect(mine?.definition).toEqual({
      all: [
        { trait: 'plan', eq: 'pro' },
        { event: 'Product Viewed', within: 'P7D' },
      ],
    });
  });

  it('activates and pauses a journey, and draws it', async () => {
    await nav(page, 'Journeys');
    const row = page.locator(`tr[data-journey="${seeded.draftJourneyId}"]`);
    const status = row.getByTestId('journey-status');
    await expect.poll(() => status.textContent()).toBe('draft');
    await row.getByRole('button', { name: 'Activate Win-back ping' }).click();
    await expect.poll(() => status.textContent()).toBe('active');
    await shot('journeys');
    await row.getByRole('button', { name: 'Pause Win-back ping' }).click();
    await expect.poll(() => status.textContent()).toBe('paused');
    const stored = await t.app.inject({
      method: 'GET',
      url: `/v1/journeys/${seeded.draftJourneyId}`,
      headers: { authorization: `Bearer ${t.keys.read}` },
    });
    expect(stored.json().status).toBe('paused');

    await nav(page, 'Journeys');
    await page.getByRole('link', { name: 'Welcome ping' }).click();
    await page.getByRole('heading', { name: 'Welcome ping', level: 1 }).waitFor();
    const steps = page.getByRole('table', { name: 'People per step' });
    await expect
      .poll(() => steps.getByRole('row', { name: /ping webhook/ }).innerText())
      .toMatch(/^ping\twebhook\t1\t/);
    await page.locator('.react-flow__node').first().waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(2);
    await shot('journey');
  });

  it('shows the message log with its status history', async () => {
    await nav(page, 'Messages');
    await page.getByLabel('Status').selectOption('queued');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.url()).toContain('status=queued');
    const row = page.getByRole('row', { name: /webhook/ });
    await row.waitFor();
    await row.getByText('History and content').click();
    await expect.poll(() => row.innerText()).toMatch(/queued/);
    await shot('messages');
    // No message is failed: the filter answers an empty log, not an error.
    await page.getByLabel('Status').selectOption('failed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No messages.').waitFor();
  });

  it('shows a sent e-mail as it went out, in a frame that loads nothing', async () => {
    // A sent e-mail as the sender logs it; its open pixel must not fire when read here.
    const pixel = `${base}/t/o/not-a-token`;
    const opened: string[] = [];
    // Chromium may announce a request that its CSP then blocks: what counts is one that
    // completed, which a blocked pixel never does.
    page.on('requestfinished', (r) => {
      if (r.url().includes('/t/o/')) opened.push(r.url());
    });
    const message = await t.ctx.store.db
      .selectFrom('messages')
      .select(['id', 'payload'])
      .executeTakeFirstOrThrow();
    const rendered = {
      subject: 'Thank you for your order',
      text: 'We got your order.',
      html: `<p>We got <b>your order</b>.</p><img src="${pixel}" alt=""><script>document.title='ran'</script>`,
    };
    await t.ctx.store.db
      .updateTable('messages')
      .set({
        status: 'sent',
        payload: JSON.stringify({
          ...(JSON.parse(message.payload) as object),
          to: 'ada@example.com',
          rendered,
        }),
      })
      .where('id', '=', message.id)
      .execute();
    await page.goto(`${base}/messages?status=sent`);
    const row = page.getByRole('row', { name: /sent/ });
    await row.getByText('History and content').click();
    const sent = row.getByLabel('Sent content');
    await expect
      .poll(() => sent.innerText())
      .toContain('As sent to ada@example.com: Thank you for your order');
    expect(await sent.locator('pre').innerText()).toBe('We got your order.');
    const frame = sent.locator('iframe');
    expect(await frame.getAttribute('sandbox')).toBe('');
    await expect
      .poll(() => page.frameLocator('iframe.sent-html').locator('b').innerText())
      .toBe('your order');
    await shot('message-sent');
    expect(opened).toEqual([]);
    // The frame's refusals (the pixel, the script) are the point; any other error is not.
    const refusals = errors.filter((e) => /Content Security Policy|sandboxed/.test(e));
    errors.splice(0, errors.length, ...errors.filter((e) => !refusals.includes(e)));
  });

  it('logged no console error on any page', () => {
    expect(errors).toEqual([]);
  });

  it('gives a read key a session that sees but cannot change', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const reader = await context.newPage();
    const readerErrors = consoleErrors(reader);
    // Keyboard only: the key field is the first stop, Enter signs in, Tab walks the menu.
    await reader.goto(`${base}/`);
    await reader.getByRole('heading', { name: 'Sign in to Rapport' }).waitFor();
    await reader.keyboard.press('Tab');
    expect(await reader.evaluate('document.activeElement?.id')).toBe('key');
    await reader.keyboard.type(t.keys.read);
    await reader.keyboard.press('Enter');
    await reader.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    expect(await reader.getByText('default · read only').count()).toBe(1);
    for (let i = 0; i < 3; i++) await reader.keyboard.press('Tab');
    expect(await reader.evaluate('document.activeElement?.textContent')).toBe('Customers');
    await reader.keyboard.press('Enter');
    await reader.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    await nav(reader, 'Journeys');
    await reader.getByRole('link', { name: 'Win-back ping' }).waitFor();
    expect(await reader.getByRole('button', { name: /Activate|Pause/ }).count()).toBe(0);
    await reader.screenshot({ path: join(shots, 'journeys-read-only.png'), fullPage: true });
    expect(readerErrors).toEqual([]);
    // Even a forged request from the page itself is refused by the API.
    const refused = await reader.evaluate(async (id) => {
      const res = await fetch(`/v1/journeys/${id}/activate`, { method: 'POST' });
      return { status: res.status, body: await res.text() };
    }, seeded.draftJourneyId);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('the read scope');
    // Signing out ends the session: the API answers 401 to the old cookie.
    await reader.getByRole('button', { name: 'Sign out' }).click();
    await reader.getByRole('heading', { name: 'Sign in to Rapport' }).waitFor();
    const after = await reader.evaluate(async () => (await fetch('/v1/journeys')).status);
    expect(after).toBe(401);
    await context.close();
  });
});
