import { describe, expect, it } from 'vitest';
import { demoContact } from './demo-data.js';
import { batchesOf, replayOffsets } from './demo-replay.js';

const DAY = 86_400_000;

describe('replayOffsets', () => {
  const from = Date.UTC(2026, 11, 7);
  it.each([
    ['the start and the middle of the window', [from, from + 10.5 * DAY], [0, 300_000]],
    ['the end of the window', [from + 21 * DAY], [600_000]],
    ['before the window: at once', [from - DAY], [0]],
    ['past the window: at the end', [from + 30 * DAY], [600_000]],
    ['no time: with the event before it', [from + 7 * DAY, null], [200_000, 200_000]],
    [
      'out of order: never earlier than the one before',
      [from + 2 * DAY, from + DAY],
      [57_143, 57_143],
    ],
  ])('%s', (_name, times, expected) => {
    expect(replayOffsets(times, from, 21 * DAY, 600_000)).toEqual(expected);
  });
});

describe('batchesOf', () => {
  it('keeps order and cuts requests at about 256 KB', () => {
    const big = (i: number) => ({ i, pad: 'x'.repeat(30_000) });
    const events = Array.from({ length: 20 }, (_, i) => big(i));
    const batches = batchesOf(events);
    expect(batches.map((b) => b.length)).toEqual([8, 8, 4]);
    expect(batches.flat()).toEqual(events);
    expect(batchesOf([])).toEqual([]);
  });

  it('sends an event larger than a batch on its own', () => {
    const huge = { pad: 'y'.repeat(300_000) };
    expect(batchesOf([{ a: 1 }, huge, { b: 2 }])).toEqual([[{ a: 1 }], [huge], [{ b: 2 }]]);
  });
});

describe('demoContact', () => {
  it('gives a customer an example.com address and a consent statement', () => {
    expect(
      demoContact({ type: 'identify', userId: '12347', traits: { country: 'Iceland' } }),
    ).toEqual({
      type: 'identify',
      userId: '12347',
      traits: { country: 'Iceland', email: 'customer-12347@example.com', email_opt_in: true },
    });
    // One in ten says no.
    expect(demoContact({ type: 'identify', userId: '12350' }).traits).toEqual({
      email: 'customer-12350@example.com',
      email_opt_in: false,
    });
  });

  it('leaves other events alone', () => {
    const order = { type: 'track', event: 'Order Completed', userId: '12347' };
    expect(demoContact(order)).toBe(order);
  });
});
