import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import {
  buildDashboard,
  consoleErrors,
  launchChromium,
  listen,
  screenshotDir,
  seedShop,
  signIn,
} from './browser-helpers.js';
import { seedDecisions, type SeededDecisions } from './seed-decisions.js';

/**
 * The Recommendations, Offers and Experiments pages and the overview's lift and maturity
 * in Debian's Chromium, against a real server with seeded data; values on screen are
 * checked against what the API answers. Screenshots go to a temporary folder (printed).
 */
// A loaded CI machine can take seconds per page; no assertion here is about time.
describe('the recommendation, offer and experiment pages in a browser', { timeout: 90_000 }, () => {
  let web: string;
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let seeded: SeededDecisions;
  let shots: string;
  let page: Page;
  let errors: string[];
  const nav = (p: Page, name: string) =>
    p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
  const shot = (name: string) =>
    page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  const read = async <T>(url: string) => {
    const res = await send(t, 'GET', url, t.keys.admin);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };
  const count = async (
    table: 'decisions' | 'recommendation_exposures' | 'experiment_assignments',
  ) =>
    Number(
      (
        await t.ctx.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    browser = await launchChromium();
    web = await buildDashboard();
    const clock = new ManualClock(Date.UTC(2026, 10, 1, 12));
    t = await createTestApp('sqlite', { webRoot: web, clock });
    await seedShop(t);
    seeded = await seedDecisions(t, clock);
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
    if (web) rmSync(web, { recursive: true, force: true });
  });

  it("shows the program's lift and the maturity level with its next step on the overview", async () => {
    const maturity = await read<{ level: string; nextStep: string }>('/v1/reports/maturity');
    await expect.poll(() => page.getByTestId('maturity-level').textContent()).toBe(maturity.level);
    expect(await page.getByTestId('maturity-next').textContent()).toBe(
      `Next step: ${maturity.nextStep}`,
    );
    const program = await read<{
      comparisons: { conversion: { lift: { value: number | null } } }[];
    }>('/v1/reports/program');
    const lift = program.comparisons[0]!.conversion.lift.value;
    expect(await page.getByTestId('program-lift').textContent()).toBe(
      lift === null ? '—' : `${lift >= 0 ? '+' : ''}${(lift * 100).toFixed(1)}%`,
    );
    await shot('overview-lift-maturity');
  });

  it('previews items for a product and for a person, with reasons, recording no exposure', async () => {
    await nav(page, 'Recommendations');
    await page.getByLabel('Product id').fill('p-1');
    await page.getByLabel('Strategy').selectOption('bought_together');
    await page.getByRole('button', { name: 'Preview' }).click();
    const items = page.getByRole('list', { name: 'Recommended items' });
    const trousers = items.locator('li[data-item="p-2"]');
    await trousers.waitFor();
    expect(await trousers.getByTestId('reason').textContent()).toBe(
      'Often bought with Linen shirt',
    );
    expect(await trousers.innerText()).toContain('Linen trousers');
    expect(await trousers.innerText()).toContain('69 EUR');
    expect(await trousers.locator('img').count()).toBe(1);

    await page.getByLabel('Product id').fill('');
    await page.getByLabel('Person (user id or e-mail)').fill('ada@example.com');
    await page.getByLabel('Strategy').selectOption('popular');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.url()).toContain('person=ada%40example.com');
    await items.locator('li').first().waitFor();
    const api = await read<{ items: { itemId: string; reason: { text: string } }[] }>(
      '/v1/recommendations?userId=u-ada&strategy=popular&limit=12&preview=true',
    );
    await expect
      .poll(() => items.getByTestId('reason').allTextContents())
      .toEqual(api.items.map((i) => i.reason.text));
    expect(await count('recommendation_exposures')).toBe(0);

    const versions = page.getByRole('table', { name: 'Model versions' });
    await versions.getByRole('row').nth(1).waitFor();
    await page.getByRole('button', { name: 'Retrain now' }).click();
    await page.getByRole('status').filter({ hasText: 'Version 2 trained' }).waitFor();
    await page.getByRole('button', { name: 'Roll back to version 1' }).click();
    await page.getByText('Version 1 serves again.').waitFor();
    const served = await read<{ versions: { version: number; current: boolean }[] }>(
      '/v1/admin/recommendations/versions',
    );
    expect(served.versions.find((v) => v.current)?.version).toBe(1);
    await shot('recommendations');
  });

  it("lists offers and shows one's budget spent against its total, codes left and versions", async () => {
    const vip = await read<{ spent: { count: number; amount: number }; codesFree: number }>(
      '/v1/offers/vip20',
    );
    expect(vip.spent.count).toBeGreaterThan(0);
    await nav(page, 'Offers');
    const row = page.locator('tr[data-offer="vip20"]');
    await row.waitFor();
    expect(await row.innerText()).toContain(`${vip.spent.count} of 500`);
    await page.getByRole('link', { name: 'hero' }).waitFor();
    await shot('offers');
    await row.getByRole('link', { name: '20% for VIPs' }).click();
    await page.getByRole('heading', { name: '20% for VIPs', level: 1 }).waitFor();
    expect(await page.getByTestId('budget-count').textContent()).toBe(`${vip.spent.count} of 500`);
    expect(await page.getByTestId('budget-spend').textContent()).toBe(
      `${vip.spent.amount.toLocaleString('en')} of 10,000`,
    );
    expect(await page.getByTestId('codes-free').textContent()).toBe(String(vip.codesFree));
    expect(vip.codesFree).toBe(40 - vip.spent.count);
    await page.getByRole('table', { name: 'Versions' }).getByRole('row').nth(1).waitFor();
    await shot('offer');
  });

  it("edits an offer, showing the API's problems next to their fields", async () => {
    await page.getByRole('link', { name: 'Edit offer' }).click();
    await page.getByRole('heading', { name: 'Edit offer' }).waitFor();
    await page.getByLabel('Name').fill('25% for VIPs');
    await page.getByLabel('Within (e.g. P30D)').fill('seven days');
    await page.getByLabel('At most (per person)').fill('1');
    await page.getByLabel('Valid from').fill('2026-12-01T00:00:00Z');
    await page.getByLabel('Valid until').fill('2026-11-01T00:00:00Z');
    await page.getByRole('button', { name: 'Save offer' }).click();
    await expect
      .poll(() => page.getByTestId('problem-capWithin').textContent())
      .toMatch(/ISO|duration/i);
    await shot('offer-form-problems');
    await page.getByLabel('Within (e.g. P30D)').fill('P30D');
    await page.getByRole('button', { name: 'Save offer' }).click();
    await expect
      .poll(() => page.getByTestId('problem-validUntil').textContent())
      .toBe('must be after validFrom');
    expect(await page.getByTestId('problem-capWithin').count()).toBe(0);
    await page.getByLabel('Valid from').fill('');
    await page.getByLabel('Valid until').fill('');
    await page.getByRole('button', { name: 'Save offer' }).click();
    await page.getByRole('heading', { name: '25% for VIPs', level: 1 }).waitFor();
    const saved = await read<{ version: number; caps: unknown; budget: unknown }>(
      '/v1/offers/vip20',
    );
    expect(saved).toMatchObject({
      version: 2,
      caps: { perPerson: { max: 1, within: 'P30D' }, neverAfterRedeemed: false },
      budget: { count: 500, spend: 10000 },
    });
  });

  it('creates an offer, naming an id that is taken next to its field', async () => {
    await nav(page, 'Offers');
    await page.getByRole('link', { name: 'New offer' }).click();
    await page.getByRole('heading', { name: 'New offer' }).waitFor();
    await page.getByLabel('Id', { exact: true }).fill('ship');
    await page.getByLabel('Name').fill('Spring sale');
    await page.getByLabel('Kind').selectOption('content_block');
    await page.getByLabel('web', { exact: true }).check();
    await page.getByLabel('Budget: decisions').fill('50');
    await page.getByRole('button', { name: 'Create offer' }).click();
    await expect.poll(() => page.getByTestId('problem-id').textContent()).toBe('already exists');
    await page.getByLabel('Id', { exact: true }).fill('spring');
    await page.getByRole('button', { name: 'Create offer' }).click();
    await page.getByRole('heading', { name: 'Spring sale', level: 1 }).waitFor();
    expect(await page.getByTestId('budget-count').textContent()).toBe('0 of 50');
    const created = await read<{ kind: string; channels: string[]; version: number }>(
      '/v1/offers/spring',
    );
    expect(created).toMatchObject({ kind: 'content_block', channels: ['web'], version: 1 });
  });

  it('shows a placement, what its policy learned, and previews a decision without logging it', async () => {
    const stats = await read<{ learned: { offerId: string; n: number }[] }>(
      '/v1/placements/hero/stats',
    );
    await page.goto(`${base}/placements/hero`);
    await page.getByRole('heading', { name: 'Placement hero', level: 1 }).waitFor();
    const learned = page.getByRole('table', { name: 'What the policy learned' });
    await learned.waitFor();
    const first = stats.learned[0]!;
    expect(await learned.getByRole('row').nth(1).innerText()).toMatch(
      new RegExp(`^${first.offerId}\\t${first.n}\\t`),
    );
    await page.getByRole('table', { name: 'Decisions per offer' }).waitFor();
    const decisions = await count('decisions');
    const assignments = await count('experiment_assignments');
    const who = seeded.treated[1]!;
    await page.getByLabel('User id').fill(who);
    await page.getByRole('button', { name: 'Preview decision' }).click();
    const preview = page.getByTestId('decide-preview');
    await preview.waitFor();
    expect(await preview.innerText()).toMatch(/25% for VIPs|Free shipping/);
    expect(await preview.innerText()).toContain('policy:thompson');
    // Someone never decided for: their arm is shown, not recorded.
    await page.getByLabel('User id').fill('u-bob');
    await page.getByRole('button', { name: 'Preview decision' }).click();
    await preview.waitFor();
    expect(await count('decisions')).toBe(decisions);
    expect(await count('experiment_assignments')).toBe(assignments);
    await shot('placement');
  });

  it("lists experiments and shows a report's lift with its interval, charted", async () => {
    const report = await read<{
      comparisons: { arm: string; conversion: { lift: { value: number } } }[];
    }>('/v1/experiments/placement%3Ahero/report');
    const lift = report.comparisons[0]!.conversion.lift.value;
    await nav(page, 'Experiments');
    await page.getByRole('link', { name: 'Placement hero: policy vs default' }).click();
    await page
      .getByRole('heading', { name: 'Placement hero: policy vs default', level: 1 })
      .waitFor();
    const shown = page.getByTestId('lift-treatment').getByTestId('lift');
    await expect
      .poll(() => shown.textContent())
      .toBe(`${lift >= 0 ? '+' : ''}${(lift * 100).toFixed(1)}%`);
    await page.getByRole('img', { name: 'lift with 95% intervals' }).waitFor();
    expect(await page.getByRole('table', { name: 'Arms' }).innerText()).toContain('control');
    await shot('experiment');
    await nav(page, 'Experiments');
    await page.getByRole('heading', { name: 'Personalization maturity' }).waitFor();
    await page.getByTestId('maturity-level').waitFor();
    await shot('experiments');
  });

  it('logged no console error on any page', () => {
    expect(errors).toEqual([]);
  });

  it('gives a read key the pages to see but nothing to change', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const reader = await context.newPage();
    const readerErrors = consoleErrors(reader);
    await signIn(reader, base, t.keys.read);
    await nav(reader, 'Recommendations');
    await reader.getByText('Model versions, retraining and rollback need an admin key.').waitFor();
    expect(await reader.getByRole('button', { name: /Retrain|Roll back/ }).count()).toBe(0);
    await nav(reader, 'Offers');
    await reader.getByRole('link', { name: '25% for VIPs' }).click();
    await reader.getByRole('heading', { name: '25% for VIPs', level: 1 }).waitFor();
    await reader.getByTestId('codes-free').waitFor();
    expect(await reader.getByRole('link', { name: 'Edit offer' }).count()).toBe(0);
    expect(await reader.getByRole('link', { name: 'New offer' }).count()).toBe(0);
    await nav(reader, 'Experiments');
    await reader.getByRole('link', { name: 'Placement hero: policy vs default' }).waitFor();
    await reader.screenshot({ path: join(shots, 'experiments-read-only.png'), fullPage: true });
    expect(readerErrors).toEqual([]);
    // A forged change from the page is refused by the API.
    const refused = await reader.evaluate(async () => {
      const res = await fetch('/v1/offers/vip20', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Hijacked', kind: 'no_offer' }),
      });
      return res.status;
    });
    expect(refused).toBe(403);
    await context.close();
  });
});
