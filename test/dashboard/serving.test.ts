import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';

const INDEX = '<!doctype html><html><body><div id="root"></div></body></html>';
const html = { accept: 'text/html,application/xhtml+xml' };

/** The server's side of the dashboard: files from a build folder, the API untouched. */
describe('serving the dashboard', () => {
  let dir: string;
  let t: TestApp;
  let missing: TestApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-AbC123.js'), 'console.log("app")');
    t = await createTestApp('sqlite', { webRoot: dir });
    missing = await createTestApp('sqlite', { webRoot: join(dir, 'not-built') });
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await missing.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers / with the app, never cached, framed by nobody', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('serves hashed assets with immutable caching', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/assets/index-AbC123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log("app")');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const gone = await t.app.inject({ method: 'GET', url: '/assets/nope.js', headers: html });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('not_found');
  });

  it('answers client routes with the app so a reload works', async () => {
    for (const url of ['/customers', '/customers/email/ada%40example.com', '/journeys/j_1?x=1']) {
      const res = await t.app.inject({ method: 'GET', url, headers: html });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(INDEX);
    }
  });

  it('never shadows the API: its paths keep their JSON answers and 404s', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/health', headers: html });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toHaveProperty('status');
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics', headers: html });
    expect(metrics.body).toContain('rapport_http_requests_total');
    for (const url of ['/v1/nothing-here', '/v1/profiles/email/x/unknown', '/t/x/y']) {
      const res = await t.app.inject({ method: 'GET', url, headers: html });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code, url).toBe('not_found');
    }
    const keyed = await send(t, 'GET', '/v1/journeys', t.keys.read);
    expect(keyed.statusCode).toBe(200);
    // A client that does not ask for a page gets the API's 404, and so does a POST.
    const api = await t.app.inject({ method: 'GET', url: '/customers' });
    expect(api.statusCode).toBe(404);
    const post = await t.app.inject({ method: 'POST', url: '/customers', headers: html });
    expect(post.statusCode).toBe(404);
  });

  it('says how to build the dashboard when the build is missing', async () => {
    const res = await missing.app.inject({ method: 'GET', url: '/', headers: html });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
    const route = await missing.app.inject({ method: 'GET', url: '/segments', headers: html });
    expect(route.body).toContain('npm run build');
    expect((await missing.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('is not served by a worker process', async () => {
    const worker = await createTestApp('sqlite', { role: 'worker', webRoot: dir });
    try {
      const res = await worker.app.inject({ method: 'GET', url: '/', headers: html });
      expect(res.statusCode).toBe(404);
    } finally {
      await worker.close();
    }
  });
});
