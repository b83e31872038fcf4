import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildWeb } from '../../scripts/build-web.js';
import { send, type TestApp } from '../helpers/app.js';

/** Debian's Chromium; the suite never downloads a browser. */
export const CHROMIUM = process.env.RAPPORT_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Launches Chromium headless, or fails saying what to install. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set RAPPORT_TEST_CHROMIUM to a Chromium binary. The dashboard suite needs a real browser.`,
    );
  }
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** Builds the dashboard once into a temporary folder for the test app to serve. */
export async function buildDashboard(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-web-build-'));
  await buildWeb(dir);
  return dir;
}

export function screenshotDir(): string {
  return mkdtempSync(join(tmpdir(), 'rapport-dashboard-shots-'));
}

export async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** Every console error and uncaught exception a page reports. */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  return errors;
}

export async function signIn(page: Page, base: string, key: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('API key (admin or read)').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
}

export interface Seeded {
  segmentId: string;
  draftJourneyId: string;
  liveJourneyId: string;
}

/** Three people, their events, a segment, a live journey that queued a message, a draft. */
export async function seedShop(t: TestApp): Promise<Seeded> {
  const ok = async (res: Promise<{ statusCode: number; body: string }>, status = 200) => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(status);
    return JSON.parse(r.body) as Record<string, unknown>;
  };
  const people = [
    ['u-ada', 'ada@example.com', 'Ada', 'pro'],
    ['u-bob', 'bob@example.com', 'Bob', 'free'],
    ['u-cy', 'cy@example.com', 'Cy', 'pro'],
  ] as const;
  for (const [userId, email, firstName, plan] of people) {
    await ok(
      send(t, 'POST', '/v1/identify', t.keys.write, {
        userId,
        traits: { email, first_name: firstName, plan },
      }),
    );
    await ok(
      send(t, 'POST', '/v1/track', t.keys.write, {
        userId,
        event: 'Product Viewed',
        properties: { product_id: 'p-1' },
      }),
    );
  }
  const segment = await ok(
    send(t, 'POST', '/v1/segments', t.keys.admin, {
      name: 'Pro plan',
      definition: { trait: 'plan', eq: 'pro' },
    }),
    201,
  );
  const webhookJourney = (name: string) => ({
    name,
    trigger: { type: 'api' },
    start: 'ping',
    steps: [
      { id: 'ping', type: 'webhook', url: 'https://hooks.example/ping', next: 'done' },
      { id: 'done', type: 'exit' },
    ],
  });
  const live = await ok(
    send(t, 'POST', '/v1/journeys', t.keys.admin, { definition: webhookJourney('Welcome ping') }),
    201,
  );
  const draft = await ok(
    send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: webhookJourney('Win-back ping'),
      activate: false,
    }),
    201,
  );
  await t.ctx.profiles.drain();
  await ok(
    send(t, 'POST', `/v1/journeys/${String(live.id)}/trigger`, t.keys.write, { userId: 'u-ada' }),
    202,
  );
  await t.ctx.profiles.drain();
  await t.ctx.segments.backfillAll();
  return {
    segmentId: String(segment.id),
    draftJourneyId: String(draft.id),
    liveJourneyId: String(live.id),
  };
}
