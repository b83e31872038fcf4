import type { ECDH } from 'node:crypto';
import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  hkdfSync,
  randomBytes,
  verify,
} from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PushSubscription } from '../../src/channels/index.js';
import type { VapidConfig } from '../../src/channels/push/vapid.js';
import {
  PushSender,
  PushSubscription as PushSubscriptionSchema,
} from '../../src/channels/index.js';
import { VapidConfig as VapidConfigSchema } from '../../src/channels/push/vapid.js';
import { systemClock } from '../../src/shared/index.js';
import { generateVapidKeys } from '../../src/workspaces/secrets.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: Buffer;
  path: string;
}

const servers: ReturnType<typeof createServer>[] = [];

/** A push service on loopback: records each request and answers with `respond`. */
async function pushService(
  respond: (r: Received, res: ServerResponse) => void,
): Promise<{ origin: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks), path: req.url ?? '' };
      received.push(r);
      respond(r, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** What a browser holds for one subscription: its ECDH key pair and auth secret. */
function browser(endpoint: string): { ecdh: ECDH; auth: Buffer; subscription: PushSubscription } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    subscription: {
      endpoint,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
    },
  };
}

/**
 * Decrypts an aes128gcm push body as the browser does (RFC 8291 §3.4 and RFC 8188),
 * written from the RFCs with Node's crypto, not with web-push.
 */
function decrypt(body: Buffer, ecdh: ECDH, auth: Buffer): string {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20]!;
  const senderPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  expect(idLength).toBe(65);
  expect(ciphertext.length).toBeLessThanOrEqual(recordSize);
  const shared = ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([
    Buffer.from('WebPush: info\0'),
    ecdh.getPublicKey(),
    senderPublic,
  ]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, auth, keyInfo, 32));
  const cek = Buffer.from(
    hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16),
  );
  const nonce = Buffer.from(
    hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12),
  );
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(-16));
  const plain = Buffer.concat([decipher.update(ciphertext.subarray(0, -16)), decipher.final()]);
  // Padding: zeros after a delimiter, which is 0x02 in the last (here the only) record.
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  expect(plain[end]).toBe(2);
  return plain.subarray(0, end).toString('utf8');
}

/** Checks `vapid t=<jwt>, k=<key>` as a push service does and returns the JWT claims. */
function checkVapid(header: string | undefined, vapid: VapidConfig): Record<string, unknown> {
  const match =
    /^vapid t=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+), k=([A-Za-z0-9_-]+)$/.exec(
      header ?? '',
    );
  expect(match).not.toBeNull();
  const [, jwt, k] = match!;
  expect(k).toBe(vapid.publicKey);
  const [h, p, s] = jwt!.split('.') as [string, string, string];
  expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'ES256' });
  const point = Buffer.from(k!, 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  const valid = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(s, 'base64url'),
  );
  expect(valid).toBe(true);
  return JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
}

const keys = generateVapidKeys();
const vapid: VapidConfig = { subject: 'mailto:push@shop.example.com', ...keys };
const sender = new PushSender({ clock: systemClock, allowHttp: true });

describe('PushSender against a loopback push service', () => {
  it('sends an encrypted payload the browser can decrypt, with VAPID for the endpoint origin', async () => {
    const { origin, received } = await pushService((_r, res) =>
      res.writeHead(201, { location: `/m/abc` }).end(),
    );
    const { ecdh, auth, subscription } = browser(`${origin}/push/v2/sub-123`);
    const payload = {
      title: 'Votre panier 🛒',
      body: 'Zoë, 2 articles vous attendent',
      url: 'https://shop.example.com/cart',
    };
    const result = await sender.send(subscription, payload, vapid, {
      ttlSeconds: 3600,
      urgency: 'high',
      topic: 'cart-c1',
    });
    expect(result).toEqual({ kind: 'sent', status: 201, providerId: '/m/abc' });

    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(r.path).toBe('/push/v2/sub-123');
    expect(r.headers['content-encoding']).toBe('aes128gcm');
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(r.headers.ttl).toBe('3600');
    expect(r.headers.urgency).toBe('high');
    expect(r.headers.topic).toBe('cart-c1');
    const claims = checkVapid(r.headers.authorization, vapid);
    expect(claims.aud).toBe(origin);
    expect(claims.sub).toBe(vapid.subject);
    const exp = claims.exp as number;
    const nowSeconds = Date.now() / 1000;
    expect(exp).toBeGreaterThan(nowSeconds);
    expect(exp).toBeLessThanOrEqual(nowSeconds + 24 * 3600);
    expect(decrypt(r.body, ecdh, auth)).toBe(JSON.stringify(payload));
  });

  it('encrypts every message afresh: two sends of one payload differ on the wire', async () => {
    const { origin, received } = await pushService((_r, res) => res.writeHead(201).end());
    const { ecdh, auth, subscription } = browser(`${origin}/s`);
    await sender.send(subscription, 'same', vapid);
    await sender.send(subscription, 'same', vapid);
    expect(received[0]!.body.equals(received[1]!.body)).toBe(false);
    expect(received.map((r) => decrypt(r.body, ecdh, auth))).toEqual(['same', 'same']);
  });

  it.each([
    [410, 'gone'],
    [404, 'gone'],
    [500, 'retry'],
    [503, 'retry'],
    [413, 'failed'],
    [400, 'failed'],
    [403, 'failed'],
  ])('maps HTTP %i to %s', async (status, kind) => {
    const { origin } = await pushService((_r, res) => res.writeHead(status).end('nope'));
    const result = await sender.send(browser(`${origin}/s`).subscription, 'hi', vapid);
    expect(result).toEqual({ kind, status, error: `HTTP ${status}: nope` });
  });

  it("retries a 429 after the service's Retry-After", async () => {
    const { origin } = await pushService((_r, res) =>
      res.writeHead(429, { 'retry-after': '30' }).end(),
    );
    expect(await sender.send(browser(`${origin}/s`).subscription, 'hi', vapid)).toEqual({
      kind: 'retry',
      status: 429,
      error: 'HTTP 429',
      retryAfterMs: 30_000,
    });
  });

  it('retries when the service is down or silent', async () => {
    const silent = await pushService(() => undefined);
    expect(
      await sender.send(browser(`${silent.origin}/s`).subscription, 'hi', vapid, {
        timeoutMs: 200,
      }),
    ).toEqual({
      kind: 'retry',
      error: 'timed out after 200 ms',
    });
    const down = await pushService(() => undefined);
    const s = servers.pop()!;
    await new Promise((resolve) => s.close(resolve));
    const result = await sender.send(browser(`${down.origin}/s`).subscription, 'hi', vapid);
    expect(result.kind === 'retry' && result.error).toMatch(/^network error: .*ECONNREFUSED/);
  });

  it('refuses what cannot be sent, without a request', async () => {
    const { origin, received } = await pushService((_r, res) => res.writeHead(201).end());
    const { subscription } = browser(`${origin}/s`);
    expect(await sender.send(subscription, 'x'.repeat(3994), vapid)).toEqual({
      kind: 'failed',
      error: 'payload is 3994 bytes; web push carries at most 3993',
    });
    expect((await sender.send(subscription, 'x'.repeat(3993), vapid)).kind).toBe('sent');
    expect(await sender.send(subscription, 'x', vapid, { topic: 'has space' })).toEqual({
      kind: 'failed',
      error: 'topic: must be 1-32 base64url characters (RFC 8030)',
    });
    const strict = new PushSender({ clock: systemClock });
    expect(await strict.send(subscription, 'x', vapid)).toEqual({
      kind: 'failed',
      error: `endpoint: must be an https:// URL (got ${origin}/s)`,
    });
    const badKeys = { ...subscription, keys: { ...subscription.keys, p256dh: 'AAAA' } };
    const bad = await sender.send(badKeys, 'x', vapid);
    expect(bad.kind === 'failed' && bad.error).toMatch(/^cannot build the push request: /);
    expect(received).toHaveLength(1);
  });
});

describe('PushSubscription and VapidConfig', () => {
  it('accepts what a browser gives and new VAPID keys', () => {
    const { subscription } = browser('https://fcm.googleapis.com/fcm/send/abc:def');
    expect(PushSubscriptionSchema.parse({ ...subscription, expirationTime: null })).toEqual({
      ...subscription,
      expirationTime: null,
    });
    expect(VapidConfigSchema.parse(vapid)).toEqual(vapid);
  });

  it.each([
    [{ endpoint: 'http://push.example.com/x' }, 'endpoint', 'must be an https:// URL'],
    [
      { keys: { p256dh: 'AAAA', auth: randomBytes(16).toString('base64url') } },
      'keys.p256dh',
      'p256dh must decode to 65 bytes',
    ],
    [
      {
        keys: {
          p256dh: createECDH('prime256v1').generateKeys().toString('base64url'),
          auth: 'a+b/',
        },
      },
      'keys.auth',
      'auth must be base64url',
    ],
  ])('rejects %j', (over, path, message) => {
    const { subscription } = browser('https://push.example.com/x');
    const result = PushSubscriptionSchema.safeParse({ ...subscription, ...over });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toContainEqual([
      path,
      message,
    ]);
  });

  it('rejects a VAPID config with a bad subject or key', () => {
    const result = VapidConfigSchema.safeParse({
      ...vapid,
      subject: 'push@shop.example.com',
      privateKey: 'short',
    });
    expect(result.error?.issues.map((i) => i.path[0])).toEqual(['subject', 'privateKey']);
  });
});
