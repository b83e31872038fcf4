import { describe, expect, it } from 'vitest';
import type { Consents } from './consent.js';
import { emptyConsents } from './consent.js';
import type { ContactRequest } from './decide.js';
import { ConsentPolicy, DEFAULT_CONSENT_POLICY, mayContact, mayPersonalize } from './decide.js';
import type { Suppression } from './suppression.js';

const AT = Date.UTC(2026, 0, 2, 3, 4, 5);
const entry = (state: 'granted' | 'denied' | 'unknown', source: 'api' | 'unsubscribe' = 'api') => ({
  state,
  source,
  at: AT,
});
function consents(over: Partial<Consents> = {}): Consents {
  return { ...emptyConsents(), ...over };
}
const optOut = ConsentPolicy.parse({ channels: { email: 'opt_out' } });

describe('mayContact', () => {
  it.each<[string, Consents, ContactRequest, ConsentPolicy, string | null]>([
    [
      'unknown e-mail under opt-in',
      consents(),
      { channel: 'email' },
      DEFAULT_CONSENT_POLICY,
      'channel_not_granted',
    ],
    ['unknown e-mail under opt-out', consents(), { channel: 'email' }, optOut, null],
    [
      'granted e-mail',
      consents({ channels: { email: entry('granted') } }),
      { channel: 'email' },
      DEFAULT_CONSENT_POLICY,
      null,
    ],
    [
      'explicit unknown e-mail under opt-in',
      consents({ channels: { email: entry('unknown') } }),
      { channel: 'email' },
      DEFAULT_CONSENT_POLICY,
      'channel_not_granted',
    ],
    [
      'denied e-mail under opt-out',
      consents({ channels: { email: entry('denied') } }),
      { channel: 'email' },
      optOut,
      'channel_denied',
    ],
    [
      'unknown push (opt-out by default)',
      consents(),
      { channel: 'push' },
      DEFAULT_CONSENT_POLICY,
      null,
    ],
    [
      'unknown sms (opt-in by default)',
      consents(),
      { channel: 'sms' },
      DEFAULT_CONSENT_POLICY,
      'channel_not_granted',
    ],
    [
      'denied push',
      consents({ channels: { push: entry('denied') } }),
      { channel: 'push' },
      DEFAULT_CONSENT_POLICY,
      'channel_denied',
    ],
    [
      'denied topic on a granted channel',
      consents({ channels: { email: entry('granted') }, topics: { offers: entry('denied') } }),
      { channel: 'email', topic: 'offers' },
      DEFAULT_CONSENT_POLICY,
      'topic_denied',
    ],
    [
      'unknown topic (opt-out by default)',
      consents({ channels: { email: entry('granted') } }),
      { channel: 'email', topic: 'offers' },
      DEFAULT_CONSENT_POLICY,
      null,
    ],
    [
      'unknown topic with an opt-in override',
      consents({ channels: { email: entry('granted') } }),
      { channel: 'email', topic: 'newsletter' },
      ConsentPolicy.parse({ topicModes: { newsletter: 'opt_in' } }),
      'topic_not_granted',
    ],
    [
      'granted topic with an opt-in override',
      consents({ channels: { email: entry('granted') }, topics: { newsletter: entry('granted') } }),
      { channel: 'email', topic: 'newsletter' },
      ConsentPolicy.parse({ topicModes: { newsletter: 'opt_in' } }),
      null,
    ],
    [
      'granted topic does not override a denied channel',
      consents({ channels: { email: entry('denied') }, topics: { offers: entry('granted') } }),
      { channel: 'email', topic: 'offers' },
      DEFAULT_CONSENT_POLICY,
      'channel_denied',
    ],
    [
      'a topic denied on e-mail also holds on push',
      consents({ topics: { offers: entry('denied') } }),
      { channel: 'push', topic: 'offers' },
      DEFAULT_CONSENT_POLICY,
      'topic_denied',
    ],
    [
      'transactional to a denied channel',
      consents({ channels: { email: entry('denied') } }),
      { channel: 'email', transactional: true },
      DEFAULT_CONSENT_POLICY,
      null,
    ],
    [
      'transactional with unknown consent under opt-in',
      consents(),
      { channel: 'email', transactional: true, topic: 'orders' },
      DEFAULT_CONSENT_POLICY,
      null,
    ],
    [
      'transactional when the policy respects channel denial',
      consents({ channels: { email: entry('denied') } }),
      { channel: 'email', transactional: true },
      ConsentPolicy.parse({ transactional: 'respect_channel_denial' }),
      'channel_denied',
    ],
  ])('%s', (_name, given, request, policy, refusal) => {
    const decision = mayContact(given, request, policy);
    if (refusal === null) expect(decision).toEqual({ kind: 'ok' });
    else expect(decision).toMatchObject({ kind: 'refused', reason: refusal });
  });

  const bounce: Suppression = {
    channel: 'email',
    address: 'Ann@Example.com ',
    reason: 'bounce',
    at: AT,
  };

  it('refuses a suppressed address even for a transactional message with consent', () => {
    const granted = consents({ channels: { email: entry('granted') } });
    expect(
      mayContact(granted, {
        channel: 'email',
        address: 'ann@example.com',
        suppressions: [bounce],
        transactional: true,
      }),
    ).toEqual({
      kind: 'refused',
      reason: 'suppressed',
      detail: 'email address is suppressed (bounce, 2026-01-02T03:04:05.000Z)',
    });
  });

  it.each<[string, ContactRequest, string | null]>([
    [
      'an address someone unsubscribed, for a person who said yes',
      { channel: 'email', addressConsents: consents({ channels: { email: entry('denied') } }) },
      'address_denied',
    ],
    [
      'a topic denied for the address',
      {
        channel: 'email',
        topic: 'offers',
        addressConsents: consents({ topics: { offers: entry('denied') } }),
      },
      'topic_denied',
    ],
    [
      'an address denied, for a transactional message',
      {
        channel: 'email',
        transactional: true,
        addressConsents: consents({ channels: { email: entry('denied') } }),
      },
      null,
    ],
    [
      'an address granted does not stand in for the person',
      { channel: 'sms', addressConsents: consents({ channels: { sms: entry('granted') } }) },
      'channel_not_granted',
    ],
  ])('the address: %s', (_name, request, refusal) => {
    const person = consents({ channels: { email: entry('granted') } });
    const decision = mayContact(person, request);
    if (refusal === null) expect(decision).toEqual({ kind: 'ok' });
    else expect(decision).toMatchObject({ kind: 'refused', reason: refusal });
  });

  it('withholds even transactional mail from a denied address when the policy says so', () => {
    const decision = mayContact(
      consents(),
      {
        channel: 'email',
        transactional: true,
        addressConsents: consents({ channels: { email: entry('denied', 'unsubscribe') } }),
      },
      ConsentPolicy.parse({ transactional: 'respect_channel_denial' }),
    );
    expect(decision).toEqual({
      kind: 'refused',
      reason: 'address_denied',
      detail: 'email address is denied (unsubscribe, 2026-01-02T03:04:05.000Z)',
    });
  });

  it('lets another address or channel through', () => {
    const granted = consents({ channels: { email: entry('granted') } });
    expect(
      mayContact(granted, { channel: 'email', address: 'bob@example.com', suppressions: [bounce] }),
    ).toEqual({ kind: 'ok' });
    expect(
      mayContact(granted, { channel: 'push', address: 'ann@example.com', suppressions: [bounce] }),
    ).toEqual({ kind: 'ok' });
  });

  it('applies a channel-wide suppression without an address to every address', () => {
    const all: Suppression = { channel: 'push', reason: 'manual', at: AT };
    expect(
      mayContact(consents(), { channel: 'push', address: 'https://push/x', suppressions: [all] }),
    ).toMatchObject({ kind: 'refused', reason: 'suppressed' });
    expect(mayContact(consents(), { channel: 'push', suppressions: [all] })).toMatchObject({
      kind: 'refused',
      reason: 'suppressed',
    });
  });

  it('explains a refusal with source and time', () => {
    const denied = consents({
      channels: { email: { state: 'denied', source: 'unsubscribe', at: AT } },
    });
    expect(mayContact(denied, { channel: 'email' })).toEqual({
      kind: 'refused',
      reason: 'channel_denied',
      detail: 'email is denied (unsubscribe, 2026-01-02T03:04:05.000Z)',
    });
  });
});

describe('mayPersonalize', () => {
  it('is yes until the person says no under the default policy', () => {
    expect(mayPersonalize(consents())).toBe(true);
    expect(mayPersonalize(consents({ personalization: entry('denied') }))).toBe(false);
    expect(mayPersonalize(consents({ personalization: entry('granted') }))).toBe(true);
    expect(mayPersonalize(consents({ personalization: entry('unknown') }))).toBe(true);
  });

  it('needs a yes under an opt-in policy', () => {
    const optIn = ConsentPolicy.parse({ personalization: 'opt_in' });
    expect(mayPersonalize(consents(), optIn)).toBe(false);
    expect(mayPersonalize(consents({ personalization: entry('granted') }), optIn)).toBe(true);
  });
});

describe('ConsentPolicy', () => {
  it('fills every default from an empty object', () => {
    expect(ConsentPolicy.parse({})).toEqual({
      channels: {
        email: 'opt_in',
        push: 'opt_out',
        sms: 'opt_in',
        webhook: 'opt_out',
        in_app: 'opt_out',
      },
      topics: 'opt_out',
      topicModes: {},
      personalization: 'opt_out',
      transactional: 'ignore_consent',
    });
  });

  it('names a bad value', () => {
    const bad = ConsentPolicy.safeParse({ channels: { email: 'maybe' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['channels', 'email']);
  });
});
