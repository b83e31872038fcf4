import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ConsentPolicy,
  ConsentUpdate,
  changesFromUpdate,
  consentFromTraits,
  foldStatements,
  mayContact,
} from './consent/index.js';

// docs/consent.md is part of the repository: its examples must stay true.
const doc = readFileSync(new URL('../../docs/consent.md', import.meta.url), 'utf8');
const json = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as unknown);

describe('docs/consent.md', () => {
  it('shows an update in the API shape', () => {
    const update = ConsentUpdate.parse(json[0]);
    const consents = foldStatements(changesFromUpdate(update, 'api', 5));
    expect(consents).toEqual({
      channels: {
        email: { state: 'denied', source: 'api', at: 5 },
        push: { state: 'granted', source: 'api', at: 5 },
      },
      topics: {
        offers: { state: 'granted', source: 'api', at: 5 },
        newsletter: { state: 'denied', source: 'api', at: 5 },
      },
      personalization: { state: 'denied', source: 'api', at: 5 },
    });
  });

  it('reads the identify example as described', () => {
    const read = consentFromTraits(json[1] as Record<string, unknown>, 7);
    expect(foldStatements(read.changes)).toEqual({
      channels: { email: { state: 'denied', source: 'identify', at: 7 } },
      topics: { offers: { state: 'granted', source: 'identify', at: 7 } },
    });
  });

  it('shows a policy that parses, and the detail sentence as the decision writes it', () => {
    expect(ConsentPolicy.parse(json[2])).toEqual(json[2]);
    expect(json).toHaveLength(3);
    const at = Date.parse('2026-01-02T03:04:05.000Z');
    const denied = foldStatements([
      { target: { kind: 'channel', channel: 'email' }, state: 'denied', source: 'unsubscribe', at },
    ]);
    const decision = mayContact(denied, { channel: 'email' });
    expect(decision.kind === 'ok' ? '' : decision.detail.replace(/\s+/g, ' ')).toBe(
      'email is denied (unsubscribe, 2026-01-02T03:04:05.000Z)',
    );
    expect(doc.replace(/\s+/g, ' ')).toContain(
      '`email is denied (unsubscribe, 2026-01-02T03:04:05.000Z)`',
    );
  });
});
