import { describe, expect, it } from 'vitest';
import { normalizeEvent } from './normalize.js';

const RECEIVED = Date.parse('2026-05-01T12:00:00.000Z');
const norm = (value: Record<string, unknown>, extra: { batchSentAt?: string | number } = {}) =>
  normalizeEvent({
    workspaceId: 'w',
    value,
    raw: JSON.stringify(value),
    receivedAt: RECEIVED,
    ...extra,
  });

describe('normalizeEvent', () => {
  it.each([
    ['no client time', {}, RECEIVED],
    [
      'timestamp without sentAt is kept',
      { timestamp: '2020-01-01T00:00:00Z' },
      Date.parse('2020-01-01T00:00:00Z'),
    ],
    [
      'timestamp with sentAt is skew-corrected',
      { timestamp: '2026-05-01T13:00:00Z', sentAt: '2026-05-01T13:00:05Z' },
      RECEIVED - 5_000,
    ],
    [
      'originalTimestamp wins over timestamp',
      {
        originalTimestamp: '2026-05-01T11:00:00Z',
        timestamp: '2000-01-01T00:00:00Z',
        sentAt: '2026-05-01T11:00:01Z',
      },
      RECEIVED - 1_000,
    ],
    [
      'epoch milliseconds',
      { timestamp: Date.parse('2020-01-01T00:00:00Z') },
      Date.parse('2020-01-01T00:00:00Z'),
    ],
    [
      'epoch seconds',
      { timestamp: Date.parse('2020-01-01T00:00:00Z') / 1000 },
      Date.parse('2020-01-01T00:00:00Z'),
    ],
    [
      'an offset is honoured',
      { timestamp: '2020-01-01T02:00:00+02:00' },
      Date.parse('2020-01-01T00:00:00Z'),
    ],
    [
      'a date-time without an offset is UTC',
      { timestamp: '2020-01-01T00:00:00' },
      Date.parse('2020-01-01T00:00:00Z'),
    ],
    [
      'a date alone is its UTC midnight',
      { timestamp: '2020-01-01' },
      Date.parse('2020-01-01T00:00:00Z'),
    ],
    [
      'a fraction is read to the millisecond',
      { timestamp: '2020-01-01T00:00:00.123456Z' },
      Date.parse('2020-01-01T00:00:00.123Z'),
    ],
    [
      'a time within a day ahead is kept (a fast clock without sentAt)',
      { timestamp: '2026-05-02T11:00:00Z' },
      Date.parse('2026-05-02T11:00:00Z'),
    ],
    [
      'a time beyond a day ahead is dated at receipt',
      { timestamp: '2099-01-01T00:00:00Z' },
      RECEIVED,
    ],
    [
      'a correction that lands beyond a day ahead is dated at receipt',
      { timestamp: '2026-05-01T12:00:00Z', sentAt: '2000-01-01T00:00:00Z' },
      RECEIVED,
    ],
  ])('event time: %s', (_name, fields, expected) => {
    const result = norm({ type: 'track', userId: 'u', event: 'E', ...fields });
    expect(result.kind).toBe('ok');
    if (result.kind === 'ok') expect(result.event.timestamp).toBe(expected);
  });

  it('uses the batch sentAt when the event has none', () => {
    const result = norm(
      { type: 'track', userId: 'u', event: 'E', timestamp: '2026-05-01T12:30:00Z' },
      { batchSentAt: '2026-05-01T12:30:02Z' },
    );
    expect(result.kind === 'ok' && result.event.timestamp).toBe(RECEIVED - 2_000);
  });

  it.each([
    ['sentAt', '0'],
    ['sentAt', '1'],
    ['timestamp', '12'],
    ['timestamp', 'x 2024'],
    ['timestamp', 'May 1, 2024'],
    ['timestamp', '2024-02-30T00:00:00Z'],
    ['timestamp', '2024-01-01T24:00:00Z'],
    ['originalTimestamp', '2024-01-01T00:00:00+25:00'],
    ['timestamp', 12],
    ['sentAt', -1],
    ['timestamp', true],
  ])('refuses %s = %j, naming the field', (field, value) => {
    const result = norm({ type: 'track', userId: 'u', event: 'E', [field]: value });
    expect(result.kind).toBe('invalid');
    if (result.kind === 'invalid') {
      expect(result.details.map((d) => d.path)).toEqual([field]);
      expect(result.details[0]!.problem).toMatch(/ISO 8601|epoch|calendar|time of day|offset/);
    }
  });

  it.each([
    [
      'a NUL in a trait',
      { type: 'identify', userId: 'u', traits: { email: 'a\u0000b@x.test' } },
      'traits.email',
    ],
    [
      'a NUL in a property key',
      { type: 'track', userId: 'u', event: 'E', properties: { 'a\u0000': 1 } },
      'properties.a\u0000',
    ],
    [
      'a NUL in a product id',
      {
        type: 'track',
        userId: 'u',
        event: 'Product Viewed',
        properties: { products: [{ product_id: 'p\u0000' }] },
      },
      'properties.products.0.product_id',
    ],
    [
      'a lone surrogate in context',
      { type: 'page', userId: 'u', context: { page: { title: 'x\ud800' } } },
      'context.page.title',
    ],
  ])('refuses %s, naming its path', (_name, value, path) => {
    const result = norm(value);
    expect(result.kind === 'invalid' && result.details).toEqual([
      { path, problem: expect.stringMatching(/NUL|Unicode/) as unknown },
    ]);
  });

  it('refuses nesting deeper than the limit and accepts it at the limit', () => {
    const nest = (levels: number): unknown => {
      let v: unknown = 1;
      for (let i = 0; i < levels; i++) v = { a: v };
      return v;
    };
    // The event is level 1 and traits, the outermost of 31 objects, level 2: the innermost is at 32.
    expect(norm({ type: 'identify', userId: 'u', traits: nest(31) }).kind).toBe('ok');
    const deep = norm({ type: 'identify', userId: 'u', traits: nest(32) });
    expect(deep.kind === 'invalid' && deep.details[0]).toEqual({
      path: `traits${'.a'.repeat(31)}`,
      problem: 'nests deeper than 32 levels of objects and arrays',
    });
  });

  it('checks a payload thousands of levels deep without overflowing the stack', () => {
    const text = `{"type":"identify","userId":"u","traits":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    const value: unknown = JSON.parse(text);
    const result = normalizeEvent({ workspaceId: 'w', value, raw: text, receivedAt: RECEIVED });
    expect(result.kind === 'invalid' && result.details[0]!.problem).toMatch(/deeper than 32/);
  });

  it('turns numeric ids into strings and keeps page names as the event name', () => {
    const result = norm({ type: 'page', userId: 42, name: 'Pricing' });
    expect(result.kind === 'ok' && [result.event.userId, result.event.event]).toEqual([
      '42',
      'Pricing',
    ]);
  });

  it.each([
    [{ type: 'track', userId: 'u' }, 'event'],
    [{ type: 'alias', userId: 'u' }, 'previousId'],
    [{ type: 'group', userId: 'u' }, 'groupId'],
    [{ type: 'track', userId: 'u\u0000x', event: 'E' }, 'userId'],
    [{ type: 'track', userId: 'u', event: 'E', properties: [1] }, 'properties'],
    [{ type: 'track', userId: 'u', event: 'E', messageId: '' }, 'messageId'],
  ])('rejects %j naming %s', (value, path) => {
    const result = norm(value);
    expect(result.kind).toBe('invalid');
    if (result.kind === 'invalid') expect(result.details.map((d) => d.path)).toContain(path);
  });

  it('rejects an unknown type naming the type field', () => {
    const result = norm({ type: 'launch', userId: 'u' });
    expect(result.kind === 'invalid' && result.details[0]!.path).toBe('type');
  });
});

describe('identifiers must be text', () => {
  it.each(['\ud800', 'a\udc00b', 'x\ud83d'])(
    'rejects a lone surrogate in messageId (%j)',
    (messageId) => {
      const result = norm({ type: 'track', userId: 'u', event: 'E', messageId });
      expect(result.kind === 'invalid' && result.details.map((d) => d.path)).toEqual(['messageId']);
    },
  );

  it('accepts astral characters written as surrogate pairs', () => {
    expect(norm({ type: 'track', userId: 'u', event: 'E', messageId: 'msg-😀' }).kind).toBe('ok');
  });
});
