import { describe, expect, it } from 'vitest';
import { dateTriggerEvent, nextDateTriggerAt } from './date-trigger.js';
import { DATE_TRIGGER_EVENT } from './journey-event.js';
import { resolveTimeZone } from '../../shared/index.js';
import { nextLocalTime } from './local-time.js';

// Facts used below (IANA tzdb): in 2026 Paris springs forward on Sunday 29 March at
// 02:00 CET (01:00 UTC) and falls back on Sunday 25 October at 03:00 CEST (01:00 UTC);
// New York springs forward on Sunday 8 March at 02:00 EST (07:00 UTC).
const utc = (...a: [number, number, number, number?, number?]) =>
  Date.UTC(a[0], a[1] - 1, a[2], a[3] ?? 0, a[4] ?? 0);

describe('nextLocalTime', () => {
  it('keeps 09:00 local across the spring-forward night', () => {
    // Saturday 12:00 UTC: 09:00 has passed, so Sunday 09:00 CEST = 07:00 UTC.
    expect(nextLocalTime(utc(2026, 3, 28, 12), 'Europe/Paris', { hour: 9, minute: 0 })).toBe(
      utc(2026, 3, 29, 7),
    );
    // Saturday 06:00 UTC: today 09:00 CET = 08:00 UTC is still ahead.
    expect(nextLocalTime(utc(2026, 3, 28, 6), 'Europe/Paris', { hour: 9, minute: 0 })).toBe(
      utc(2026, 3, 28, 8),
    );
  });

  it('moves a time inside the spring-forward gap later by the gap', () => {
    // 02:30 does not exist in Paris on 29 March: it happens as 03:30 CEST = 01:30 UTC.
    expect(nextLocalTime(utc(2026, 3, 29, 0, 30), 'Europe/Paris', { hour: 2, minute: 30 })).toBe(
      utc(2026, 3, 29, 1, 30),
    );
  });

  it('takes the earlier instant of a time repeated by the fall-back', () => {
    // 02:30 on 25 October happens at 00:30 UTC (CEST) and 01:30 UTC (CET).
    expect(nextLocalTime(utc(2026, 10, 24, 22), 'Europe/Paris', { hour: 2, minute: 30 })).toBe(
      utc(2026, 10, 25, 0, 30),
    );
  });

  it('waits for an allowed weekday, across a change in New York', () => {
    // Friday 6 March 2026 noon UTC -> Monday 9 March 09:00 EDT = 13:00 UTC.
    expect(
      nextLocalTime(utc(2026, 3, 6, 12), 'America/New_York', {
        hour: 9,
        minute: 0,
        weekdays: ['mon'],
      }),
    ).toBe(utc(2026, 3, 9, 13));
  });

  it('returns now itself when now is exactly the time', () => {
    expect(nextLocalTime(utc(2026, 1, 5, 9), 'UTC', { hour: 9, minute: 0 })).toBe(
      utc(2026, 1, 5, 9),
    );
  });

  it('falls back to UTC for an unknown zone', () => {
    expect(resolveTimeZone('Mars/Olympus', null, 'Asia/Tokyo')).toBe('Asia/Tokyo');
    expect(nextLocalTime(utc(2026, 1, 5, 10), 'Mars/Olympus', { hour: 9, minute: 0 })).toBe(
      utc(2026, 1, 6, 9),
    );
  });
});

describe('nextDateTriggerAt', () => {
  const birthday = { trait: 'birthday', at: '09:00' };

  it('fires on the birthday at 09:00 local', () => {
    // 14 July, Paris in summer is UTC+2.
    expect(
      nextDateTriggerAt(birthday, { birthday: '1990-07-14' }, 'Europe/Paris', utc(2026, 1, 1)),
    ).toBe(utc(2026, 7, 14, 7));
  });

  it('is strictly after now: at the firing instant, the next is a year later', () => {
    const at = utc(2026, 7, 14, 9);
    expect(nextDateTriggerAt(birthday, { birthday: '1990-07-14' }, 'UTC', at)).toBe(
      utc(2027, 7, 14, 9),
    );
  });

  it('fires a 29 February birthday on 28 February in common years', () => {
    const traits = { birthday: '1992-02-29' };
    expect(nextDateTriggerAt(birthday, traits, 'UTC', utc(2026, 1, 1))).toBe(utc(2026, 2, 28, 9));
    expect(nextDateTriggerAt(birthday, traits, 'UTC', utc(2028, 1, 1))).toBe(utc(2028, 2, 29, 9));
  });

  it('counts only years after the trait year (first sign-up anniversary)', () => {
    const trigger = { trait: 'signed_up_at', at: '09:00' };
    const traits = { signed_up_at: '2025-06-10T15:00:00Z' };
    expect(nextDateTriggerAt(trigger, traits, 'UTC', utc(2025, 6, 10, 16))).toBe(
      utc(2026, 6, 10, 9),
    );
  });

  it('reads a date-time trait as the local date in the person’s zone', () => {
    // 02:00 UTC on 1 March 2020 is 29 February 18:00 in Los Angeles: a leap-day
    // anniversary, fired on 28 February 2026 at 09:00 PST = 17:00 UTC.
    const trigger = { trait: 'signed_up_at', at: '09:00' };
    const traits = { signed_up_at: '2020-03-01T02:00:00Z' };
    const at = nextDateTriggerAt(trigger, traits, 'America/Los_Angeles', utc(2026, 1, 1));
    expect(at).toBe(utc(2026, 2, 28, 17));
    const event = dateTriggerEvent(trigger, traits, 'America/Los_Angeles', at!);
    expect(event).toEqual({
      event: DATE_TRIGGER_EVENT,
      timestamp: at,
      properties: {
        trait: 'signed_up_at',
        date: '2026-02-28',
        value: '2020-03-01T02:00:00Z',
        years: 6,
      },
    });
  });

  it('accepts dates without a year', () => {
    expect(nextDateTriggerAt(birthday, { birthday: '--12-25' }, 'UTC', utc(2026, 12, 26))).toBe(
      utc(2027, 12, 25, 9),
    );
    expect(nextDateTriggerAt(birthday, { birthday: '02-29' }, 'UTC', utc(2027, 1, 1))).toBe(
      utc(2027, 2, 28, 9),
    );
  });

  it.each([undefined, null, 'soon', '1990-02-30', '1990-13-01', {}, Number.NaN])(
    'returns null for a trait of %j',
    (value) => {
      expect(nextDateTriggerAt(birthday, { birthday: value }, 'UTC', utc(2026, 1, 1))).toBeNull();
    },
  );
});
