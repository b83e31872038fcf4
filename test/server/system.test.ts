import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, createTestApp, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

describe.each(STORE_KINDS)('system endpoints (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /health reports the store kind and version', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(res.json()).toEqual({
      status: 'ok',
      store: kind,
      version: pkg.version,
      personalData: 'clear',
    });
  });

  it('GET /metrics counts requests, latencies, ingested and rejected events', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: basic(t.keys.write), 'content-type': 'application/json' },
      payload: JSON.stringify({
        batch: [
          { type: 'track', userId: 'm', event: 'E' },
          { type: 'identify', userId: 'm' },
          { type: 'track', event: 'no id' },
        ],
      }),
    });
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toContain('rapport_events_ingested_total{type="track"} 1');
    expect(text).toContain('rapport_events_ingested_total{type="identify"} 1');
    expect(text).toContain('rapport_events_rejected_total 1');
    expect(text).toMatch(
      /rapport_http_requests_total\{method="POST",route="\/v1\/batch",status="200"\} 1/,
    );
    expect(text).toMatch(
      /rapport_http_request_duration_seconds_bucket\{le="0\.001",method="POST",route="\/v1\/batch"\}/,
    );
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: 'not_found', message: 'No route GET /v1/nope.', details: [] },
    });
  });

  it('serves the committed OpenAPI document, generated from the route schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    const committed = JSON.parse(
      readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'),
    );
    expect(doc).toEqual(committed);
    // Every documented operation is a served route (the router's printout splits paths
    // sharing a prefix, such as /v1/t and /v1/track, so ask the router itself).
    for (const [path, methods] of Object.entries(doc.paths as Record<string, object>)) {
      for (const method of Object.keys(methods)) {
        const url = path.replace(/\{(\w+)\}/g, ':$1');
        expect(t.app.hasRoute({ method: method.toUpperCase(), url }), `${method} ${path}`).toBe(
          true,
        );
      }
    }
    expect(
      doc.paths['/v1/track'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(expect.arrayContaining(['type', 'event']));
    expect(doc.paths['/v1/events'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining([
        'userId',
        'anonymousId',
        'type',
        'event',
        'messageId',
        'limit',
        'cursor',
      ]),
    );
  });

  it('serves only health and metrics in the worker role', async () => {
    const w = await createTestApp(kind, { role: 'worker' });
    try {
      expect((await w.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      expect((await w.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
      expect(
        (await w.app.inject({ method: 'POST', url: '/v1/track', payload: {} })).statusCode,
      ).toBe(404);
    } finally {
      await w.close();
    }
  });
});
