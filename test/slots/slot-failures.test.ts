// A slot that cannot be filled keeps the page's own content and says why once on the
// console; the script never throws into the page (issue #18, item 2).
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { launchChromium, shopPage, type PageLog } from './browser.js';

const FALLBACK = '<p class="fallback">Our favourites</p>';

describe('slots that cannot be filled (sqlite)', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let publicKey: string;

  beforeAll(async () => {
    browser = await launchChromium();
    t = await createTestApp('sqlite');
    const key = await send(t, 'POST', '/v1/admin/keys', t.keys.admin, { scope: 'public' });
    expect(key.statusCode, key.body).toBe(201);
    publicKey = key.json<{ key: string }>().key;
    // A trained (empty) model: strategies are checked, and there is nothing to recommend.
    const trained = await send(t, 'POST', '/v1/admin/recommendations/train', t.keys.admin);
    expect(trained.statusCode, trained.body).toBe(200);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const slot = (id: string, attrs = '') =>
    `<div id="${id}" data-rapport-slot="${id}" ${attrs}>${FALLBACK}</div>`;
  const open = async (body: string, setup?: (page: Page) => Promise<void>) => {
    const html = `<!doctype html><html lang="en"><body>${body}</body></html>`;
    const { page, log, url } = await shopPage(browser, origin, html);
    await setup?.(page);
    await page.goto(url);
    await page.evaluate(
      () => (globalThis as unknown as { rapport: { ready: Promise<void> } }).rapport.ready,
    );
    return { page, log };
  };
  const keptFallback = async (page: Page, id: string) => {
    expect(await page.innerHTML(`#${id}`), id).toBe(FALLBACK);
    expect(await page.getAttribute(`#${id}`, 'data-rapport-state'), id).toBe('fallback');
  };
  const noThrow = (log: PageLog) => expect(log.errors).toEqual([]);

  it('without a key: every slot keeps its content, one warning for the page', async () => {
    const { page, log } = await open(
      `${slot('a')}${slot('b', 'data-rapport-type="offer"')}<script src="/sdk/rapport.js"></script>`,
    );
    await keptFallback(page, 'a');
    await keptFallback(page, 'b');
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toMatch(/^Rapport: no data-key/);
    noThrow(log);
    await page.close();
  });

  it('an unknown placement, strategy, type or template: one warning naming each', async () => {
    const { page, log } = await open(
      [
        slot('no_such_placement', 'data-rapport-type="offer"'),
        slot('odd_strategy', 'data-rapport-strategy="telepathy"'),
        slot('odd_type', 'data-rapport-type="banner"'),
        slot('no_template', 'data-rapport-template="missing"'),
        slot('bad_context', 'data-rapport-type="offer" data-rapport-context="{oops"'),
        `<script src="/sdk/rapport.js" data-key="${publicKey}"></script>`,
      ].join(''),
    );
    for (const id of [
      'no_such_placement',
      'odd_strategy',
      'odd_type',
      'no_template',
      'bad_context',
    ])
      await keptFallback(page, id);
    const byslot = (id: string) => log.warnings.filter((w) => w.includes(`slot "${id}"`));
    expect(log.warnings).toHaveLength(5);
    expect(byslot('no_such_placement')[0]).toMatch(/400.*placement/i);
    expect(byslot('odd_strategy')[0]).toMatch(/400.*telepathy/);
    expect(byslot('odd_type')[0]).toMatch(/"banner" is not recommendations or offer/);
    expect(byslot('no_template')[0]).toMatch(/no <template id="missing">/);
    expect(byslot('bad_context')[0]).toMatch(/data-rapport-context is not JSON/);
    noThrow(log);
    await page.close();
  });

  it('an unknown key, a server error or no network: the content stays, one warning each', async () => {
    const { page, log } = await open(
      `${slot('recs')}<script src="/sdk/rapport.js" data-key="rk_public_not_a_key"></script>`,
    );
    await keptFallback(page, 'recs');
    expect(log.warnings).toEqual([expect.stringMatching(/slot "recs".*401: Unknown API key/)]);
    noThrow(log);
    await page.close();

    // The server answering 500 and the network failing are the browser's side of things:
    // the page's requests are answered by the test here, the script by Rapport.
    const failing = await open(
      `${slot('recs')}${slot('offer', 'data-rapport-type="offer"')}<script src="/sdk/rapport.js" data-key="${publicKey}"></script>`,
      async (p) => {
        await p.route('**/v1/recommendations?**', (route) =>
          route.fulfill({
            status: 500,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'internal', message: 'boom', details: [] } }),
          }),
        );
        await p.route('**/v1/decide', (route) => route.abort('connectionrefused'));
      },
    );
    await keptFallback(failing.page, 'recs');
    await keptFallback(failing.page, 'offer');
    expect(failing.log.warnings).toHaveLength(2);
    expect(failing.log.warnings.find((w) => w.includes('"recs"'))).toMatch(/500: boom/);
    expect(failing.log.warnings.find((w) => w.includes('"offer"'))).toMatch(/keeps its fallback/);
    noThrow(failing.log);
    await failing.page.close();
  });

  it('nothing to show (no items to recommend, or a no_offer decision): the content stays, silently', async () => {
    const res = await send(t, 'POST', '/v1/offers', t.keys.admin, {
      id: 'none',
      name: 'None',
      kind: 'no_offer',
    });
    expect(res.statusCode, res.body).toBe(201);
    const placement = await send(t, 'POST', '/v1/placements', t.keys.admin, {
      name: 'quiet',
      candidates: ['none'],
      default: 'none',
      policy: { kind: 'fixed' },
    });
    expect(placement.statusCode, placement.body).toBe(201);
    const { page, log } = await open(
      `${slot('recs')}${slot('quiet', 'data-rapport-type="offer"')}<script src="/sdk/rapport.js" data-key="${publicKey}"></script>`,
    );
    for (const id of ['recs', 'quiet']) {
      expect(await page.innerHTML(`#${id}`)).toBe(FALLBACK);
      expect(await page.getAttribute(`#${id}`, 'data-rapport-state')).toBe('empty');
    }
    expect(log.warnings).toEqual([]);
    noThrow(log);
    await page.close();
  });
});
