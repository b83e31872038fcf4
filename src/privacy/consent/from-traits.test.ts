import { describe, expect, it } from 'vitest';
import { consentFromTraits } from './from-traits.js';
import { foldStatements } from './merge.js';

const AT = Date.UTC(2026, 4, 1);

describe('consentFromTraits', () => {
  it('reads the example from the brief', () => {
    const read = consentFromTraits(
      { email_opt_in: false, consent: { email: 'denied', topics: { offers: 'granted' } } },
      AT,
    );
    expect(read.issues).toEqual([]);
    expect(read.keys).toEqual(['email_opt_in', 'consent']);
    expect(read.changes).toEqual([
      {
        target: { kind: 'channel', channel: 'email' },
        state: 'denied',
        source: 'identify',
        at: AT,
      },
      {
        target: { kind: 'channel', channel: 'email' },
        state: 'denied',
        source: 'identify',
        at: AT,
      },
      { target: { kind: 'topic', topic: 'offers' }, state: 'granted', source: 'identify', at: AT },
    ]);
  });

  it.each([
    [{ emailOptIn: true }, 'channel:email', 'granted'],
    [{ push_opt_in: 'denied' }, 'channel:push', 'denied'],
    [{ smsOptIn: false }, 'channel:sms', 'denied'],
    [{ in_app_opt_in: true }, 'channel:in_app', 'granted'],
    [{ inAppOptIn: 'unknown' }, 'channel:in_app', 'unknown'],
    [{ personalization_opt_in: false }, 'personalization', 'denied'],
    [{ unsubscribed: true }, 'channel:email', 'denied'],
    [{ consent: { webhook: true } }, 'channel:webhook', 'granted'],
    [{ consent: { personalization: 'denied' } }, 'personalization', 'denied'],
    [{ consent: { topics: { product_updates: false } } }, 'topic:product_updates', 'denied'],
  ])('reads %j', (traits, target, state) => {
    const { changes, issues } = consentFromTraits(traits, AT);
    expect(issues).toEqual([]);
    expect(changes).toHaveLength(1);
    const c = changes[0]!;
    const name =
      c.target.kind === 'channel'
        ? `channel:${c.target.channel}`
        : c.target.kind === 'topic'
          ? `topic:${c.target.topic}`
          : 'personalization';
    expect(name).toBe(target);
    expect(c.state).toBe(state);
  });

  it('does not treat `unsubscribed: false` as a yes', () => {
    expect(consentFromTraits({ unsubscribed: false }, AT)).toEqual({
      changes: [],
      issues: [],
      keys: ['unsubscribed'],
    });
  });

  it('reads null (a cleared trait) as nothing', () => {
    expect(
      consentFromTraits(
        {
          email_opt_in: null,
          unsubscribed: null,
          consent: { push: null, topics: { offers: null } },
        },
        AT,
      ),
    ).toEqual({ changes: [], issues: [], keys: ['email_opt_in', 'unsubscribed', 'consent'] });
    expect(consentFromTraits({ consent: null }, AT)).toEqual({
      changes: [],
      issues: [],
      keys: ['consent'],
    });
  });

  it('ignores unrelated traits', () => {
    expect(consentFromTraits({ first_name: 'Ann', newsletter_opt_in: true }, AT).changes).toEqual(
      [],
    );
  });

  it('reports what it cannot read by path and still applies the rest', () => {
    const read = consentFromTraits(
      {
        email_opt_in: 'yes',
        unsubscribed: 'no',
        consent: { fax: 'granted', push: 'denied', topics: { 'Big Offers': true, offers: 3 } },
      },
      AT,
    );
    expect(read.issues).toEqual([
      {
        path: 'email_opt_in',
        problem: 'must be true, false, "granted", "denied" or "unknown" (got "yes")',
      },
      { path: 'unsubscribed', problem: 'must be true or false' },
      {
        path: 'consent.fax',
        problem:
          'unknown key; expected one of email, push, sms, webhook, in_app, topics, personalization',
      },
      {
        path: 'consent.topics.Big Offers',
        problem:
          'topic must be 1-64 lower-case letters, digits, _ or -, starting with a letter or digit',
      },
      {
        path: 'consent.topics.offers',
        problem: 'must be true, false, "granted", "denied" or "unknown" (got 3)',
      },
    ]);
    expect(read.changes).toEqual([
      { target: { kind: 'channel', channel: 'push' }, state: 'denied', source: 'identify', at: AT },
    ]);
  });

  it('rejects a consent value that is not an object', () => {
    expect(consentFromTraits({ consent: 'all' }, AT).issues).toEqual([
      { path: 'consent', problem: 'must be an object' },
    ]);
    expect(consentFromTraits({ consent: { topics: [] } }, AT).issues).toEqual([
      { path: 'consent.topics', problem: 'must be an object of topic: state' },
    ]);
  });

  it('lets the no win when one identify says both', () => {
    const { changes } = consentFromTraits({ email_opt_in: true, consent: { email: 'denied' } }, AT);
    expect(foldStatements(changes).channels.email?.state).toBe('denied');
    const reversed = consentFromTraits({ consent: { email: 'denied' }, email_opt_in: true }, AT);
    expect(foldStatements(reversed.changes).channels.email?.state).toBe('denied');
  });

  it('takes the source it is given (an import)', () => {
    expect(consentFromTraits({ email_opt_in: true }, AT, 'import').changes[0]?.source).toBe(
      'import',
    );
  });
});
