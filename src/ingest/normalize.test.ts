import { describe, expect, it } from 'vitest';
import { normalizeEvent } from './normalize.js';

const RECEIVED = Date.parse('2026-05-01T12:00:00.000Z');
const norm = (value: Record<string, unknown>, extra: { batchSentAt?: string } = {}) =>
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
