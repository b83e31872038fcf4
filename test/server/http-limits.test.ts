import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type HttpLimits } from '../../src/config/index.js';
import { buildServer } from '../../src/server/index.js';
import { basic, createTestApp, type TestApp } from '../helpers/app.js';
import { ROOT } from '../helpers/cli.js';

// Short limits so the test runs in about a second; the mechanism is the same at 30 s.
const LIMITS: HttpLimits = {
  ...DEFAULTS,
  httpHeadersTimeoutMs: 500,
  httpRequestTimeoutMs: 500,
  httpMaxConnections: 3,
};
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
/** Node checks every quarter of the shortest timeout: closed by 1.25x, plus slack. */
const CLOSED_WITHIN_MS = 500 * 1.25 + 400;

interface Outcome {
  /** Milliseconds from connecting until the server closed the socket; null if it did not. */
  closedAfterMs: number | null;
  received: string;
}

/** Connects, writes `chunks` (a number is a pause in ms), and watches for up to `waitMs`. */
function talk(port: number, chunks: (string | number)[], waitMs = 3000): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    let received = '';
    let settled = false;
    const socket: Socket = connect(port, '127.0.0.1');
    const finish = (closedAfterMs: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ closedAfterMs, received });
    };
    const giveUp = setTimeout(() => finish(null), waitMs);
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.on('error', () => finish(performance.now() - started));
    socket.on('close', () => finish(performance.now() - started));
    socket.on('connect', () => {
      void (async () => {
        for (const c of chunks) {
          if (typeof c === 'number') await new Promise((r) => setTimeout(r, c));
          else if (!socket.destroyed) socket.write(c);
        }
      })();
    });
  });
}

describe('HTTP limits over a real socket', () => {
  let t: TestApp;
  let server: FastifyInstance;
  let port: number;
  let auth: string;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    server = buildServer(t.ctx, { http: LIMITS });
    await server.listen({ port: 0, host: '127.0.0.1' });
    port = (server.server.address() as AddressInfo).port;
    auth = basic(t.keys.write);
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  const track = (body: string, length = Buffer.byteLength(body)) =>
    `POST /v1/track HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;
  const event = JSON.stringify({ userId: 'slow', event: 'Viewed' });

  it('answers a complete request, even one whose body arrives in pieces within the limit', async () => {
    const r = await talk(port, [track(event), event.slice(0, 10), 150, event.slice(10)]);
    expect(r.received).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('closes a request whose body never finishes (Content-Length 1000, 10 bytes sent) with a 408', async () => {
    const r = await talk(port, [track('', 1000), '{"userId":']);
    expect(r.closedAfterMs).not.toBeNull();
    expect(r.closedAfterMs).toBeGreaterThanOrEqual(450);
    expect(r.closedAfterMs).toBeLessThan(CLOSED_WITHIN_MS);
    expect(r.received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a body that trickles in a byte at a time past the limit', async () => {
    const trickle = Array.from({ length: 20 }, () => ['x', 100]).flat();
    const r = await talk(port, [track('', 1000), ...trickle]);
    expect(r.closedAfterMs).not.toBeNull();
    expect(r.closedAfterMs).toBeLessThan(CLOSED_WITHIN_MS);
  });

  it('closes a connection whose headers never finish with a 408', async () => {
    const r = await talk(port, ['POST /v1/track HTTP/1.1\r\nHost: x\r\n', 100, 'X-Slow: 1\r\n']);
    expect(r.closedAfterMs).not.toBeNull();
    expect(r.closedAfterMs).toBeLessThan(CLOSED_WITHIN_MS);
    expect(r.received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers a request head over 16 KB with a 431', async () => {
    const long = `GET /v1/events?userId=${'u'.repeat(17 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`;
    const r = await talk(port, [long]);
    expect(r.received).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('answers a path parameter over 4096 characters with a 414 in the usual error shape', async () => {
    const res = await server.inject({ method: 'GET', url: `/preferences/${'a'.repeat(4097)}` });
    expect(res.statusCode).toBe(414);
    expect(res.json()).toEqual({
      error: {
        code: 'uri_too_long',
        message: 'A part of the path is too long.',
        details: [{ path: 'params', problem: 'is longer than 4096 characters' }],
      },
    });
  });

  it('refuses connections over the cap, counts them, and serves again once one closes', async () => {
    // Three requests held open: the client declares a body it is still sending.
    const held = [0, 1, 2].map(() => connect(port, '127.0.0.1'));
    await Promise.all(
      held.map(
        (s) =>
          new Promise<void>((resolve) =>
            s.on('connect', () => {
              s.write(track('', 1000));
              resolve();
            }),
          ),
      ),
    );
    await new Promise((r) => setTimeout(r, 50));
    const refused = await talk(port, [track(event), event], 1000);
    expect(refused.closedAfterMs).not.toBeNull();
    expect(refused.closedAfterMs).toBeLessThan(300);
    expect(refused.received).toBe('');

    for (const s of held) s.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const served = await talk(port, [track(event), event]);
    expect(served.received).toMatch(/^HTTP\/1\.1 200 /);
    const metrics = await server.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^rapport_http_connections_dropped_total 1$/m);
  });
});

describe('HTTP limits in the configuration', () => {
  it('stops start-up with the name of a bad value', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rapport-limits-'));
    // Spawned here (not runCli) so a server that starts anyway is killed, not leaked.
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'start', '--port', '0'], {
      cwd: ROOT,
      env: {
        ...process.env,
        RAPPORT_DATA_DIR: dataDir,
        RAPPORT_HTTP_HEADERS_TIMEOUT_MS: '20000',
        RAPPORT_HTTP_REQUEST_TIMEOUT_MS: '10000',
      },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await new Promise<number | null>((r) => child.on('close', r));
    clearTimeout(killer);
    rmSync(dataDir, { recursive: true, force: true });
    expect(code).toBe(2);
    expect(stderr).toContain(
      'RAPPORT_HTTP_HEADERS_TIMEOUT_MS: must not be longer than the request timeout (RAPPORT_HTTP_REQUEST_TIMEOUT_MS)',
    );
  });
});
