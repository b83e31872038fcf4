// GET /sdk/rapport.js: the script tsc builds, under 10 KB gzipped, cached by ETag.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etagMatches } from '../../src/server/sdk-script.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const SDK_DIR = fileURLToPath(new URL('../../src/sdk/', import.meta.url));

/** What `npm run build` writes to dist/sdk/rapport.js: the sdk tsconfig, type-checked. */
function build(): string {
  const read = ts.readConfigFile(`${SDK_DIR}tsconfig.json`, (p) => ts.sys.readFile(p));
  const config = ts.parseJsonConfigFileContent(read.config, ts.sys, SDK_DIR);
  const program = ts.createProgram(config.fileNames, config.options);
  const problems = ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(problems).toEqual([]);
  const out: Record<string, string> = {};
  program.emit(undefined, (name, text) => {
    out[name.split('/').pop()!] = text;
  });
  expect(Object.keys(out)).toEqual(['rapport.js']);
  return out['rapport.js']!;
}

describe('the slots script', () => {
  let t: TestApp;
  let built: string;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    built = build();
  }, 60_000);
  afterAll(() => t.close());

  const get = (headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: '/sdk/rapport.js', headers });

  it('serves what the build compiles: one classic script, under 10 KB gzipped', async () => {
    const plain = await get();
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(built);
    // A classic script: no module syntax, so a plain <script src> runs it.
    expect(built).not.toMatch(/^\s*(import|export)\b/m);
    expect(gzipSync(built, { level: 9 }).length).toBeLessThan(10 * 1024);

    const gz = await get({ 'accept-encoding': 'gzip, deflate, br' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.rawPayload.length).toBeLessThan(10 * 1024);
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(built);
    const refused = await get({ 'accept-encoding': 'gzip;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('answers 304 to a cached copy, and caches for minutes', async () => {
    const first = await get();
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    expect(first.headers['cache-control']).toBe(
      'public, max-age=300, stale-while-revalidate=86400',
    );
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    const again = await get({ 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    const gz = await get({ 'accept-encoding': 'gzip' });
    expect(gz.headers.etag).not.toBe(etag);
    expect((await get({ 'if-none-match': gz.headers.etag as string })).statusCode).toBe(304);
    expect((await get({ 'if-none-match': '"stale"' })).statusCode).toBe(200);
  });

  it('never builds markup from data: no HTML-parsing DOM sinks in the source', () => {
    const source = readFileSync(`${SDK_DIR}rapport.ts`, 'utf8');
    expect(source).not.toMatch(
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|\beval\(|new Function/,
    );
  });

  it('matches If-None-Match lists, weak forms and *', () => {
    expect(etagMatches('"a", W/"b"', '"b"')).toBe(true);
    expect(etagMatches('*', '"b"')).toBe(true);
    expect(etagMatches('"a"', '"b"')).toBe(false);
    expect(etagMatches(undefined, '"b"')).toBe(false);
  });
});
