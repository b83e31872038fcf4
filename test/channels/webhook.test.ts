import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebhookSender, nextRetryAt } from '../../src/channels/index.js';
import { verifyWebhook } from '../../src/channels/webhook/signature.js';
import { ManualClock } from '../../src/shared/clock.js';

const SECRET = 'whsec_loopback_test';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: Received, res: ServerResponse) => void;

const servers: ReturnType<typeof createServer>[] = [];

/** A real HTTP server on 127.0.0.1 and a random port; each request goes to `handler`. */
async function receiver(handler: Handler): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(r);
      handler(r, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/cart`, received };
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

// The sender stamps signatures with this clock; the receiver checks them against the
// real time the test runs at, as a real receiver would, so the clock is set to it.
const clock = new ManualClock(Date.now());
const sender = new WebhookSender({ clock });
beforeEach(() => clock.set(Date.now()));

describe('WebhookSender against a loopback receiver', () => {
  it('delivers a signed JSON body that the receiving side verifies', async () => {
    const { url, received } = await receiver((r, res) => {
      const check = verifyWebhook({
        header: r.headers['rapport-signature'] as string,
        body: r.body,
        secrets: SECRET,
        now: Date.now(),
      });
      res
        .writeHead(check.kind === 'ok' ? 200 : 401, { 'content-type': 'text/plain' })
        .end(check.kind === 'ok' ? 'thanks' : check.reason);
    });
    const body = {
      event: 'cart_reminder',
      profile: { id: 'prof_1', name: 'Zoë "Z" Ŝmith' },
      items: [{ id: 'p1', price: 9.5 }],
    };
    const result = await sender.send({
      url,
      body,
      secret: SECRET,
      deliveryId: 'msg_42',
      headers: { 'X-Tenant': 'ws_1' },
    });
    expect(result).toEqual({ kind: 'sent', status: 200, responseBody: 'thanks' });
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/hooks/cart');
    expect(JSON.parse(r.body)).toEqual(body);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['rapport-delivery-id']).toBe('msg_42');
    expect(r.headers['idempotency-key']).toBe('msg_42');
    expect(r.headers['x-tenant']).toBe('ws_1');
    expect(r.headers['user-agent']).toMatch(/^Rapport\//);
    expect(r.headers['rapport-signature']).toMatch(
      new RegExp(`^t=${Math.floor(clock.now() / 1000)},v1=[0-9a-f]{64}$`),
    );
  });

  it.each(['GET', 'DELETE'] as const)(
    'sends %s without a body, signed over the empty body',
    async (method) => {
      const { url, received } = await receiver((r, res) => {
        const check = verifyWebhook({
          header: r.headers['rapport-signature'] as string,
          body: r.body,
          secrets: SECRET,
          now: Date.now(),
        });
        res.writeHead(check.kind === 'ok' ? 200 : 401).end();
      });
      const result = await sender.send({ url, method, body: undefined, secret: SECRET });
      expect(result).toEqual({ kind: 'sent', status: 200, responseBody: '' });
      expect(received.map((r) => [r.method, r.body, r.headers['content-type']])).toEqual([
        [method, '', undefined],
      ]);
    },
  );

  it('is refused by a receiver holding another secret', async () => {
    const { url } = await receiver((r, res) => {
      const check = verifyWebhook({
        header: r.headers['rapport-signature'] as string,
        body: r.body,
        secrets: 'someone_else',
        now: Date.now(),
      });
      res.writeHead(check.kind === 'ok' ? 200 : 401).end(check.kind === 'ok' ? '' : check.reason);
    });
    expect(await sender.send({ url, body: { a: 1 }, secret: SECRET })).toEqual({
      kind: 'failed',
      status: 401,
      error: 'HTTP 401: mismatch',
    });
  });

  it('retries a 500, then succeeds; backoff grows with the attempt', async () => {
    let calls = 0;
    const { url, received } = await receiver((_r, res) => {
      calls++;
      if (calls === 1) res.writeHead(500).end('database down');
      else res.writeHead(204).end();
    });
    const first = await sender.send({ url, body: '{"n":1}', secret: SECRET, deliveryId: 'msg_1' });
    expect(first).toEqual({ kind: 'retry', status: 500, error: 'HTTP 500: database down' });
    const now = clock.now();
    const retryAt = nextRetryAt(1, now, () => 0.5);
    expect(retryAt).toBe(now + 15_000);
    clock.set(retryAt!);
    const second = await sender.send({ url, body: '{"n":1}', secret: SECRET, deliveryId: 'msg_1' });
    expect(second).toEqual({ kind: 'sent', status: 204, responseBody: '' });
    // The same delivery id both times, so the receiver can drop a duplicate.
    expect(received.map((r) => r.headers['rapport-delivery-id'])).toEqual(['msg_1', 'msg_1']);
  });

  it("retries a 429 after the server's Retry-After", async () => {
    const { url } = await receiver((_r, res) => res.writeHead(429, { 'retry-after': '7' }).end());
    expect(await sender.send({ url, body: {} })).toEqual({
      kind: 'retry',
      status: 429,
      error: 'HTTP 429',
      retryAfterMs: 7_000,
    });
  });

  it('fails on a 400 and does not follow a redirect', async () => {
    const bad = await receiver((_r, res) =>
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"unknown field"}'),
    );
    expect(await sender.send({ url: bad.url, body: {} })).toEqual({
      kind: 'failed',
      status: 400,
      error: 'HTTP 400: {"error":"unknown field"}',
    });
    const moved = await receiver((_r, res) =>
      res.writeHead(302, { location: 'http://elsewhere.test/' }).end(),
    );
    expect(await sender.send({ url: moved.url, body: {} })).toEqual({
      kind: 'failed',
      status: 302,
      error: 'HTTP 302: redirects are not followed (to http://elsewhere.test/)',
    });
  });

  it('retries when the receiver does not answer in time', async () => {
    const { url } = await receiver(() => {
      // Never answers; the sender's timeout must end the request.
    });
    expect(await sender.send({ url, body: {}, timeoutMs: 200 })).toEqual({
      kind: 'retry',
      error: 'timed out after 200 ms',
    });
  });

  it('retries when nothing listens', async () => {
    const { url } = await receiver(() => undefined);
    const s = servers.pop()!;
    await new Promise((resolve) => s.close(resolve));
    const result = await sender.send({ url, body: {} });
    expect(result.kind).toBe('retry');
    expect(result.kind === 'retry' && result.error).toMatch(/^network error: .*ECONNREFUSED/);
  });

  it('sends URL credentials as basic auth', async () => {
    const { url, received } = await receiver((_r, res) => res.writeHead(200).end());
    const withUser = url.replace('http://', 'http://hook%20user:p%40ss@');
    expect((await sender.send({ url: withUser, body: {} })).kind).toBe('sent');
    expect(received[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('hook user:p@ss').toString('base64')}`,
    );
  });

  it.each([
    ['ftp://127.0.0.1/x', 'url: must be http:// or https:// (got ftp:)'],
    ['file:///etc/passwd', 'url: must be http:// or https:// (got file:)'],
    ['not a url', 'url: not a valid URL (not a url)'],
  ])('refuses %s without a request', async (url, error) => {
    expect(await sender.send({ url, body: {} })).toEqual({ kind: 'failed', error });
  });

  it('refuses header injection and headers it owns', async () => {
    const { url, received } = await receiver((_r, res) => res.writeHead(200).end());
    expect(await sender.send({ url, body: {}, headers: { 'X-A': 'x\r\nX-Evil: 1' } })).toEqual({
      kind: 'failed',
      error: 'headers.X-A: must not contain line breaks',
    });
    expect(
      await sender.send({ url, body: {}, headers: { 'Rapport-Signature': 'forged' } }),
    ).toEqual({
      kind: 'failed',
      error: 'headers.Rapport-Signature: is set by the sender',
    });
    expect(received).toHaveLength(0);
  });
});
