import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConsentChange } from './consent.js';
import { CONSENT_CHANNELS, ConsentSource, ConsentState, emptyConsents } from './consent.js';
import { applyConsentChanges, supersedes } from './merge.js';

const email = { kind: 'channel', channel: 'email' } as const;

describe('applyConsentChanges', () => {
  it('keeps the latest statement whatever the arrival order', () => {
    const older: ConsentChange = { target: email, state: 'granted', source: 'import', at: 100 };
    const newer: ConsentChange = { target: email, state: 'denied', source: 'unsubscribe', at: 200 };
    const expected = { state: 'denied', source: 'unsubscribe', at: 200 };
    expect(applyConsentChanges(emptyConsents(), [older, newer]).channels.email).toEqual(expected);
    expect(applyConsentChanges(emptyConsents(), [newer, older]).channels.email).toEqual(expected);
  });

  it('lets a later yes win over an earlier no', () => {
    const out = applyConsentChanges(emptyConsents(), [
      { target: email, state: 'denied', source: 'unsubscribe', at: 100 },
      { target: email, state: 'granted', source: 'preference_center', at: 300 },
    ]);
    expect(out.channels.email?.state).toBe('granted');
  });

  it('breaks a tie in time towards the no, then the more deliberate source', () => {
    const yes = { state: 'granted', source: 'api', at: 5 } as const;
    const no = { state: 'denied', source: 'identify', at: 5 } as const;
    expect(supersedes(no, yes)).toBe(true);
    expect(supersedes(yes, no)).toBe(false);
    const viaImport = { state: 'denied', source: 'import', at: 5 } as const;
    const viaUnsub = { state: 'denied', source: 'unsubscribe', at: 5 } as const;
    expect(supersedes(viaUnsub, viaImport)).toBe(true);
    expect(supersedes(viaImport, viaUnsub)).toBe(false);
  });

  it('keeps channels, topics and personalization apart and leaves the input untouched', () => {
    const start = emptyConsents();
    const out = applyConsentChanges(start, [
      { target: email, state: 'denied', source: 'api', at: 1 },
      { target: { kind: 'topic', topic: 'offers' }, state: 'granted', source: 'api', at: 1 },
      { target: { kind: 'personalization' }, state: 'denied', source: 'api', at: 1 },
    ]);
    expect(out).toEqual({
      channels: { email: { state: 'denied', source: 'api', at: 1 } },
      topics: { offers: { state: 'granted', source: 'api', at: 1 } },
      personalization: { state: 'denied', source: 'api', at: 1 },
    });
    expect(start).toEqual({ channels: {}, topics: {} });
  });

  const change = fc.record({
    target: fc.oneof(
      fc
        .constantFrom(...CONSENT_CHANNELS)
        .map((channel) => ({ kind: 'channel' as const, channel })),
      fc.constantFrom('offers', 'newsletter').map((topic) => ({ kind: 'topic' as const, topic })),
      fc.constant({ kind: 'personalization' as const }),
    ),
    state: fc.constantFrom(...ConsentState.options),
    source: fc.constantFrom(...ConsentSource.options),
    at: fc.integer({ min: 0, max: 20 }),
  });

  it('gives the same consents for any order of the same changes (property)', () => {
    fc.assert(
      fc.property(
        fc
          .array(change, { maxLength: 25 })
          .chain((list) =>
            fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
          ),
        ([list, shuffled]) => {
          const a = applyConsentChanges(emptyConsents(), list);
          const b = applyConsentChanges(emptyConsents(), shuffled);
          expect(b).toEqual(a);
        },
      ),
    );
  });

  it('is idempotent and incremental: applying in two batches equals applying once (property)', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 20 }), fc.nat(20), (list, cut) => {
        const once = applyConsentChanges(emptyConsents(), list);
        const twice = applyConsentChanges(once, list);
        const split = applyConsentChanges(
          applyConsentChanges(emptyConsents(), list.slice(0, cut)),
          list.slice(cut),
        );
        expect(twice).toEqual(once);
        expect(split).toEqual(once);
      }),
    );
  });
});
