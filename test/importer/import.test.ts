import { readFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMappings, runImport } from '../../src/importer/index.js';
import type { ImportOptions } from '../../src/importer/run-import.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const FIX = new URL('../fixtures/', import.meta.url).pathname;
const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;

describe.each(STORE_KINDS)('rapport import (%s)', (kind) => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: new ManualClock(Date.UTC(2026, 2, 1)) });
    dir = mkdtempSync(join(tmpdir(), 'rapport-import-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const deps = () => ({
    store: t.ctx.store,
    writer: t.ctx.writer,
    processor: t.ctx.profiles,
    models: t.ctx.models,
    clock: t.clock,
  });
  const run = (o: Partial<ImportOptions> & Pick<ImportOptions, 'kind' | 'files'>) =>
    runImport(deps(), {
      workspaceId: 'default',
      mapping: new Map(),
      rejectsPath: join(dir, `${o.kind}-${Math.random()}.rejects.jsonl`),
      progress: quiet,
      ...o,
    });

  it('imports CSV events with a column mapping, rejecting bad rows by line with reasons', async () => {
    const options = {
      kind: 'events' as const,
      files: [`${FIX}import/events.csv`],
      mapping: parseMappings([
        'userId=user',
        'event=kind',
        'timestamp=when',
        'properties.product_id=sku',
      ]),
    };
    const summary = await run(options);
    expect(summary).toMatchObject({ rows: 7, events: 3, duplicates: 0, rejected: 4 });
    const rejects = readFileSync(summary.rejectsPath!, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; reason: string });
    expect(rejects.map((r) => r.line).sort((a, b) => a - b)).toEqual([5, 6, 7, 8]);
    expect(rejects.find((r) => r.line === 5)!.reason).toContain('userId');
    expect(rejects.find((r) => r.line === 6)!.reason).toContain('event');
    expect(rejects.find((r) => r.line === 7)!.reason).toContain('timestamp');
    expect(rejects.find((r) => r.line === 8)!.reason.toLowerCase()).toContain('quote');

    const u2 = (await send(t, 'GET', '/v1/events?userId=u2', t.keys.read)).json().events[0];
    expect(u2.payload).toEqual({
      type: 'track',
      userId: 'u2',
      event: 'Order Completed',
      timestamp: '2026-01-07T10:00:00Z',
      properties: { product_id: 'A-1', price: 19.9, note: 'quoted, with comma' },
      messageId: expect.stringMatching(/^import:events:/),
    });
    expect(u2.timestamp).toBe('2026-01-07T10:00:00.000Z');
    const profile = (await send(t, 'GET', '/v1/profiles/user_id/u1', t.keys.read)).json();
    expect(profile.computed.event_counts).toEqual({ 'Product Viewed': 2 });

    const again = await run(options);
    expect(again).toMatchObject({ events: 0, duplicates: 3, rejected: 4 });
  });

  it('imports JSON Lines, gives rows without messageId a stable one, and rejects junk lines', async () => {
    const summary = await run({ kind: 'events', files: [`${FIX}import/events.jsonl`] });
    expect(summary).toMatchObject({ events: 3, rejected: 3 });
    const lines = readFileSync(summary.rejectsPath!, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).line);
    expect(lines).toEqual([3, 4, 5]);
    const j1 = (await send(t, 'GET', '/v1/profiles/email/j1@example.com', t.keys.read)).json();
    expect(j1.traits).toMatchObject({ plan: 'pro' });
    expect((await run({ kind: 'events', files: [`${FIX}import/events.jsonl`] })).events).toBe(0);
  });

  it('imports a catalog CSV with lists, attributes and per-row validation', async () => {
    const summary = await run({ kind: 'catalog', files: [`${FIX}import/catalog.csv`] });
    expect(summary).toMatchObject({ items: { created: 2, updated: 0, unchanged: 0 }, rejected: 2 });
    const item = (await send(t, 'GET', '/v1/catalog/items/sku-1', t.keys.read)).json();
    expect(item).toMatchObject({
      title: 'Trail Runner',
      categories: ['Shoes', 'Running'],
      brand: 'Acme',
      price: 120,
      in_stock: true,
      stock: 4,
      tags: ['new', 'sale'],
      attributes: { size: 42 },
    });
    const reasons = readFileSync(summary.rejectsPath!, 'utf8');
    expect(reasons).toContain('price');
    expect(reasons).toContain('id');
  });

  it('refuses a file it cannot read or whose format it cannot tell, naming it', async () => {
    await expect(run({ kind: 'events', files: [join(dir, 'missing.csv')] })).rejects.toThrow(
      /missing\.csv/,
    );
    await expect(run({ kind: 'events', files: [`${FIX}online-retail/SOURCE.md`] })).rejects.toThrow(
      /format/,
    );
    expect(existsSync(join(dir, 'events.rejects.jsonl'))).toBe(false);
  });
});
