import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium: tests drive it with playwright-core and never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Launches Debian's Chromium headless, or fails the test saying how to get it: a test
 * that needs a browser never skips (CI installs the `chromium` package in .ci/run).
 */
export async function launchChromium(): Promise<Browser> {
  // Only loopback resolves: a page cannot reach anything but the test's own servers, and
  // no request is intercepted (interception changes how Chromium runs CORS preflights).
  const args = ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'];
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `This test drives Debian's Chromium at ${CHROMIUM}, which is missing: install it with \`apt-get install chromium\` (.ci/run does).`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

export interface Site {
  /** `http://127.0.0.1:<port>`: a web origin of its own, apart from Rapport's. */
  origin: string;
  close(): Promise<void>;
}

/** A second loopback HTTP server standing for a shop's site: its pages, by path. */
export async function startSite(pages: Record<string, () => string>): Promise<Site> {
  const server: Server = createServer((request, response) => {
    const page = Object.hasOwn(pages, request.url ?? '') ? pages[request.url ?? ''] : undefined;
    if (!page) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
