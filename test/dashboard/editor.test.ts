import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
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
 * The dashboard's editors in Debian's Chromium against a real server: a journey from a
 * recipe through the gallery, edited on the graph, saved, simulated and activated; a
 * segment with a nested group, saved and exported as CSV; a customer found by name.
 */
describe('the dashboard editors in a browser', { timeout: 120_000 }, () => {
  let web: string;
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let seeded: Seeded;
  let shots: string;
  let page: Page;
  let errors: string[];
  /** The journey the gallery created (ids are generated). */
  let journeyId: string;
  const nav = (name: string) =>
    page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('link', { name, exact: true })
      .click();
  const shot = (name: string) =>
    page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  const read = async <T>(url: string) => {
    const res = await send(t, 'GET', url, t.keys.read);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };

  beforeAll(async () => {
    browser = await launchChromium();
    web = await buildDashboard();
    t = await createTestApp('sqlite', { webRoot: web });
    seeded = await seedShop(t);
    base = await listen(t);
    shots = screenshotDir();
    console.log(`dashboard editor screenshots: ${shots}`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    errors = consoleErrors(page);
    await signIn(page, base, t.keys.admin);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (web) rmSync(web, { recursive: true, force: true });
  });

  it('creates a draft journey from a recipe, naming a bad parameter at its field', async () => {
    await nav('Journeys');
    const card = page.getByRole('article', { name: 'Browse abandonment' });
    await card.getByText('Use Browse abandonment').click();
    await card.getByLabel('Journey name').fill('Browse nudge');
    await card.getByLabel('Journey id (default: the recipe id)').fill('bad id!');
    await card
      .getByLabel('Webhook channel destination (default: the workspace webhook)')
      .fill('https://hooks.example/browse');
    await card.getByRole('button', { name: 'Create a draft from Browse abandonment' }).click();
    await expect
      .poll(() => card.getByRole('alert').first().textContent())
      .toContain('journeyId: must be');
    await shot('journey-gallery');
    await card.getByLabel('Journey id (default: the recipe id)').fill('');
    await card.getByRole('button', { name: 'Create a draft from Browse abandonment' }).click();
    await page.getByRole('heading', { name: 'Browse nudge', level: 1 }).waitFor();
    journeyId = /\/journeys\/([^/]+)$/.exec(page.url())![1]!;
    const stored = await read<{ status: string; recipe: string }>(`/v1/journeys/${journeyId}`);
    expect(stored).toMatchObject({ status: 'draft', recipe: 'browse_abandonment' });
  });

  it('edits a step on the graph, shows the API problem on its field, and saves', async () => {
    await page.locator('.react-flow__node[data-id="send_reminder"]').click();
    const panel = page.getByRole('complementary', { name: 'Step send_reminder' });
    await panel.getByLabel('Webhook URL (webhook channel)').fill('ftp://hooks.example/x');
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await expect
      .poll(() => panel.getByRole('alert').first().textContent())
      .toBe('url: must be an http:// or https:// URL');
    await expect.poll(() => page.locator('.step-node.invalid').count()).toBe(1);
    await shot('journey-editor-problem');
    await panel.getByLabel('Webhook URL (webhook channel)').fill('https://hooks.example/remind');
    await panel.getByLabel('Step name').fill('Remind them');
    // A new step after the reminder, joined in between it and the exit.
    await page.getByLabel('New step').selectOption('update_profile');
    await page.getByRole('button', { name: 'Add after send_reminder' }).click();
    await page.getByRole('complementary', { name: 'Step update_profile_1' }).waitFor();
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await expect
      .poll(() => page.getByTestId('editor-status').textContent())
      .toBe('Saved as version 2.');
    const saved = await read<{ version: number; definition: { steps: Record<string, unknown>[] } }>(
      `/v1/journeys/${journeyId}`,
    );
    expect(saved.version).toBe(2);
    const byId = new Map(saved.definition.steps.map((s) => [s.id, s]));
    expect(byId.get('send_reminder')).toMatchObject({
      name: 'Remind them',
      url: 'https://hooks.example/remind',
      next: 'update_profile_1',
    });
    expect(byId.get('update_profile_1')).toMatchObject({ type: 'update_profile', next: 'done' });
    expect(await page.locator('.react-flow__node').count()).toBe(5);
    await shot('journey-editor');
  });

  it('simulates the draft on logged events and shows the result per step', async () => {
    await page.getByRole('button', { name: 'Simulate the last 30 days' }).click();
    const table = page.getByRole('table', { name: 'Simulated people per step' });
    await table.waitFor();
    // The three seeded people viewed a product: each waits for an add to cart.
    expect(await table.getByRole('row', { name: /^wait_for_add/ }).innerText()).toMatch(
      /^wait_for_add\t3\t3\t3\t/,
    );
    expect(await page.getByTestId('simulated-wait_for_add').textContent()).toBe(
      'simulated: 3 entered',
    );
    await shot('journey-simulated');
    await page.getByRole('button', { name: 'Activate Browse nudge' }).click();
    await expect.poll(() => page.getByTestId('journey-status').textContent()).toBe('active');
    expect((await read<{ status: string }>(`/v1/journeys/${journeyId}`)).status).toBe('active');
  });

  it('refreshes the live counts on the graph', async () => {
    await page.goto(`${base}/journeys/${seeded.liveJourneyId}`);
    const ping = page.getByTestId('live-ping');
    await expect.poll(() => ping.textContent()).toBe('1 entered · 0 waiting');
    const res = await send(
      t,
      'POST',
      `/v1/journeys/${seeded.liveJourneyId}/trigger`,
      t.keys.write,
      {
        userId: 'u-bob',
      },
    );
    expect(res.statusCode).toBe(202);
    await t.ctx.profiles.drain();
    await expect.poll(() => ping.textContent(), { timeout: 25_000 }).toBe('2 entered · 0 waiting');
  });

  it('builds a segment with a nested group, saves it and exports its members', async () => {
    await nav('Segments');
    await page.getByRole('link', { name: 'New segment' }).click();
    await page.getByLabel('Name').fill('Pro or Bob');
    await page.getByLabel('Condition 1 on').selectOption('event');
    await page.getByLabel('Event name').fill('Product Viewed');
    await page.getByRole('button', { name: 'Add a group', exact: true }).click();
    const group = page.getByRole('group', { name: 'Group 2' });
    await group.getByLabel('Trait path').fill('plan');
    await group.getByLabel('Value').fill('pro');
    await group.getByRole('button', { name: 'Add a condition to group 2' }).click();
    const second = page.getByRole('group', { name: 'Condition 2.2' });
    await second.getByLabel('Trait path').fill('first_name');
    await second.getByLabel('Value').fill('Bob');
    const live = page.getByTestId('live-count');
    await expect.poll(() => live.textContent()).toBe('3 of 3 people match now.');
    await group.getByLabel('not (nobody in group 2)').check();
    await expect.poll(() => live.textContent()).toBe('0 of 3 people match now.');
    await group.getByLabel('not (nobody in group 2)').uncheck();
    await group.getByLabel('Group 2 matches').selectOption('all');
    await expect.poll(() => live.textContent()).toBe('0 of 3 people match now.');
    await group.getByLabel('Group 2 matches').selectOption('any');
    await expect.poll(() => live.textContent()).toBe('3 of 3 people match now.');
    await shot('segment-nested');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByRole('heading', { name: 'Pro or Bob', level: 1 }).waitFor();
    const { segments } = await read<{
      segments: { id: string; name: string; definition: unknown }[];
    }>('/v1/segments');
    const mine = segments.find((s) => s.name === 'Pro or Bob')!;
    expect(mine.definition).toEqual({
      all: [
        { event: 'Product Viewed' },
        {
          any: [
            { trait: 'plan', eq: 'pro' },
            { trait: 'first_name', eq: 'Bob' },
          ],
        },
      ],
    });
    await t.ctx.segments.backfillAll();
    await page.reload();
    await page.getByRole('link', { name: 'bob@example.com' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export members as CSV' }).click(),
    ]);
    const rows = parse<Record<string, string>>(readFileSync(await download.path(), 'utf8'), {
      columns: true,
    });
    expect(rows.map((r) => [r.user_id, r.email, r.name]).sort()).toEqual([
      ['u-ada', 'ada@example.com', 'Ada'],
      ['u-bob', 'bob@example.com', 'Bob'],
      ['u-cy', 'cy@example.com', 'Cy'],
    ]);
    // Edited again, the rule comes back into the builder as it was saved.
    await page.getByRole('link', { name: 'Edit the rule' }).click();
    await page.getByRole('group', { name: 'Condition 2.2' }).waitFor();
    await page.getByText('Rule as JSON').click();
    expect(JSON.parse((await page.getByTestId('rule-json').textContent()) ?? '')).toEqual(
      mine.definition,
    );
  });

  it('finds a customer by name', async () => {
    await nav('Customers');
    await page.getByLabel('Search by').selectOption('name');
    await page.getByLabel('Find by name').fill('ada');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('name-scan').textContent())
      .toBe('Looked through 3 people.');
    expect(await page.getByRole('row').count()).toBe(2);
    await page.getByRole('link', { name: 'ada@example.com' }).waitFor();
    expect(page.url()).toBe(`${base}/customers?name=ada`);
    await shot('customers-by-name');
  });

  it('shows a read key the graph and the simulation, but nothing to change', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const reader = await context.newPage();
    const readerErrors = consoleErrors(reader);
    await signIn(reader, base, t.keys.read);
    await reader.goto(`${base}/journeys/${journeyId}`);
    await reader.locator('.react-flow__node[data-id="send_reminder"]').click();
    const panel = reader.getByRole('complementary', { name: 'Step send_reminder' });
    expect(await panel.getByLabel('Step name').isDisabled()).toBe(true);
    expect(await reader.getByRole('button', { name: /Save|Add|Remove/ }).count()).toBe(0);
    await reader.getByRole('button', { name: 'Simulate the last 30 days' }).click();
    await reader.getByRole('table', { name: 'Simulated people per step' }).waitFor();
    expect(await reader.getByRole('heading', { name: 'Start from a recipe' }).count()).toBe(0);
    expect(readerErrors).toEqual([]);
    await context.close();
  });

  it('logged no console error on any page but the two refusals it asked for', () => {
    // Chromium logs every 4xx answer; the gallery's bad id and the editor's bad URL are two.
    const refused = errors.filter((e) => e.includes('status of 400 (Bad Request)'));
    expect(refused).toHaveLength(2);
    expect(errors.filter((e) => !refused.includes(e))).toEqual([]);
  });
});
