import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

let pages = 0;

/** Debian's Chromium, driven by playwright-core: never a downloaded browser. */
const CHROMIUM = process.env.RAPPORT_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Launches headless Chromium, or fails saying what is missing (these tests never skip). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set RAPPORT_TEST_CHROMIUM to its path.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** What a page said on its console and threw, kept for assertions. */
export interface PageLog {
  warnings: string[];
  errors: string[];
}

/**
 * A page whose `pagePath` on `origin` answers `html` (the test shop is served from the
 * Rapport origin, so no CORS is involved), and whose links to `https://shop.example.com`
 * land on a stub product page.
 */
export async function shopPage(
  browser: Browser,
  origin: string,
  html: string,
): Promise<{ page: Page; log: PageLog; url: string }> {
  const page = await browser.newPage();
  const log: PageLog = { warnings: [], errors: [] };
  page.on('console', (m) => {
    if (m.type() === 'warning') log.warnings.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(e.message));
  const url = `${origin}/test-shop/${++pages}.html`;
  await page.route(url, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
  );
  await page.route('https://shop.example.com/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Product</h1>' }),
  );
  return { page, log, url };
}

/**
 * Counts the event posts a server has answered (`finish` comes after the response, and a
 * 200 from ingest after the commit): tests wait for a count instead of watching the
 * browser, which may drop the response of a request that outlives its page.
 */
export function trackCounter(server: Server): { count(): number; reach(n: number): Promise<void> } {
  let count = 0;
  const waiting: { n: number; resolve: () => void }[] = [];
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || req.url !== '/v1/track') return;
    res.on('finish', () => {
      count++;
      for (const w of waiting.filter((x) => count >= x.n)) w.resolve();
    });
  });
  return {
    count: () => count,
    reach: (n) =>
      count >= n ? Promise.resolve() : new Promise((resolve) => waiting.push({ n, resolve })),
  };
}
